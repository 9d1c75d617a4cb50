package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

/**
 * A live guest value an engine handed to Java without copying it (a function, an opaque
 * object): only its engine may take it back, as the value itself.
 */
abstract class GuestHandle {
    final EngineCore owner;
    final Value source;
    private final String shown;

    GuestHandle(EngineCore owner, Value source, String shown) {
        this.owner = owner;
        this.source = source;
        this.shown = shown;
    }

    /** The value for {@code engine}; refused if another engine handed it out ({@code what}: "functions"). */
    Value sourceFor(EngineCore engine, String what) {
        if (owner != engine) {
            throw new IllegalArgumentException(this + " belongs to another script engine: " + what + " cannot move between engines");
        }
        return source;
    }

    /** The value as its language showed it when it came out ({@code repr} for Python). */
    @Override
    public String toString() {
        return shown;
    }
}
