package dev.braid.runtime.internal;

/** What a task is scheduled on: a runtime's scheduler, a strand, or the blocking pool. */
public interface Schedule {
    /**
     * Puts a task that has just moved to the scheduled state into a run queue. Called from
     * any thread. {@code isYield} says the task woke itself during its own poll (it goes
     * to the back, never to a LIFO slot).
     */
    void schedule(Task<?> task, boolean isYield);

    /** Called once when a task completes (normally, by failure or by cancellation). */
    void release(Task<?> task);
}
