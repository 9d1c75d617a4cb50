package dev.braid.runtime;

/** Thrown when a runtime that has been shut down is asked to spawn or block on work. */
public final class RuntimeShutdownException extends IllegalStateException {
    public RuntimeShutdownException(String message) {
        super(message);
    }
}
