package dev.braid.runtime.internal;

/**
 * The packed lifecycle state of a {@link Task}: one {@code int} updated by CAS.
 *
 * <pre>
 *  bit  3          2          1          0
 *     +----------+----------+----------+---------+
 *     | CANCELLED| NOTIFIED | COMPLETE | RUNNING |
 *     +----------+----------+----------+---------+
 *
 *  idle               = 0                 (waiting for a wake-up; in no queue)
 *  scheduled          = NOTIFIED          (in exactly one run queue)
 *  running            = RUNNING           (one thread is polling it)
 *  running + notified = RUNNING|NOTIFIED  (woken during its poll: re-queued after it)
 *  complete           = COMPLETE          (output stored; final)
 *  + CANCELLED        abort requested; whoever holds RUNNING drops the future
 * </pre>
 *
 * <p>Invariants: a task is in a run queue at most once, because only the transition
 * idle → scheduled enqueues it; only the holder of {@code RUNNING} touches the future;
 * {@code COMPLETE} is never cleared. Stale queue entries (a task that was claimed by
 * shutdown while queued) fail {@code transitionToRunning} and are skipped.
 */
public final class TaskState {
    private TaskState() {
    }

    /** A thread holds the right to poll or drop the future. */
    public static final int RUNNING = 1;
    /** The output is stored; the task is finished. */
    public static final int COMPLETE = 1 << 1;
    /** The task has been woken and is (or will be, after its poll) in a run queue. */
    public static final int NOTIFIED = 1 << 2;
    /** An abort was requested. */
    public static final int CANCELLED = 1 << 3;

    static boolean isRunning(int s) {
        return (s & RUNNING) != 0;
    }

    static boolean isComplete(int s) {
        return (s & COMPLETE) != 0;
    }

    static boolean isNotified(int s) {
        return (s & NOTIFIED) != 0;
    }

    static boolean isCancelled(int s) {
        return (s & CANCELLED) != 0;
    }

    /** Outcome of popping a task from a run queue. */
    public enum ToRunning {
        /** Poll it. */
        SUCCESS,
        /** It was aborted while queued: drop it. The caller holds RUNNING. */
        CANCELLED,
        /** Stale queue entry (already claimed or complete): skip it. */
        FAILED
    }

    /** Outcome of a poll that returned pending. */
    public enum ToIdle {
        /** Idle; nothing more to do. */
        OK,
        /** Woken during the poll: schedule it again (as a yield). */
        NOTIFIED,
        /** Aborted during the poll: the caller still holds RUNNING and must drop it. */
        CANCELLED
    }

    /** Outcome of a wake-up or an abort request. */
    public enum ToNotified {
        /** Nothing to do: already queued, running (it will re-queue itself) or complete. */
        DO_NOTHING,
        /** The caller moved it idle → scheduled and must put it in a run queue. */
        SUBMIT
    }

    static String describe(int s) {
        if (isComplete(s)) {
            return "complete";
        }
        String base = isRunning(s) ? (isNotified(s) ? "running+notified" : "running")
                : isNotified(s) ? "scheduled" : "idle";
        return isCancelled(s) ? base + "+cancelled" : base;
    }
}
