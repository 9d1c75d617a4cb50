package dev.braid.time;

import dev.braid.runtime.internal.ClockImpl;

import java.time.Duration;

/**
 * The time source of a runtime's timers. Give one to
 * {@code BraidRuntime.builder().clock(...)}; the default is {@link #system()}.
 *
 * <h2>Paused clocks, for tests</h2>
 * A paused clock stands still until {@link #advance(Duration) advanced}, so timer tests are
 * exact and take no real time:
 * <ul>
 *   <li>{@link #paused()} also <em>auto-advances</em>: when the runtime has nothing to do
 *       (no runnable task, no blocking work) it jumps straight to the next timer deadline.
 *       A test that sleeps an hour finishes at once, and every timer still fires in
 *       deadline order. On the current-thread flavour this is exact. On the multi-thread
 *       flavour "nothing to do" is judged by the workers; a thread outside the runtime that
 *       is busy inside {@code blockOn} between two polls is not seen, so keep such tests on
 *       the current-thread flavour when timing must be exact.
 *       With sockets, "nothing to do" includes "no I/O ready at this instant": a reply
 *       that is still on its way does not stop the jump, so give real network peers real
 *       time (or a manual clock).
 *   <li>{@link #manual()} moves only when told.
 * </ul>
 * A paused clock belongs to one runtime.
 */
public abstract sealed class Clock permits ClockImpl {
    protected Clock() {
    }

    /** The real monotonic clock ({@link System#nanoTime()}). */
    public static Clock system() {
        return ClockImpl.SYSTEM;
    }

    /** A paused clock that auto-advances to the next deadline when the runtime is idle. */
    public static Clock paused() {
        return new ClockImpl(true, true);
    }

    /** A paused clock that moves only through {@link #advance(Duration)}. */
    public static Clock manual() {
        return new ClockImpl(true, false);
    }

    /** Now, in nanoseconds, on the same scale as {@link System#nanoTime()}. */
    public abstract long nanoTime();

    public abstract boolean isPaused();

    /** Whether this paused clock jumps to the next deadline when its runtime is idle. */
    public abstract boolean isAutoAdvance();

    /**
     * Moves a paused clock forward by {@code by} and fires every timer that is now due (their
     * tasks are woken before this returns). Throws on the system clock.
     */
    public abstract void advance(Duration by);
}
