package dev.braid.time;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.TimeDriver;

import java.util.Objects;

/**
 * Ticks every {@code period}, starting at a given instant (by default: at once). Made by
 * {@link Time#interval} and {@link Time#intervalAt}; owned by one task.
 *
 * <pre>{@code
 * Interval every = Time.interval(Duration.ofSeconds(1));
 * // in a task's poll: every.tick() completes with the instant the tick was scheduled for
 * }</pre>
 *
 * <p>{@link #tick()} is cancellation-safe: a tick future dropped before it completed
 * consumes no tick. Call {@link #close()} to remove the interval's timer when you stop
 * using it before its next tick (otherwise it is removed when that tick is due).
 */
public final class Interval {
    private final long period;
    private final Sleep sleep;
    /** When the next tick is scheduled. */
    private long next;
    private MissedTickBehavior behavior = MissedTickBehavior.BURST;

    Interval(TimeDriver driver, long start, long period) {
        this.period = period;
        this.next = start;
        this.sleep = new Sleep(driver, start);
    }

    /** A future of the next tick: the clock instant (nanoseconds) it was scheduled for. */
    public Future<Long> tick() {
        return this::pollTick;
    }

    /** Polls for the next tick: ready with its scheduled instant, or pending. */
    public Poll<Long> pollTick(Context cx) {
        if (!sleep.pollElapsed(cx)) {
            cx.waitingOn("interval.tick", this);
            return Poll.pending();
        }
        if (!cx.pollProceed()) {
            return Poll.pending();
        }
        long scheduled = next;
        long now = sleep.driver().now();
        next = behavior.after(scheduled, now, period);
        sleep.resetAt(next);
        return Poll.ready(scheduled);
    }

    /** How missed ticks are handled (default {@link MissedTickBehavior#BURST}). */
    public Interval missedTickBehavior(MissedTickBehavior b) {
        behavior = Objects.requireNonNull(b, "behavior");
        return this;
    }

    public MissedTickBehavior missedTickBehavior() {
        return behavior;
    }

    public long periodNanos() {
        return period;
    }

    /** When the next tick is scheduled, on the clock's scale. */
    public long nextTick() {
        return next;
    }

    /** Restarts the schedule: the next tick comes one period from now. */
    public void reset() {
        next = sleep.driver().now() + period;
        sleep.resetAt(next);
    }

    /** Removes the interval's timer. A closed interval must not be ticked again. */
    public void close() {
        sleep.drop();
    }

    @Override
    public String toString() {
        return "Interval(period " + period + " ns, next tick " + next + ")";
    }
}
