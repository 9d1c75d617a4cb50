package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

/**
 * A guest function (or class, or other callable) as a Braid script engine hands it to Java.
 * It cannot be called directly (guest code only runs on its session's strand); call it
 * through the engine ({@link javax.script.Invocable#invokeMethod} with the language's call
 * method: {@code "call"} in JavaScript, {@code "__call__"} in Python), or pass it back to the same engine as an argument or binding, where it is the function itself
 * again. JavaScript's functions are {@link JsFunction}s.
 */
public sealed class GuestFunction extends GuestHandle permits JsFunction {
    GuestFunction(EngineCore owner, Value source, String shown) {
        super(owner, source, shown);
    }
}
