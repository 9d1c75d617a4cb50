package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.LanguagePlugin;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.Braid;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * JavaScript through Graal.js.
 *
 * <h2>Scripts and modules</h2>
 * What Braid evaluates (a file, or code with a name) runs as an <b>ES module</b> if
 * <ul>
 *   <li>its name ends in {@code .mjs}, or
 *   <li>its name ends in {@code .js} and its code has a top-level {@code import} or
 *       {@code export} statement, or uses {@code import.meta}. A dynamic {@code import()}
 *       does not count: classic scripts may use it. This is decided from acorn's parse of
 *       the code ({@link JsParser}), and only for code in which the words appear at all and
 *       that Graal.js cannot parse as a classic script, so that ordinary scripts pay nothing
 *       for it.
 * </ul>
 * A module has module scope, is strict, awaits at its top level natively, and evaluates to
 * its exports ({@link JsModules}). <b>Everything else is a classic script</b>: every other
 * {@code .js} file and every snippet (a name without {@code .js}, such as a REPL's or the
 * JSR-223 engine's {@code <eval>}). A classic script may await at its top level too: it is
 * then rewritten to run in an async function, keeping its declarations global and its last
 * expression as its value ({@link AwaitRewrite}), and error positions are mapped back to
 * the user's text ({@link SourcePositions}).
 */
public final class JsPlugin implements LanguagePlugin {
    private static final String MODULE_MIME_TYPE = "application/javascript+module";
    /** Where acorn must look: the word await. */
    private static final Pattern AWAIT = Pattern.compile("\\bawait\\b");
    /** Where acorn must look: what may start an import or export statement, or import.meta. */
    private static final Pattern MODULE_SYNTAX = Pattern.compile(
            "\\bimport(?![\\w$])\\s*(?:[\\w$*{'\"]|\\.\\s*meta\\b)|\\bexport(?![\\w$])\\s*[\\w$*{]");
    /** Code longer than this is parsed with the worker's queue handed to another thread. */
    private static final int LONG_CODE = 20_000;

    /** The parser, made on first need: one per plugin instance, and so per script host (per engine). */
    private volatile JsParser parser;

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

    /** {@code process.argv}, {@code process.exit}, {@code process.exitCode}, {@code process.on}, {@code braid.args}, {@code braid.exit}, {@code braid.onSignal} (see {@code job.js}). */
    @Override
    public void bindJob(Guest guest, dev.braid.polyglot.JobContext job) {
        guest.context().eval(JsResources.source("job.js")).executeVoid(job.launcher(), job.script(),
                org.graalvm.polyglot.proxy.ProxyArray.fromList(new java.util.ArrayList<>(job.args())),
                (org.graalvm.polyglot.proxy.ProxyExecutable) a -> {
                    job.exit(a[0].asInt());
                    return null;
                },
                (org.graalvm.polyglot.proxy.ProxyExecutable) a -> {
                    job.exitCode(a[0].asInt());
                    return null;
                },
                (org.graalvm.polyglot.proxy.ProxyExecutable) a -> {
                    Value fn = a[1];
                    String name = a[0].asString();
                    // The handler runs as a task of the session, on its strand, whichever thread got the signal.
                    return job.onSignal(name, () -> guest.spawn("signal " + name, guest.call(fn, name)));
                },
                dev.braid.polyglot.natives.SystemApi.env(guest), dev.braid.polyglot.natives.SystemApi.stdio(guest));
    }

    @Override
    public Source source(String code, String name) throws IOException {
        Source.Builder b = Source.newBuilder("js", code, name);
        if (name.endsWith(".mjs")) {
            b.mimeType(MODULE_MIME_TYPE);
        }
        return b.build();
    }

    /**
     * Parses {@code source} into a function that runs it: a module (see the class comment)
     * becomes a function that imports it and returns the promise of its namespace
     * ({@link JsModules}); a classic script that awaits at its top level is rewritten first
     * ({@link AwaitRewrite}).
     */
    @Override
    public Value eval(Guest guest, Source source) {
        if (MODULE_MIME_TYPE.equals(source.getMimeType())) {
            return JsModules.evaluator(guest, source);
        }
        String code = source.getCharacters().toString();
        Value classic = null;
        if (source.getName().endsWith(".js") && MODULE_SYNTAX.matcher(code).find()) {
            // Code that parses as a classic script has no import or export statement (they are
            // syntax errors there): only code that does not is worth acorn's parse.
            try {
                classic = guest.context().parse(source);
            } catch (PolyglotException e) {
                if (!e.isSyntaxError()) {
                    throw e;
                }
                if (withParser(guest, code, p -> p.isModule(code))) {
                    return JsModules.evaluator(guest, source);
                }
            }
        }
        if (!AWAIT.matcher(code).find()) {
            return classic != null ? classic : guest.context().parse(source);
        }
        List<AwaitRewrite.Edit> plan = withParser(guest, code, p -> p.planScript(code));
        if (plan == null) {
            return classic != null ? classic : parseUnparsable(guest, source, code);
        }
        if (plan.isEmpty()) {
            return classic != null ? classic : guest.context().parse(source);
        }
        return guest.context().parse(Source.newBuilder("js", AwaitRewrite.apply(code, plan), source.getName()).buildLiteral());
    }

    /**
     * Code acorn could not parse runs as it is (Graal.js may accept what acorn does not). If
     * Graal.js refuses it too, the error to report is the one in the code as the user meant
     * it, awaiting at its top level, rather than the classic parse's complaint about the first
     * {@code await}: Graal.js's error for the code as the body of an async function, mapped
     * back to the user's text; or, if that body parses (acorn refused something a function
     * allows, such as {@code return}), its error for the code as a module, whose top level
     * awaits and returns nothing, as the user's text itself.
     */
    private static Value parseUnparsable(Guest guest, Source source, String code) {
        try {
            return guest.context().parse(source);
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e;
            }
            try {
                guest.context().parse(Source.newBuilder("js", AwaitRewrite.wrapOnly(code), source.getName()).buildLiteral());
                guest.context().parse(Source.newBuilder("js", code, source.getName()).mimeType(MODULE_MIME_TYPE).buildLiteral());
            } catch (PolyglotException meant) {
                if (meant.isSyntaxError()) {
                    throw meant;
                }
            }
            throw e;
        }
    }

    /**
     * Runs {@code use} with the parser. The first use loads acorn (seconds in interpreter
     * mode), and a long text takes a while to parse: then the worker's queue is handed to
     * another thread meanwhile, as for a context's set-up.
     */
    private <T> T withParser(Guest guest, String code, Function<JsParser, T> use) {
        JsParser p = parser;
        if (p == null) {
            synchronized (this) {
                p = parser;
                if (p == null) {
                    p = new JsParser(guest.context().getEngine());
                    parser = p;
                }
            }
        }
        if (p.isLoaded() && code.length() < LONG_CODE) {
            return use.apply(p);
        }
        JsParser ready = p;
        try {
            return Braid.blockInPlace(() -> use.apply(ready));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
