package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

import java.util.List;
import java.util.stream.Collectors;

/**
 * JavaScript for the script engine: the {@code braid-js} names (none of Graal.js's own,
 * and no extension: {@code ScriptEngineManager} would pick either engine by discovery order),
 * {@code console.log}, and functions and objects as {@link JsFunction} and {@link JsObject}.
 */
final class JsEngineLanguage implements EngineLanguage {
    static final JsEngineLanguage INSTANCE = new JsEngineLanguage();

    private JsEngineLanguage() {
    }

    @Override
    public String pluginId() {
        return "js";
    }

    @Override
    public String engineName() {
        return "Braid JS";
    }

    @Override
    public List<String> names() {
        return List.of("braid-js", "braid-javascript", "braid-ecmascript", "BraidJS");
    }

    @Override
    public List<String> extensions() {
        return List.of();
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("application/x-braid-javascript", "text/x-braid-javascript");
    }

    @Override
    public String languageName() {
        return "ECMAScript";
    }

    @Override
    public String languageVersion() {
        return "ECMAScript latest (Graal.js), with top-level await";
    }

    @Override
    public String outputStatement(String text) {
        return "console.log(" + quote(text) + ")";
    }

    @Override
    public String program(String... statements) {
        return List.of(statements).stream().map(s -> s + ";").collect(Collectors.joining("\n"));
    }

    /** {@code Object(o)} so that primitives have their prototype's methods ({@code 'abc'.toUpperCase}). */
    @Override
    public String helpers() {
        return """
                ({
                  hasMethod: (o, k) => o !== null && o !== undefined && typeof Object(o)[k] === 'function',
                  callMethod: (o, k, ...args) => o[k](...args),
                })""";
    }

    @Override
    public String globalStays() {
        return "JavaScript cannot delete a binding declared with var, let, const, function or class";
    }

    @Override
    public GuestFunction function(EngineCore owner, Value fn) {
        String name = null;
        try {
            Value n = fn.getMember("name");
            name = n != null && n.isString() ? n.asString() : null;
        } catch (RuntimeException e) {
            // a proxy without a name
        }
        return new JsFunction(owner, fn, name);
    }

    @Override
    public GuestMap map(EngineCore owner, Value v) {
        return new JsObject(owner, v);
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
