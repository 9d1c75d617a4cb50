package dev.braid.runtime;

/**
 * Thrown by {@link BraidRuntime#blockOn} of a runtime built as a
 * {@linkplain BraidRuntime.Builder#closedWorld() closed world} when it has detected that
 * nothing can make progress: no task is runnable, no timer is set, no I/O is registered, no blocking
 * work runs and nothing is awaited from outside the runtime, yet the future given to
 * {@code blockOn} is not done. The message lists the waiting tasks and what each waits on;
 * {@link #dump()} has them as data. The tasks themselves are left as they are.
 *
 * @see BraidRuntime.Builder#deadlockDetection(java.time.Duration)
 * @see BraidRuntime.Builder#closedWorld()
 */
public final class DeadlockException extends RuntimeException {
    private final transient TaskDump dump;

    public DeadlockException(String message, TaskDump dump) {
        super(message);
        this.dump = dump;
    }

    /** The waiting tasks when the deadlock was detected. */
    public TaskDump dump() {
        return dump;
    }
}
