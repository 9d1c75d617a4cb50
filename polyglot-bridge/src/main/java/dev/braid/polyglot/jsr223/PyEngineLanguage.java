package dev.braid.polyglot.jsr223;

import java.util.List;

/** Python (GraalPy) for the script engine: the {@code braid-python} names and {@code print}. */
final class PyEngineLanguage extends EngineLanguage {
    static final PyEngineLanguage INSTANCE = new PyEngineLanguage();

    private PyEngineLanguage() {
        super("python", "Braid Python", List.of("braid-python", "braid-py", "BraidPython"), List.of("py"),
                List.of("text/x-python"), "Python", "Python 3 (GraalPy)");
    }

    @Override
    String outputStatement(String text) {
        return "print(" + quote(text) + ")";
    }

    @Override
    String program(String... statements) {
        return String.join("\n", statements);
    }

    /** A dict literal of lambdas: it defines no names in the module. */
    @Override
    String helpers() {
        return "{'hasMethod': lambda o, k: callable(getattr(o, k, None)),"
                + " 'callMethod': lambda o, k, *args: getattr(o, k)(*args)}";
    }

    @Override
    String globalStays() {
        return "it is a builtin, which GraalPy's bindings list but cannot delete";
    }

    private static String quote(String s) {
        return quote(s, c -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : null);
    }
}
