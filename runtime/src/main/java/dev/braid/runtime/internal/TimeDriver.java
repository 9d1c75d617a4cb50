package dev.braid.runtime.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A runtime's timers: the {@link TimerWheel} behind a lock, and the <em>driver role</em>.
 *
 * <h2>Who drives</h2>
 * Whichever worker parks first takes the role ({@link #tryAcquireRole()}) and sleeps in
 * {@link #park} until the next deadline instead of indefinitely; the other parked workers
 * sleep without a timeout. Busy workers also fire due timers every
 * {@code globalQueueInterval} ticks ({@code Scheduler.maintenance}), so timers fire while nobody
 * parks. Timers fire on the thread that processes them: their tasks are scheduled as that
 * thread's wake-ups (a worker's local queue), and woken after the wheel's lock is released.
 *
 * <h2>Nobody left to drive</h2>
 * The holder gives the role up to run the tasks its timers woke. If one of them then blocks
 * its poll, a worker that parked while the role was held sleeps without a timeout, and
 * nobody would fire timers or poll sockets until the block ended. The runtime's monitor
 * watches for that: when timers or I/O registrations exist and the role has stayed free and
 * untaken for a few samples, it unparks a parked worker, which takes the role on its way
 * back to sleep, or, with no worker parked, fires timers and polls I/O itself, every tick
 * until a worker drives again ({@code WorkerMonitor.superviseDrivers}).
 *
 * <h2>Waking the driver early</h2>
 * The sleeping driver publishes its parker and the tick it sleeps until under the lock in the
 * same section in which it read the next deadline. A registration with an earlier tick
 * (also under the lock) then either happened before that read, or sees the parker and
 * unparks it. Time is kept in whole milliseconds ("ticks") from the driver's origin: a
 * deadline is rounded up, the current time down, so a timer never fires early.
 */
public final class TimeDriver {
    private static final long NANOS_PER_TICK = 1_000_000;

    private final ClockImpl clock;
    private final long origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final TimerWheel wheel = new TimerWheel();
    private final AtomicBoolean role = new AtomicBoolean();
    /** Times the role was taken; the monitor reads it to tell a free role from a busy one. */
    private volatile long roleTakes;
    /** Wheel size, readable without the lock (a hint for busy workers). */
    private volatile int registered;
    /** The sleeping driver and the tick it sleeps until; guarded by {@link #lock}. */
    private Parker sleeper;
    private long sleepingUntil = Long.MAX_VALUE;
    private long fired;
    /** Set by {@link #nudge()}; cleared by the driver before it judges idleness. */
    private volatile boolean nudged;

    TimeDriver(ClockImpl clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        clock.attach(this);
    }

    public ClockImpl clock() {
        return clock;
    }

    public long now() {
        return clock.nanoTime();
    }

    private long tickCeil(long nanos) {
        long d = nanos - origin;
        return d <= 0 ? 0 : (d + NANOS_PER_TICK - 1) / NANOS_PER_TICK;
    }

    private long tickFloor(long nanos) {
        long d = nanos - origin;
        return d <= 0 ? 0 : d / NANOS_PER_TICK;
    }

    private long tickToNanos(long tick) {
        return origin + tick * NANOS_PER_TICK;
    }

    // ---- registrations --------------------------------------------------------------------

    /**
     * Registers (or re-registers) {@code e} to fire at {@code deadlineNanos}. Returns false,
     * with the entry marked fired, if the deadline has already been reached.
     */
    public boolean register(TimerEntry e, long deadlineNanos) {
        long tick = tickCeil(deadlineNanos);
        Parker wake = null;
        lock.lock();
        try {
            if (e.isLinked()) {
                wheel.remove(e);
            }
            e.tick = tick;
            if (!wheel.insert(e)) {
                e.fired = true;
                registered = wheel.size();
                return false;
            }
            e.fired = false;
            registered = wheel.size();
            if (sleeper != null && tick < sleepingUntil) {
                wake = sleeper;
                sleepingUntil = tick; // one early wake-up per earlier deadline
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.unpark();
        }
        return true;
    }

    /** Removes {@code e} if it has not fired. Idempotent. */
    public void cancel(TimerEntry e) {
        if (e.fired) {
            return; // fired entries are already unlinked
        }
        lock.lock();
        try {
            if (e.isLinked()) {
                wheel.remove(e);
                registered = wheel.size();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of registered timers. */
    public int registeredTimers() {
        return registered;
    }

    public long firedTimers() {
        lock.lock();
        try {
            return fired;
        } finally {
            lock.unlock();
        }
    }

    // ---- firing -----------------------------------------------------------------------------

    /**
     * Fires every timer due at {@code nowNanos}, waking their wakers after unlocking. Returns
     * how many fired.
     */
    public int process(long nowNanos) {
        long nowTick = tickFloor(nowNanos);
        TimerEntry batch;
        int n = 0;
        lock.lock();
        try {
            batch = wheel.poll(nowTick);
            for (TimerEntry e = batch; e != null; e = e.fireNext) {
                e.fired = true;
                n++;
            }
            fired += n;
            registered = wheel.size();
        } finally {
            lock.unlock();
        }
        while (batch != null) {
            TimerEntry next = batch.fireNext;
            batch.fireNext = null;
            Diagnostics.wakeGuarded(batch.waker, "a timer"); // the rest of the batch is unlinked already
            batch = next;
        }
        return n;
    }

    // ---- the driver role ----------------------------------------------------------------------

    boolean tryAcquireRole() {
        if (role.get() || !role.compareAndSet(false, true)) {
            return false;
        }
        roleTakes++; // only the holder writes it, so the volatile increment cannot lose a count
        return true;
    }

    /** Whether some thread holds the driver role now (it sleeps for the drivers, or is firing). */
    boolean roleHeld() {
        return role.get();
    }

    /** How many times the role has been taken; unchanged and free means nobody drove meanwhile. */
    long roleTakes() {
        return roleTakes;
    }

    void releaseRole() {
        role.set(false);
    }

    /**
     * Called by the role holder when it has nothing to run: fires due timers, then sleeps
     * until the next deadline or an unpark. With an auto-advancing paused clock and
     * {@code idle} true, jumps the clock to the next deadline instead of sleeping.
     * Returns without sleeping when timers fired (the caller may have tasks to run now).
     * {@code idle} is evaluated without this driver's lock held.
     */
    void park(Parker parker, BooleanSupplier idle) {
        if (process(clock.nanoTime()) > 0) {
            return; // the caller may have work now
        }
        boolean auto = autoAdvances();
        if (auto) {
            nudged = false;
            if (idle.getAsBoolean()) {
                long next;
                lock.lock();
                try {
                    next = wheel.nextExpiration();
                } finally {
                    lock.unlock();
                }
                if (next != Long.MAX_VALUE) {
                    clock.advanceTo(tickToNanos(next));
                    process(clock.nanoTime());
                    return;
                }
            }
        }
        long waitNanos; // < 0: no timeout
        lock.lock();
        try {
            if (auto && nudged) {
                return; // the runtime may have become idle since we looked: look again
            }
            long next = wheel.nextExpiration();
            if (next == Long.MAX_VALUE || clock.isPaused()) {
                waitNanos = -1; // paused time does not pass by itself
            } else {
                waitNanos = tickToNanos(next) - clock.nanoTime();
                if (waitNanos <= 0) {
                    waitNanos = 0;
                }
            }
            if (waitNanos != 0) {
                sleeper = parker;
                sleepingUntil = next;
            }
        } finally {
            lock.unlock();
        }
        if (waitNanos == 0) {
            process(clock.nanoTime());
            return;
        }
        try {
            if (waitNanos < 0) {
                parker.park();
            } else {
                parker.parkNanos(waitNanos);
            }
        } finally {
            lock.lock(); // also when the park throws (a failing selector): no stale sleeper
            try {
                sleeper = null;
                sleepingUntil = Long.MAX_VALUE;
            } finally {
                lock.unlock();
            }
        }
        process(clock.nanoTime());
    }

    /**
     * Tells the driver that the runtime may have become idle, waking it if it sleeps, so that
     * an auto-advancing clock can jump (called when a worker parks or blocking work ends).
     */
    void nudge() {
        nudged = true; // before the lock: pairs with the check under the lock in park()
        wakeSleeper();
    }

    /** Wakes the sleeping role holder, if any (it then parks again, maybe differently). */
    void wakeSleeper() {
        Parker p;
        lock.lock();
        try {
            p = sleeper;
        } finally {
            lock.unlock();
        }
        if (p != null) {
            p.unpark();
        }
    }

    boolean autoAdvances() {
        return clock.isPaused() && clock.isAutoAdvance();
    }
}
