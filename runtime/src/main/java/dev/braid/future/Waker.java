package dev.braid.future;

/**
 * Tells the executor that a future may be able to make progress and should be polled again.
 *
 * <p>{@code wake()} may be called from any thread, any number of times, before or after
 * the poll that registered it returns. Extra wake-ups are harmless; a missing one is a hang.
 */
@FunctionalInterface
public interface Waker {
    void wake();

    /** A waker that does nothing; for tests and for futures that are polled in a loop. */
    Waker NOOP = () -> { };
}
