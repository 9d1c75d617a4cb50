package dev.braid.runtime.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The monitor thread of a runtime: every {@link #period} it advances the coarse clock and
 * asks its scheduler to look for stalled workers and deadlocks ({@link Scheduler#monitorTick}).
 *
 * <h2>Why sampling, and what a poll costs</h2>
 * Timing every poll with {@code System.nanoTime()} would cost more than the poll itself for
 * small tasks (W1 spawns and polls a task in about 40 ns). Instead a worker publishes which
 * task it polls (one release store, a plain move on x86) and counts its polls, which it did
 * anyway; the monitor samples both. A poll is stalled when the same task has been in the
 * same poll for at least the threshold <em>and</em> for {@link #minSamples} samples in a
 * row, so that a GC pause (which also stops the monitor) does not look like a stall.
 *
 * <h2>The coarse clock</h2>
 * {@link #coarseNanos} is {@code System.nanoTime()} as of the last tick of any runtime's
 * monitor. Workers read it (a plain load) at the start and end of each poll and at spawn,
 * which gives task ages and poll durations at the monitor's resolution (1 ms) for free.
 */
final class Monitor implements Runnable {
    /** System.nanoTime() at the last tick of any running monitor. */
    static volatile long coarseNanos = System.nanoTime();

    private final Scheduler scheduler;
    final long thresholdNanos;
    final long period;
    final int minSamples;

    Monitor(Scheduler scheduler, long thresholdNanos) {
        this.scheduler = scheduler;
        this.thresholdNanos = thresholdNanos;
        this.period = Math.max(100_000L, Math.min(1_000_000L, thresholdNanos / 4));
        this.minSamples = (int) Math.max(2, Math.min(thresholdNanos / period / 2, 20));
    }

    @Override
    public void run() {
        while (!scheduler.shutdown) {
            LockSupport.parkNanos(this, period);
            long now = System.nanoTime();
            coarseNanos = now;
            try {
                scheduler.monitorTick(now);
            } catch (Throwable t) {
                Diagnostics.LOG.log(System.Logger.Level.ERROR, "runtime monitor failed; stall detection continues", t);
            }
        }
    }
}
