package dev.braid.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The state of one worker slot: its run queue, LIFO slot, parker and counters. A core is
 * driven by exactly one thread at a time ({@link #thread}); {@code blockInPlace} hands it
 * to a fresh thread, which is why the parker follows the core and not the thread.
 *
 * <p>Fields without a note are written only by the driving thread. The counters are plain
 * fields that other threads read racily (64-bit plain reads do not tear on the 64-bit JVMs we
 * run on). Most are read only by metrics, where a stale value is an older snapshot.
 * {@code polls} also decides things: the monitor compares it between samples, with the task
 * in {@link Slots#current}, to tell one long poll from many short ones (a stall), re-checks it
 * before it orphans a core, and the deadlock check sums it to see progress. The driving
 * thread increments it before the release store that publishes the poll's task
 * ({@link #setCurrent}), and the monitor reads it after an acquire load of that task, so a
 * sample that sees a new poll's task also sees its count. A stale read lags by the time a
 * store takes to become visible, far below a monitor tick, and what it could cause is cheap:
 * a stall is reported only if the same poll is still running after the stalled thread's
 * stack was taken, and a core orphaned just after its poll ended only hands its work on.
 */
final class Core extends CoreFields implements Parker {
    // Padding after the fields (CorePad pads before them): the owner writes its counters on
    // every poll, and a copying GC may move two cores next to each other.
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    private static final VarHandle LIFO;
    private static final VarHandle NOTIFIED;
    private static final VarHandle SPAWNED;
    private static final VarHandle COMPLETED;
    private static final VarHandle CURRENT;
    private static final VarHandle NOTIFIED_AT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LIFO = l.findVarHandle(Slots.class, "lifo", Task.class);
            NOTIFIED = MethodHandles.privateLookupIn(CoreFields.class, l).findVarHandle(CoreFields.class, "notified", boolean.class);
            SPAWNED = MethodHandles.privateLookupIn(CoreFields.class, l).findVarHandle(CoreFields.class, "spawned", long.class);
            COMPLETED = MethodHandles.privateLookupIn(CoreFields.class, l).findVarHandle(CoreFields.class, "completed", long.class);
            CURRENT = l.findVarHandle(Slots.class, "current", Task.class);
            NOTIFIED_AT = l.findVarHandle(Core.class, "notifiedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // (The fields live in CoreFields, between two pads.)

    Core(int index, long seed) {
        super(index, seed);
    }

    // Live-task counters: one writer (the driving thread), read by metrics on any thread.
    // Opaque stores (a plain move on x86) so that every increment is eventually visible and
    // none is merged away by the compiler; opaque loads so that a polling reader sees them.

    void countSpawned() {
        SPAWNED.setOpaque(this, spawned + 1);
    }

    void countCompleted() {
        COMPLETED.setOpaque(this, completed + 1);
    }

    long spawnedCount() {
        return (long) SPAWNED.getOpaque(this);
    }

    long completedCount() {
        return (long) COMPLETED.getOpaque(this);
    }

    /**
     * The two references a worker stores on every poll: the LIFO slot and the task being
     * polled. They live in an object of their own, not in the core, so that the worker can
     * keep them in the young generation ({@link #renewSlots}): G1 (up to JDK 25) puts a
     * StoreLoad fence in the write barrier of every store of a young reference into an old
     * object, and once a long-lived core had been promoted those two stores (with the
     * context's waker) took a spawn-and-poll from 28 to 44 ns. Not padded: a collection may
     * copy two workers' slots side by side, but the next renewal separates them again.
     */
    static final class Slots {
        /** The task most recently woken by the running task. Exchanged atomically: the
         *  monitor takes it from a stalled worker. */
        @SuppressWarnings("unused")
        volatile Task<?> lifo;
        /** The task being polled, or null between polls; written by the driving thread with a
         *  release store, read by the monitor (see {@link Monitor}). */
        @SuppressWarnings("unused")
        Task<?> current;
    }

    /** Ticks between {@link #renewSlots} calls; a power of two. */
    static final int RENEW_TICKS = 64;

    /**
     * Owner, between polls: replaces the slots object with a fresh one, which the next
     * collection finds young and the one after that has usually replaced again. Only when
     * the LIFO slot is empty: only the owner fills it, so nothing can arrive in the old
     * object after the check, and a taker that still reads the old one finds it empty.
     * Called every {@link #RENEW_TICKS} ticks and after a park.
     */
    void renewSlots() {
        if (LIFO.getOpaque(slots) == null) {
            slots = new Slots();
        }
    }

    /** Owner: marks the start (task) or end (null) of a poll; a plain store on x86. */
    void setCurrent(Task<?> task) {
        CURRENT.setRelease(slots, task);
    }

    /** The task being polled right now, for the monitor and dumps. */
    Task<?> current() {
        return (Task<?>) CURRENT.getAcquire(slots);
    }

    /**
     * Owner (or a core no thread drives yet): puts {@code task} in the LIFO slot and returns
     * the task it displaced. Only the owner ever stores a task in the slot; other threads (the
     * monitor handing on a stalled core's work, shutdown) only take it out. So an empty slot
     * can be filled with a release store, no atomic exchange: a taker that comes between the
     * read and the store finds nothing, and the task stays for the owner or the next taker.
     * W5 (a chain of spawns, each into an empty slot) spent a quarter of its samples in the
     * exchange's store-buffer drain. A full slot needs the exchange, or the owner and a taker
     * could both move the displaced task on.
     */
    Task<?> swapLifo(Task<?> task) {
        Slots s = slots;
        if (LIFO.getOpaque(s) == null) {
            LIFO.setRelease(s, task);
            return null;
        }
        return (Task<?>) LIFO.getAndSet(s, task);
    }

    Task<?> takeLifo() {
        Slots s = slots;
        if (LIFO.getOpaque(s) == null) { // opaque: a cheap pre-check, the exchange decides
            return null;
        }
        return (Task<?>) LIFO.getAndSet(s, (Task<?>) null);
    }

    boolean hasLifo() {
        return LIFO.getOpaque(slots) != null; // snapshot for metrics and pending-work checks
    }

    // ---- adaptive idle spinning (owner only, except notifiedAt) ---------------------------

    /** The shortest spin worth starting: below it, the wait for a thread's wake-up dominates. */
    private static final long MIN_SPIN_NANOS = 2_000;
    /** The most spin credit a worker keeps, in spin limits: after a long busy stretch it may
     *  spin through a few idle waits in a row, not through an idle stretch of any length. */
    private static final int MAX_CREDIT_LIMITS = 4;

    /** The last 8 idle waits, one bit each, newest lowest: 1 if the wake-up came within the
     *  spin limit. */
    private int shortWaits;
    /** A decaying maximum of the recent short waits, in nanoseconds. */
    private long shortWaitMax;
    /** {@link System#nanoTime()} when the current idle wait began. */
    private long idleSince;
    /** {@link System#nanoTime()} when the last idle wait ended; 0 before the first. */
    private long busySince;
    /** Nanoseconds this worker may still spend spinning: it earns its busy time and pays its
     *  spins, so spinning at most doubles the CPU time a worker uses. */
    private long spinCredit;
    /** {@link System#nanoTime()} of the latest {@link #unpark()}, stamped by the notifier
     *  before it sets the permit (opaque: written by any thread, read by the owner). */
    @SuppressWarnings("unused")
    private long notifiedAt;

    /**
     * How long to spin before parking, given the spin limit: the limit's worth or less if
     * most of the last 8 waits ended within it (twice the recent longest of those, at least
     * {@link #MIN_SPIN_NANOS}), else 0. So a worker whose wake-ups come in quick succession
     * (request and reply with a thread outside, a chain of hand-offs) catches them without a
     * system call, and one that waits longer than the limit, a steady trickle of work, never
     * burns CPU for nothing: its waits teach it not to spin. And only if the worker has
     * earned that much spinning by being busy (see {@link #spinCredit}): a worker that wakes
     * for tiny tasks in quick succession, where a spin would cost far more than the work,
     * spins now and then at most.
     */
    long spinBudget(long limit) {
        if (limit == 0 || Integer.bitCount(shortWaits & 0xFF) < 5) {
            return 0;
        }
        long budget = Math.min(limit, Math.max(MIN_SPIN_NANOS, 2 * shortWaitMax));
        return spinCredit >= budget ? budget : 0;
    }

    /** Marks the start of an idle wait at {@code now}: the busy time since the last one is
     *  credited. */
    void beginIdle(long now, long limit) {
        idleSince = now;
        if (busySince != 0) {
            spinCredit = Math.min(MAX_CREDIT_LIMITS * limit, spinCredit + (now - busySince));
        }
    }

    /** Marks the end of an idle wait at {@code now}. */
    void endIdle(long now) {
        busySince = now;
    }

    /** Learns from an idle wait that a notification ended whether it was short. */
    void learnNotifiedWait(long limit) {
        if (limit == 0) {
            return;
        }
        // Measured to the notifier's stamp, not to when this thread ran again: the latter adds
        // the time the OS took to wake it, which spinning is there to avoid.
        learnWait(Math.max(0, (long) NOTIFIED_AT.getOpaque(this) - idleSince), limit);
    }

    /** Records one idle wait of {@code waited} nanoseconds against the spin limit. */
    void learnWait(long waited, long limit) {
        boolean isShort = waited <= limit;
        shortWaits = (shortWaits << 1) | (isShort ? 1 : 0);
        if (isShort) {
            shortWaitMax = Math.max(shortWaitMax - (shortWaitMax >> 3), waited);
        }
    }

    /** Pays {@code nanos} of spinning out of the credit. */
    void spent(long nanos) {
        spinCredit -= nanos;
    }

    /**
     * Spins for up to {@code nanos} waiting for {@link #unpark()}; true if it came (and was
     * consumed). The flag is only read while spinning, so the notifier's cache line is not
     * pulled back and forth. The time spun is paid out of the credit.
     */
    boolean spinForUnpark(long nanos) {
        long start = System.nanoTime();
        long deadline = start + nanos;
        for (int i = 1; ; i++) {
            if ((boolean) NOTIFIED.getOpaque(this) && (boolean) NOTIFIED.getAndSet(this, false)) {
                spent(System.nanoTime() - start);
                return true;
            }
            if ((i & 63) == 0) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    spent(now - start);
                    return false;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Parks the driving thread until {@link #unpark()} (spurious returns allowed). */
    @Override
    public void park() {
        while (!(boolean) NOTIFIED.getAndSet(this, false)) {
            // An interrupt left behind by a task would make park() return at once forever;
            // workers do not use interrupts, so clear it.
            Thread.interrupted();
            LockSupport.park(this);
        }
    }

    /** Parks until {@link #unpark()} or until {@code nanos} have passed. */
    @Override
    public void parkNanos(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!(boolean) NOTIFIED.getAndSet(this, false)) {
            Thread.interrupted();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Set while this core's thread sleeps in the I/O driver's select (as the role holder). */
    volatile Parker selecting;
    private IoParker ioParker;

    /** The parker that sleeps in {@code io}'s select; cached. */
    Parker ioParker(IoDriver io) {
        IoParker p = ioParker;
        if (p == null || p.io != io) {
            p = ioParker = new IoParker(io, this);
        }
        return p;
    }

    /** Consumes a pending unpark, if any. */
    boolean takeNotified() {
        return (boolean) NOTIFIED.getAndSet(this, false);
    }

    @Override
    public void unpark() {
        NOTIFIED_AT.setOpaque(this, System.nanoTime()); // published by the volatile store below
        NOTIFIED.setVolatile(this, true);
        Parker s = selecting; // volatile: pairs with IoParker's store before it checks NOTIFIED
        if (s != null) {
            s.unpark();
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** A tiny seeded generator for choosing steal victims; owner-only. */
    static final class SplitMix {
        private long x;

        SplitMix(long seed) {
            x = seed;
        }

        int nextInt(int bound) {
            long z = (x += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            return (int) ((z >>> 33) % bound);
        }
    }
}
