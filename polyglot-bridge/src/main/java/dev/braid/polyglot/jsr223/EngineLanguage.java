package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

import java.util.List;

/**
 * What a Braid script engine knows of its language beyond the session's
 * {@link dev.braid.polyglot.LanguagePlugin} and adapter: the JSR-223 names, the statements
 * the factory writes, the guest helpers behind {@link javax.script.Invocable}, and the Java
 * types of the language's functions and objects. Everything else (evaluation, bindings,
 * output, errors, conversions) is the same for every language.
 */
interface EngineLanguage {
    /** The {@linkplain dev.braid.polyglot.LanguagePlugin#id() plugin id} of the engine's sessions. */
    String pluginId();

    String engineName();

    /** The engine's names; the first is its {@link javax.script.ScriptEngine#NAME}. */
    List<String> names();

    List<String> extensions();

    List<String> mimeTypes();

    String languageName();

    String languageVersion();

    /** A statement that writes {@code text} and a line break to the output. */
    String outputStatement(String text);

    /** {@code statements} as one program. */
    String program(String... statements);

    default String methodCall(String obj, String method, String... args) {
        return obj + "." + method + "(" + String.join(", ", args) + ")";
    }

    /**
     * Guest code that evaluates to a map of two functions, without defining globals:
     * {@code hasMethod(o, name)}, whether {@code o} (any value, null included) has a method
     * {@code name}, and {@code callMethod(o, name, ...args)}, which calls it on {@code o}.
     */
    String helpers();

    /** Why a global could not be removed, after "cannot remove the global 'x': ". */
    String globalStays();

    /** A function of the language for Java (on the strand). */
    default GuestFunction function(EngineCore owner, Value fn) {
        return new GuestFunction(owner, fn, owner.shown(fn));
    }

    /** An empty snapshot of the object or dict {@code v}, for the engine to fill (on the strand). */
    default GuestMap map(EngineCore owner, Value v) {
        return new GuestMap(owner, v);
    }
}
