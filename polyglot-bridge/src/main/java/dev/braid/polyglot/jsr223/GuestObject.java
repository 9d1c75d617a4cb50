package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

/**
 * A guest object that is not plain data (a Python class instance, a module) as a Braid
 * script engine hands it to Java: opaque, since its members may run code when read. Use it
 * through the engine ({@link javax.script.Invocable#invokeMethod}), or pass it back to the
 * same engine as an argument or binding, where it is the object itself again.
 */
public final class GuestObject extends GuestHandle {
    GuestObject(EngineCore owner, Value source, String shown) {
        super(owner, source, shown);
    }
}
