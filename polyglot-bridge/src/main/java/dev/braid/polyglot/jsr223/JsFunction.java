package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

/**
 * A JavaScript function as the JSR-223 engine hands it to Java. It cannot be called
 * directly (guest code only runs on its session's strand); call it through the engine:
 * {@code engine.invokeMethod(fn, "call", thisArg, args...)}, or pass it back to the same
 * engine as an argument or binding, where it is the function itself again.
 */
public final class JsFunction extends GuestFunction {
    private final String name;

    JsFunction(EngineCore owner, Value source, String name) {
        super(owner, source, "[Function: " + (name == null || name.isEmpty() ? "anonymous" : name) + "]");
        this.name = name == null ? "" : name;
    }

    /** The function's {@code name} property ("" for an anonymous function). */
    public String name() {
        return name;
    }
}
