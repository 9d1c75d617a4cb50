package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

import java.io.Serial;

/**
 * A JavaScript object as the JSR-223 engine hands it to Java: a snapshot of its own
 * enumerable properties (converted like every result: numbers, strings, booleans,
 * {@code null}, {@code List}, nested {@code JsObject}s, {@link JsFunction}s) that remembers
 * the live object it came from. Changing the map does not change the object; but passing
 * the map back to the same engine (as an argument, as a binding, or as the target of
 * {@link javax.script.Invocable#invokeMethod}) passes the live object, so its methods run
 * with the right {@code this} and see its current state. Passed to another engine, it is
 * copied like any other {@code Map}.
 */
public final class JsObject extends GuestMap {
    @Serial
    private static final long serialVersionUID = 1L;

    JsObject(EngineCore owner, Value source) {
        super(owner, source);
    }
}
