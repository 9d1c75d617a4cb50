package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

import java.io.Serial;
import java.util.LinkedHashMap;

/**
 * A guest object of plain data (a Python dict; JavaScript's objects are {@link JsObject}s)
 * as a Braid script engine hands it to Java: a snapshot of its entries, converted like every
 * result, that remembers the live object it came from. Changing the map does not change the
 * object; but passing the map back to the same engine (as an argument, as a binding, or as
 * the target of {@link javax.script.Invocable#invokeMethod}) passes the live object. Passed
 * to another engine, it is copied like any other {@code Map}.
 */
public sealed class GuestMap extends LinkedHashMap<String, Object> permits JsObject {
    @Serial
    private static final long serialVersionUID = 1L;

    final transient EngineCore owner;
    final transient Value source;

    GuestMap(EngineCore owner, Value source) {
        this.owner = owner;
        this.source = source;
    }
}
