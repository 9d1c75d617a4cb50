package dev.braid.runtime.internal;

/** What a task is scheduled on: a runtime's scheduler, a strand, or the blocking pool. */
public interface Schedule {
    /**
     * Puts a task that has just moved to the scheduled state into a run queue. Called from
     * any thread. {@code isYield} says the task woke itself during its own poll (it goes
     * to the back, never to a LIFO slot).
     */
    void schedule(Task<?> task, boolean isYield);

    /**
     * Called once when a task completes (normally, by failure or by cancellation), by the
     * thread completing it, before the completion is published.
     */
    void release(Task<?> task);

    /**
     * Called once when a task has completed, by the thread completing it, after the
     * completion is published and its joiner woken (a strand's idle callbacks run here, so
     * that they see every task finished). Most schedulers need nothing.
     */
    default void completed(Task<?> task) {
    }

    /**
     * Registers a task that returned pending for the first time with the runtime's live-task
     * list, so that shutdown can find it. Returns false if the runtime is shutting down
     * (the caller then cancels the task).
     */
    boolean register(Task<?> task);

    /** Schedules nothing and registers everything: for tasks that are never really run
     *  (warming up the hot paths, tests of the queues). */
    Schedule NOWHERE = new Schedule() {
        @Override
        public void schedule(Task<?> task, boolean isYield) {
        }

        @Override
        public void release(Task<?> task) {
        }

        @Override
        public boolean register(Task<?> task) {
            return true;
        }
    };
}
