package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.LanguagePlugin;
import dev.braid.polyglot.ScriptHost;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Path;

/** JavaScript through Graal.js: classic scripts and ES modules ({@code .mjs}). */
public final class JsPlugin implements LanguagePlugin {
    @Override
    public String id() {
        return "js";
    }

    @Override
    public String displayName() {
        return "JavaScript";
    }

    @Override
    public String graalLanguage() {
        return "js";
    }

    @Override
    public boolean handles(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".js") || n.endsWith(".mjs");
    }

    @Override
    public void configure(org.graalvm.polyglot.Context.Builder b) {
        b.allowExperimentalOptions(true)
                .option("js.ecmascript-version", "latest")
                .option("js.console", "false")          // Braid's console writes to the host's streams
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.java-package-globals", "false")
                .option("js.graal-builtin", "true")     // only for its rejection hook: removed at install (JsRejections)
                .option("js.polyglot-builtin", "false")
                .option("js.unhandled-rejections", "handler")
                .option("js.esm-eval-returns-exports", "true")
                .option("js.async-context", "true");     // tags each task's code (CancelledAwaits); the global is removed at install
    }

    @Override
    public LanguageAdapter install(Guest guest, ScriptHost host) {
        JsAdapter adapter = new JsAdapter(guest);
        JsApi.install(guest, host, adapter);
        JsModules.install(guest);
        return adapter;
    }

    @Override
    public Source source(String code, String name) throws IOException {
        Source.Builder b = Source.newBuilder("js", code, name);
        if (name.endsWith(".mjs")) {
            b.mimeType("application/javascript+module");
        }
        return b.build();
    }

    /**
     * Parses {@code source} into a function that runs it. A module becomes a function that
     * imports it and returns the promise of its namespace (see {@link JsModules}).
     */
    @Override
    public Value eval(Guest guest, Source source) {
        if ("application/javascript+module".equals(source.getMimeType())) {
            return JsModules.evaluator(guest, source);
        }
        try {
            return guest.context().parse(source);
        } catch (org.graalvm.polyglot.PolyglotException e) {
            // A classic script with top-level await (which Graal.js parses only in modules):
            // run it as the body of an async function, keeping declarations global and the
            // last expression as its value (see TopLevelAwait, shared with the JSR-223 engine).
            String code = source.getCharacters().toString();
            if (!e.isSyntaxError() || !TopLevelAwait.mentionsAwait(code)) {
                throw e;
            }
            TopLevelAwait.Rewrite r;
            try {
                r = TopLevelAwait.rewrite(code);
            } catch (RuntimeException cannot) {
                throw e; // report what the parser said about the user's text
            }
            return guest.context().parse(Source.newBuilder("js", r.code(), source.getName()).buildLiteral());
        }
    }
}
