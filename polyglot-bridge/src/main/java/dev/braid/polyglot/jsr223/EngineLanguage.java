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
abstract class EngineLanguage {
    private final String pluginId;
    private final String engineName;
    private final List<String> names;
    private final List<String> extensions;
    private final List<String> mimeTypes;
    private final String languageName;
    private final String languageVersion;

    EngineLanguage(String pluginId, String engineName, List<String> names, List<String> extensions, List<String> mimeTypes,
                   String languageName, String languageVersion) {
        this.pluginId = pluginId;
        this.engineName = engineName;
        this.names = List.copyOf(names);
        this.extensions = List.copyOf(extensions);
        this.mimeTypes = List.copyOf(mimeTypes);
        this.languageName = languageName;
        this.languageVersion = languageVersion;
    }

    /** The {@linkplain dev.braid.polyglot.LanguagePlugin#id() plugin id} of the engine's sessions. */
    final String pluginId() {
        return pluginId;
    }

    final String engineName() {
        return engineName;
    }

    /** The engine's names; the first is its {@link javax.script.ScriptEngine#NAME}. */
    final List<String> names() {
        return names;
    }

    final List<String> extensions() {
        return extensions;
    }

    final List<String> mimeTypes() {
        return mimeTypes;
    }

    final String languageName() {
        return languageName;
    }

    final String languageVersion() {
        return languageVersion;
    }

    /** A statement that writes {@code text} and a line break to the output. */
    abstract String outputStatement(String text);

    /** {@code statements} as one program. */
    abstract String program(String... statements);

    String methodCall(String obj, String method, String... args) {
        return obj + "." + method + "(" + String.join(", ", args) + ")";
    }

    /**
     * Guest code that evaluates to a map of two functions, without defining globals:
     * {@code hasMethod(o, name)}, whether {@code o} (any value, null included) has a method
     * {@code name}, and {@code callMethod(o, name, ...args)}, which calls it on {@code o}.
     */
    abstract String helpers();

    /** Why a global could not be removed, after "cannot remove the global 'x': ". */
    abstract String globalStays();

    /** A function of the language for Java (on the strand). */
    GuestFunction function(EngineCore owner, Value fn) {
        return new GuestFunction(owner, fn, owner.shown(fn));
    }

    /** An empty snapshot of the object or dict {@code v}, for the engine to fill (on the strand). */
    GuestMap map(EngineCore owner, Value v) {
        return new GuestMap(owner, v);
    }

    /**
     * {@code s} as a double-quoted string literal: quotes, backslashes, {@code \n}, {@code \r}
     * and {@code \t} escaped as both languages write them, any other character through
     * {@code other} (its escape, or null to keep it).
     */
    static String quote(String s, java.util.function.IntFunction<String> other) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    String e = other.apply(c);
                    b.append(e != null ? e : String.valueOf(c));
                }
            }
        }
        return b.append('"').toString();
    }
}
