package dev.braid.runtime.internal;

import dev.braid.time.Clock;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** The two kinds of {@link Clock}: the system clock and a paused clock. */
public final class ClockImpl extends Clock {
    public static final ClockImpl SYSTEM = new ClockImpl(false, false);

    private final boolean paused;
    private final boolean autoAdvance;
    private final long base = System.nanoTime();
    /** Paused clocks only: how far the clock was advanced. */
    private final AtomicLong offset = new AtomicLong();
    /** Paused clocks only: the driver of the one runtime this clock belongs to. */
    private volatile TimeDriver driver;

    public ClockImpl(boolean paused, boolean autoAdvance) {
        this.paused = paused;
        this.autoAdvance = autoAdvance;
    }

    @Override
    public long nanoTime() {
        return paused ? base + offset.get() : System.nanoTime();
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public boolean isAutoAdvance() {
        return autoAdvance;
    }

    @Override
    public void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (!paused) {
            throw new IllegalStateException("advance() needs a paused clock: build the runtime with "
                    + ".clock(Clock.paused()) or .clock(Clock.manual())");
        }
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: advance(" + by + ")");
        }
        offset.addAndGet(by.toNanos());
        TimeDriver d = driver;
        if (d != null) {
            d.process(nanoTime());
        }
    }

    /** Moves a paused clock to {@code nanos} unless it is already past it. */
    void advanceTo(long nanos) {
        offset.accumulateAndGet(nanos - base, Math::max);
    }

    void attach(TimeDriver d) {
        if (!paused) {
            return;
        }
        synchronized (this) {
            if (driver != null) {
                throw new IllegalStateException("this paused clock already drives another runtime; "
                        + "give each runtime its own Clock.paused()");
            }
            driver = d;
        }
    }

    @Override
    public String toString() {
        return paused ? (autoAdvance ? "Clock.paused()" : "Clock.manual()") + "@" + (offset.get() / 1_000_000) + "ms"
                : "Clock.system()";
    }
}
