package dev.braid.time;

import java.time.Duration;

/** Raised by a {@link Time#timeout} whose deadline passed before its future completed. */
public final class ElapsedException extends RuntimeException {
    private final transient Duration timeout;

    ElapsedException(Duration timeout) {
        super(timeout != null ? "timed out after " + describe(timeout) : "deadline elapsed");
        this.timeout = timeout;
    }

    /** The timeout that elapsed, or null if the timeout was given as a deadline. */
    public Duration timeout() {
        return timeout;
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000 || ms % 1000 != 0) {
            return ms + " ms";
        }
        return (ms / 1000) + " s";
    }
}
