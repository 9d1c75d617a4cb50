package dev.braid.runtime;

import dev.braid.runtime.internal.Task;

/** Aborts a task without being able to join it; may be shared freely across threads. */
public final class AbortHandle {
    private final Task<?> task;

    AbortHandle(Task<?> task) {
        this.task = task;
    }

    /**
     * Requests cancellation. A task that is not running is dropped by its executor soon;
     * a running task is dropped after its current poll. A task that already finished keeps
     * its outcome.
     */
    public void abort() {
        task.abort();
    }

    public boolean isFinished() {
        return task.isComplete();
    }

    public long id() {
        return task.id();
    }
}
