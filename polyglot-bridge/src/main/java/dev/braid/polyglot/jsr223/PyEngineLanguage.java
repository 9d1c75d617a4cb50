package dev.braid.polyglot.jsr223;

import java.util.List;

/** Python (GraalPy) for the script engine: the {@code braid-python} names and {@code print}. */
final class PyEngineLanguage implements EngineLanguage {
    static final PyEngineLanguage INSTANCE = new PyEngineLanguage();

    private PyEngineLanguage() {
    }

    @Override
    public String pluginId() {
        return "python";
    }

    @Override
    public String engineName() {
        return "Braid Python";
    }

    @Override
    public List<String> names() {
        return List.of("braid-python", "braid-py", "BraidPython");
    }

    @Override
    public List<String> extensions() {
        return List.of("py");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("text/x-python");
    }

    @Override
    public String languageName() {
        return "Python";
    }

    @Override
    public String languageVersion() {
        return "Python 3 (GraalPy)";
    }

    @Override
    public String outputStatement(String text) {
        return "print(" + quote(text) + ")";
    }

    @Override
    public String program(String... statements) {
        return String.join("\n", statements);
    }

    /** A dict literal of lambdas: it defines no names in the module. */
    @Override
    public String helpers() {
        return "{'hasMethod': lambda o, k: callable(getattr(o, k, None)),"
                + " 'callMethod': lambda o, k, *args: getattr(o, k)(*args)}";
    }

    @Override
    public String globalStays() {
        return "it is a builtin, which GraalPy's bindings list but cannot delete";
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
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
