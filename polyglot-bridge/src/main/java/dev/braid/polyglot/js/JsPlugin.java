package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.LanguagePlugin;
import dev.braid.polyglot.ScriptHost;
import org.graalvm.polyglot.PolyglotException;
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
        if (isModule(source)) {
            return JsModules.evaluator(guest, source);
        }
        try {
            return guest.context().parse(source);
        } catch (PolyglotException e) {
            // A classic script with top-level await (which Graal.js parses only in modules):
            // run it as the body of an async function, keeping declarations global and the
            // last expression as its value (see TopLevelAwait).
            TopLevelAwait.Rewrite r = awaitRewrite(source, e);
            if (r == null) {
                throw e; // report what the parser said about the user's text
            }
            return guest.context().parse(Source.newBuilder("js", r.code(), source.getName()).buildLiteral());
        }
    }

    /**
     * Maps a position in the top-level-await rewrite back to the user's text. Whether
     * {@link #eval} rewrote {@code source} is decided again, the same way: a script that parses
     * as written (the parse is cached) or mentions no {@code await} was not rewritten.
     */
    @Override
    public int[] writtenPosition(Guest guest, Source source, int line, int column) {
        int[] same = {line, column};
        if (line <= 0 || isModule(source) || !TopLevelAwait.mentionsAwait(source.getCharacters().toString())) {
            return same;
        }
        TopLevelAwait.Rewrite r;
        try {
            guest.context().parse(source);
            return same;
        } catch (PolyglotException e) {
            r = awaitRewrite(source, e);
        }
        if (r == null) {
            return same;
        }
        int[] lc = TopLevelAwait.originalPosition(r, source.getCharacters().toString(), line, Math.max(column, 1));
        return column > 0 ? lc : new int[] {lc[0], column};
    }

    private static boolean isModule(Source source) {
        return "application/javascript+module".equals(source.getMimeType());
    }

    /** The rewrite of a classic script that failed to parse with {@code e}, or null if it is no top-level-await script. */
    private static TopLevelAwait.Rewrite awaitRewrite(Source source, PolyglotException e) {
        String code = source.getCharacters().toString();
        if (!e.isSyntaxError() || !TopLevelAwait.mentionsAwait(code)) {
            return null;
        }
        try {
            return TopLevelAwait.rewrite(code);
        } catch (RuntimeException cannot) {
            return null;
        }
    }
}
