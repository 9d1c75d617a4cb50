package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The JSR-223 factory of {@link BraidJsScriptEngine}, registered as a service: with this
 * module on the class path, {@code new ScriptEngineManager().getEngineByName("braid-js")}
 * returns an engine on a shared default runtime. Names: {@code braid-js},
 * {@code braid-javascript}, {@code braid-ecmascript}, {@code BraidJS}; MIME types
 * {@code application/x-braid-javascript}, {@code text/x-braid-javascript}. It claims no file
 * extension and none of the plain names ({@code js}, {@code javascript}): Graal.js's own
 * engine claims those, and {@code ScriptEngineManager} would pick either one by discovery
 * order.
 *
 * <h2>Which runtime</h2>
 * The no-argument constructor (what {@code ScriptEngineManager} uses) runs engines on
 * {@link #defaultHost()}: a shared {@link ScriptHost} on a multi-thread Braid runtime of
 * daemon threads and no deadlock detection, made on first use and never closed, with no
 * permissions beyond computing
 * and no host functions; console output goes to each engine's {@code ScriptContext}. To run
 * engines on your own runtime, with your permissions and host functions, build a host and
 * make the factory from it:
 * <pre>{@code
 * ScriptHost host = ScriptHost.builder(runtime).hostFunction("fetchUser", ...).build();
 * BraidJsScriptEngine engine = new BraidJsScriptEngineFactory(host).getScriptEngine();
 * }</pre>
 * Engines made that way live as long as the host; close them (or the host) when done.
 */
public final class BraidJsScriptEngineFactory implements ScriptEngineFactory {
    private static final List<String> NAMES = List.of("braid-js", "braid-javascript", "braid-ecmascript", "BraidJS");
    private static final List<String> MIME_TYPES = List.of("application/x-braid-javascript", "text/x-braid-javascript");

    private final ScriptHost host;

    /** Engines on the shared {@link #defaultHost()}. */
    public BraidJsScriptEngineFactory() {
        this.host = null;
    }

    /** Engines on {@code host}: its runtime, permissions and host functions. */
    public BraidJsScriptEngineFactory(ScriptHost host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * The shared host of engines made without one: a multi-thread runtime (one worker per
     * processor, daemon threads, named {@code braid-jsr223-*}, no deadlock detection), made on
     * first call.
     */
    public static ScriptHost defaultHost() {
        return DefaultHost.HOST;
    }

    private static final class DefaultHost {
        static final ScriptHost HOST;

        static {
            BraidRuntime rt = BraidRuntime.builder()
                    .threadNamePrefix("braid-jsr223")
                    // Interpreted guest code can take long for one poll while it warms up;
                    // do not report that as a stalled worker.
                    .stallThreshold(Duration.ofSeconds(5))
                    // An evaluation may wait for a promise that another thread's later call
                    // settles (eval and invokeFunction come from any thread, at any time); the
                    // deadlock detector cannot foresee such calls and would report a deadlock
                    // where there is none.
                    .noDeadlockDetection()
                    .build();
            HOST = ScriptHost.builder(rt).build();
        }
    }

    @Override
    public BraidJsScriptEngine getScriptEngine() {
        return new BraidJsScriptEngine(this, host != null ? host : defaultHost());
    }

    @Override
    public String getEngineName() {
        return "Braid JS";
    }

    @Override
    public String getEngineVersion() {
        String v = BraidJsScriptEngineFactory.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    @Override
    public List<String> getExtensions() {
        return List.of();
    }

    @Override
    public List<String> getMimeTypes() {
        return MIME_TYPES;
    }

    @Override
    public List<String> getNames() {
        return NAMES;
    }

    @Override
    public String getLanguageName() {
        return "ECMAScript";
    }

    @Override
    public String getLanguageVersion() {
        return "ECMAScript latest (Graal.js), with top-level await";
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.NAME -> NAMES.get(0);
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            // Calls from any number of threads are safe: they all run on the session's strand.
            case "THREADING" -> "MULTITHREADED";
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return obj + "." + m + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return "console.log(" + quote(toDisplay) + ")";
    }

    @Override
    public String getProgram(String... statements) {
        return List.of(statements).stream().map(s -> s + ";").collect(Collectors.joining("\n"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
