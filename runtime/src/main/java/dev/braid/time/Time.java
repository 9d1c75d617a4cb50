package dev.braid.time;

import dev.braid.future.Future;
import dev.braid.runtime.internal.TimeDriver;

import java.time.Duration;
import java.util.Objects;

/**
 * Timers on the current runtime's timer wheel: {@link #sleep}, {@link #sleepUntil},
 * {@link #interval} and {@link #timeout}. Instants are {@code long} nanoseconds on the
 * runtime's {@link Clock} (the scale of {@link System#nanoTime()}); {@link #now()} reads it.
 *
 * <p>Durations count from the call when it is made inside a runtime (a task, a blocking
 * task, {@code blockOn}); a sleep or timeout made outside any runtime counts from its
 * first poll. The wheel's resolution is one millisecond: a timer fires in the first
 * millisecond tick at or after its deadline, never before it.
 */
public final class Time {
    private Time() {
    }

    /** Now on the current runtime's clock; {@link System#nanoTime()} outside a runtime. */
    public static long now() {
        TimeDriver d = Sleep.currentDriver();
        return d != null ? d.now() : System.nanoTime();
    }

    /** A future that completes once {@code duration} has passed. */
    public static Sleep sleep(Duration duration) {
        long nanos = toNanos(duration);
        TimeDriver d = Sleep.currentDriver();
        return d != null ? new Sleep(d, Sleep.saturatedAdd(d.now(), nanos)) : new Sleep(nanos);
    }

    /** A future that completes once the clock reaches {@code deadlineNanos}. */
    public static Sleep sleepUntil(long deadlineNanos) {
        TimeDriver d = Sleep.currentDriver();
        if (d == null) {
            throw new IllegalStateException("sleepUntil needs a runtime to read the deadline against: call it "
                    + "from a task or blockOn, or use sleep(duration)");
        }
        return new Sleep(d, deadlineNanos);
    }

    /** Ticks every {@code period}; the first tick completes at once. */
    public static Interval interval(Duration period) {
        TimeDriver d = requireDriver("interval");
        return new Interval(d, d.now(), positive(period));
    }

    /** Ticks every {@code period}, the first tick at {@code startNanos}. */
    public static Interval intervalAt(long startNanos, Duration period) {
        return new Interval(requireDriver("intervalAt"), startNanos, positive(period));
    }

    /**
     * {@code future}, failing with {@link ElapsedException} if it has not completed within
     * {@code duration}; the inner future is then dropped. An inner future that is ready on
     * its first poll registers no timer at all. Dropping the timeout drops the inner future
     * and cancels the timer: it is exactly as cancellation-safe as the inner future.
     */
    public static <T> Future<T> timeout(Duration duration, Future<T> future) {
        Objects.requireNonNull(future, "future");
        long nanos = toNanos(duration);
        TimeDriver d = Sleep.currentDriver();
        return d != null ? new Timeout<>(future, d, Sleep.saturatedAdd(d.now(), nanos), duration)
                : new Timeout<>(future, nanos, duration);
    }

    /** {@code future}, failing with {@link ElapsedException} if the clock reaches {@code deadlineNanos} first. */
    public static <T> Future<T> timeoutAt(long deadlineNanos, Future<T> future) {
        Objects.requireNonNull(future, "future");
        return new Timeout<>(future, requireDriver("timeoutAt"), deadlineNanos, null);
    }

    private static TimeDriver requireDriver(String what) {
        TimeDriver d = Sleep.currentDriver();
        if (d == null) {
            throw new IllegalStateException(what + " needs a runtime: call it from a task or blockOn");
        }
        return d;
    }

    private static long toNanos(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long positive(Duration period) {
        long p = toNanos(period);
        if (p <= 0) {
            throw new IllegalArgumentException("an interval's period must be positive, got " + period);
        }
        return p;
    }
}
