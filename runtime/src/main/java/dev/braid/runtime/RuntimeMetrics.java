package dev.braid.runtime;

import dev.braid.runtime.internal.Scheduler;

/**
 * Live counters of a runtime. Each getter reads the current value; values are snapshots
 * taken without stopping the workers, so a sum over several getters may be slightly torn.
 */
public final class RuntimeMetrics {
    private final Scheduler s;

    RuntimeMetrics(Scheduler s) {
        this.s = s;
    }

    /** Number of worker slots (1 for the current-thread flavour). */
    public int workers() {
        return s.workers();
    }

    /** Tasks spawned and not yet finished (including blocking and strand tasks). */
    public long aliveTasks() {
        return s.aliveTasks();
    }

    /** Tasks waiting in the global inject queue. */
    public int globalQueueDepth() {
        return s.globalQueueDepth();
    }

    /** Tasks waiting in one worker's local queue and LIFO slot. */
    public int localQueueDepth(int worker) {
        return s.localQueueDepth(worker);
    }

    /** Steal operations that took at least one task. */
    public long steals() {
        return s.steals();
    }

    /** Times a worker parked for lack of work. */
    public long parks() {
        return s.parks();
    }

    /** Task polls run by the workers (strand slices count as one poll each). */
    public long polls() {
        return s.polls();
    }

    /** Times a runtime resource made a task yield because its budget was spent. */
    public long budgetForcedYields() {
        return s.budgetForcedYields();
    }

    /** Times a full local queue moved half of itself to the global queue. */
    public long overflows() {
        return s.overflows();
    }

    /** Times the monitor found a worker stalled: one poll running past the stall threshold. */
    public long stalls() {
        return s.stalls();
    }

    /**
     * Times deadlock detection reported that nothing could make progress while a
     * {@code blockOn} waited (once per quiet spell; see
     * {@link BraidRuntime.Builder#deadlockDetection}). Outside a closed world a report does
     * not fail the wait, so a count here with every wait completed means a thread outside the
     * runtime woke the tasks late.
     */
    public long suspectedDeadlocks() {
        return s.suspectedDeadlocks();
    }

    /**
     * Polls long enough to span a tick of the monitor's 1 ms clock, counted by duration:
     * index 0 is under 2 ms, 1 under 4 ms, 2 under 8 ms, ... 6 under 128 ms, 7 the rest.
     * (Shorter polls are not timed: timing each would cost more than a small poll.) The
     * durations are coarse: a poll that crossed a tick boundary counts as at least 1 ms.
     */
    public long[] slowPollHistogram() {
        return s.slowPollHistogram();
    }

    /** Replacement workers started to take a stalled worker's place. */
    public long replacementWorkers() {
        return s.replacementWorkers();
    }

    /**
     * The longest single poll a worker has run, at the monitor's resolution (about 1 ms;
     * zero when every poll was shorter, or the monitor is off).
     */
    public java.time.Duration longestPoll() {
        return java.time.Duration.ofNanos(s.longestPollNanos());
    }

    /** Threads in the blocking pool (busy or idle). */
    public int blockingThreads() {
        return s.blockingThreads();
    }

    public int blockingIdleThreads() {
        return s.blockingIdleThreads();
    }

    /** Blocking tasks waiting for a thread. */
    public int blockingQueueDepth() {
        return s.blockingQueueDepth();
    }

    /** Timers registered on the timer wheel and not yet fired or cancelled. */
    public int registeredTimers() {
        return s.time().registeredTimers();
    }

    /** Timers fired since the runtime started. */
    public long firedTimers() {
        return s.time().firedTimers();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RuntimeMetrics{workers=").append(workers())
                .append(", aliveTasks=").append(aliveTasks())
                .append(", globalQueue=").append(globalQueueDepth())
                .append(", localQueues=[");
        for (int i = 0; i < workers(); i++) {
            b.append(i == 0 ? "" : ", ").append(localQueueDepth(i));
        }
        return b.append("], polls=").append(polls())
                .append(", steals=").append(steals())
                .append(", parks=").append(parks())
                .append(", budgetForcedYields=").append(budgetForcedYields())
                .append(", overflows=").append(overflows())
                .append(", blockingThreads=").append(blockingThreads())
                .append(", blockingQueue=").append(blockingQueueDepth())
                .append(", timers=").append(registeredTimers())
                .append(", stalls=").append(stalls())
                .append(", suspectedDeadlocks=").append(suspectedDeadlocks())
                .append(", replacementWorkers=").append(replacementWorkers())
                .append(", longestPoll=").append(longestPoll().toMillis()).append(" ms")
                .append(", slowPolls=").append(java.util.Arrays.toString(slowPollHistogram()))
                .append('}').toString();
    }
}
