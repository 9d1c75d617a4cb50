package dev.braid.runtime.internal;

/** How a thread that holds the time driver sleeps and is woken early. */
interface Parker {
    /** Sleeps until {@link #unpark()} (spurious returns allowed). */
    void park();

    /** Sleeps until {@link #unpark()} or {@code nanos} have passed (spurious returns allowed). */
    void parkNanos(long nanos);

    void unpark();
}
