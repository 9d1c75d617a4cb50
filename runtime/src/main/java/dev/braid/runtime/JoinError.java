package dev.braid.runtime;

/**
 * Why a task produced no value: it was {@linkplain #isCancelled() cancelled} (aborted, or
 * dropped at shutdown), or it {@linkplain #isFailed() failed} with the exception in
 * {@link #getCause()}.
 */
public final class JoinError extends RuntimeException {
    private final long taskId;
    private final boolean cancelled;

    private JoinError(long taskId, String taskName, boolean cancelled, Throwable cause) {
        super(describe(taskId, taskName) + (cancelled ? " was cancelled"
                : " failed: " + cause), cause);
        this.taskId = taskId;
        this.cancelled = cancelled;
    }

    private static String describe(long id, String name) {
        return "task #" + id + (name != null ? " '" + name + "'" : "");
    }

    static JoinError cancelled(long taskId, String name, Throwable dropFailure) {
        return new JoinError(taskId, name, true, dropFailure);
    }

    static JoinError failed(long taskId, String name, Throwable cause) {
        return new JoinError(taskId, name, false, cause);
    }

    public long taskId() {
        return taskId;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isFailed() {
        return !cancelled;
    }
}
