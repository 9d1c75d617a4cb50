package dev.braid.runtime.internal;

import dev.braid.future.Waker;

/**
 * One registration in the {@link TimerWheel}: an intrusive list node plus the state that the
 * future owning it reads without the driver's lock.
 *
 * <h2>Fire protocol</h2>
 * The driver sets {@link #fired} (volatile) under its lock, then, after unlocking, reads
 * {@link #waker} and wakes it. The owner stores its waker (volatile), then re-reads
 * {@code fired}. With both accesses volatile, at least one side sees the other's write, so a
 * wake-up is never lost.
 */
public final class TimerEntry {
    /** Deadline in wheel ticks (milliseconds since the driver's origin). Guarded by the lock. */
    long tick;
    /** Level and slot while linked, -1 otherwise. Guarded by the lock. */
    int level = -1;
    int slot;
    TimerEntry prev;
    TimerEntry next;
    /** Next entry in the driver's batch of entries to wake (driver-local). */
    TimerEntry fireNext;

    volatile boolean fired;
    volatile Waker waker;

    public TimerEntry() {
    }

    public boolean isFired() {
        return fired;
    }

    /** Stores the waker to wake when the entry fires; re-check {@link #isFired()} after. */
    public void setWaker(Waker waker) {
        this.waker = waker;
    }

    boolean isLinked() {
        return level >= 0;
    }
}
