package dev.braid.time;

/**
 * What an {@link Interval} does when a tick is taken so late that the next one is already
 * due (a <em>missed</em> tick: the task was busy, or the runtime was blocked). A tick that
 * is late by less than one period is not missed: the next one stays on the schedule.
 */
public enum MissedTickBehavior {
    /** Fire the missed ticks straight away, one per {@code tick()}, until back on schedule. */
    BURST {
        @Override
        long next(long scheduled, long now, long period) {
            return scheduled + period;
        }
    },
    /** Start a new schedule: the next tick comes one period after now. */
    DELAY {
        @Override
        long next(long scheduled, long now, long period) {
            return now + period;
        }
    },
    /** Drop the missed ticks: the next tick is the first one of the old schedule after now. */
    SKIP {
        @Override
        long next(long scheduled, long now, long period) {
            return scheduled + period * ((now - scheduled) / period + 1);
        }
    };

    /** The tick after one scheduled at {@code scheduled} and taken at {@code now}, when missed. */
    abstract long next(long scheduled, long now, long period);

    long after(long scheduled, long now, long period) {
        long onSchedule = scheduled + period;
        return now < onSchedule ? onSchedule : next(scheduled, now, period);
    }
}
