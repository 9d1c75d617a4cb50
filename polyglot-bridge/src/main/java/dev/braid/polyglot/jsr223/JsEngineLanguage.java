package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

import java.util.List;
import java.util.stream.Collectors;

/**
 * JavaScript for the script engine: the {@code braid-js} names (none of Graal.js's own,
 * and no extension: {@code ScriptEngineManager} would pick either engine by discovery order),
 * {@code console.log}, and functions and objects as {@link JsFunction} and {@link JsObject}.
 */
final class JsEngineLanguage extends EngineLanguage {
    static final JsEngineLanguage INSTANCE = new JsEngineLanguage();

    private JsEngineLanguage() {
        super("js", "Braid JS", List.of("braid-js", "braid-javascript", "braid-ecmascript", "BraidJS"), List.of(),
                List.of("application/x-braid-javascript", "text/x-braid-javascript"), "ECMAScript",
                "ECMAScript latest (Graal.js), with top-level await");
    }

    @Override
    String outputStatement(String text) {
        return "console.log(" + quote(text) + ")";
    }

    @Override
    String program(String... statements) {
        return List.of(statements).stream().map(s -> s + ";").collect(Collectors.joining("\n"));
    }

    /** {@code Object(o)} so that primitives have their prototype's methods ({@code 'abc'.toUpperCase}). */
    @Override
    String helpers() {
        return """
                ({
                  hasMethod: (o, k) => o !== null && o !== undefined && typeof Object(o)[k] === 'function',
                  callMethod: (o, k, ...args) => o[k](...args),
                })""";
    }

    @Override
    String globalStays() {
        return "JavaScript cannot delete a binding declared with var, let, const, function or class";
    }

    @Override
    GuestFunction function(EngineCore owner, Value fn) {
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
    GuestMap map(EngineCore owner, Value v) {
        return new JsObject(owner, v);
    }

    private static String quote(String s) {
        return quote(s, c -> c == '\u2028' ? "\\u2028" : c == '\u2029' ? "\\u2029" : null);
    }
}
