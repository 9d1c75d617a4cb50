package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import java.time.Duration;
import java.util.List;

/**
 * The JSR-223 factory of {@link BraidScriptEngine}s of one language; each language's
 * factory ({@link BraidJsScriptEngineFactory}, {@link BraidPyScriptEngineFactory}) is
 * registered as a service, so with this module on the class path
 * {@code new ScriptEngineManager().getEngineByName("braid-js")} returns an engine on a shared
 * default runtime.
 *
 * <h2>Which runtime</h2>
 * The no-argument constructors (what {@code ScriptEngineManager} uses) run engines on
 * {@link #defaultHost()}: a shared {@link ScriptHost} on a multi-thread Braid runtime of
 * daemon threads and no deadlock detection, made on first use and never closed, with no
 * permissions beyond computing and no host functions; guest output goes to each engine's
 * {@code ScriptContext}. To run engines on your own runtime, with your permissions and host
 * functions, build a host and make the factory from it:
 * <pre>{@code
 * ScriptHost host = ScriptHost.builder(runtime).hostFunction("fetchUser", ...).build();
 * BraidJsScriptEngine engine = new BraidJsScriptEngineFactory(host).getScriptEngine();
 * }</pre>
 * Engines made that way live as long as the host; close them (or the host) when done.
 */
public abstract sealed class BraidScriptEngineFactory implements ScriptEngineFactory
        permits BraidJsScriptEngineFactory, BraidPyScriptEngineFactory {
    final EngineLanguage language;
    private final ScriptHost host;

    /** Engines of {@code language} on {@code host}, or on the {@link #defaultHost()} if it is null. */
    BraidScriptEngineFactory(EngineLanguage language, ScriptHost host) {
        this.language = language;
        this.host = host;
    }

    /** The host of this factory's engines. */
    final ScriptHost host() {
        return host != null ? host : defaultHost();
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
    public BraidScriptEngine getScriptEngine() {
        return new BraidScriptEngine(this, host());
    }

    @Override
    public String getEngineName() {
        return language.engineName();
    }

    @Override
    public String getEngineVersion() {
        String v = BraidScriptEngineFactory.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    @Override
    public List<String> getExtensions() {
        return language.extensions();
    }

    @Override
    public List<String> getMimeTypes() {
        return language.mimeTypes();
    }

    @Override
    public List<String> getNames() {
        return language.names();
    }

    @Override
    public String getLanguageName() {
        return language.languageName();
    }

    @Override
    public String getLanguageVersion() {
        return language.languageVersion();
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.NAME -> getNames().get(0);
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
        return language.methodCall(obj, m, args);
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return language.outputStatement(toDisplay);
    }

    @Override
    public String getProgram(String... statements) {
        return language.program(statements);
    }
}
