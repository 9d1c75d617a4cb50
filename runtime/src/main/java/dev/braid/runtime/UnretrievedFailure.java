package dev.braid.runtime;

/**
 * A task's failure that nobody retrieved: the runtime's report of it, handed to the handler
 * set with {@link BraidRuntime.Builder#onUnretrievedFailure} (by default, logged at
 * {@code ERROR} on the {@code System.Logger} {@code dev.braid.runtime}).
 *
 * <p>A failure is <em>retrieved</em> once a joiner takes it: a poll of the task's
 * {@link JoinHandle} that throws its {@link JoinError} (directly, or through a combinator or
 * {@code blockOn} that polls the handle), {@link JoinHandle#toCompletableFuture()} completing
 * its future, or {@link JoinSet#joinNext()} returning it. A failure not retrieved yet is
 * reported once, at the first of: its handle became unreachable, the strand that ran it was
 * told its owner ended ({@link Strand#reportUnretrievedFailures()}, which a guest session's
 * close calls), or the runtime shut down. A task that was cancelled (aborted, a dropped
 * {@code select} branch, shutdown) is never reported, unless its drop hook threw.
 *
 * @param taskId    the task's id (as in {@link JoinHandle#id()})
 * @param taskName  the name given at spawn, or null
 * @param spawnSite where it was spawned, at the runtime's {@link SpawnSiteCapture} level
 * @param exception what the task threw; for a guest-language task, the bridge's translated
 *                  error (the polyglot bridge's {@code GuestError}, with the guest stack and
 *                  source position)
 * @param dropHook  true if the task was being cancelled and {@code exception} is what its
 *                  future's drop hook threw; false if the task failed in a poll
 * @param reason    why the report is made now
 */
public record UnretrievedFailure(long taskId, String taskName, String spawnSite, Throwable exception,
                                 boolean dropHook, Reason reason) {

    /** Why a failure is reported. */
    public enum Reason {
        /** The task's join handle (or the {@link JoinSet} holding it) became unreachable: nobody can retrieve it any more. */
        HANDLE_DROPPED,
        /** The owner of the strand that ran the task (a guest session) ended. */
        SESSION_ENDED,
        /** The runtime shut down. */
        SHUTDOWN
    }

    /**
     * One line, for logs: {@code task #12 'fetch' failed and nobody retrieved the failure
     * (its handle was dropped); spawned at Job.run(Job.java:40): java.io.IOException: refused}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("task #").append(taskId);
        if (taskName != null) {
            b.append(" '").append(taskName).append('\'');
        }
        b.append(dropHook ? " was cancelled and its drop hook threw" : " failed");
        b.append(", and nobody retrieved the failure (").append(switch (reason) {
            case HANDLE_DROPPED -> "its handle was dropped";
            case SESSION_ENDED -> "its session ended";
            case SHUTDOWN -> "the runtime shut down";
        }).append("); spawned ").append(spawnSite).append(": ").append(exception);
        return b.toString();
    }
}
