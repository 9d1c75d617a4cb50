package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counting semaphore whose waiters are served strictly in arrival order: a waiter that
 * needs many permits at the head of the queue is not overtaken by later, smaller requests.
 * {@link Mutex}, {@link RwLock}, {@link OnceCell} and the bounded channels are built on it.
 *
 * <h2>State</h2>
 * <pre>
 *  state (int):  | available permits (30 bits) | WAITERS | CLOSED |
 * </pre>
 * {@code WAITERS} is set exactly while the wait list is non-empty and is changed only under
 * the lock. <b>Invariant:</b> while {@code WAITERS} is set, the available count is 0: permits
 * that arrive go to the head waiter first, and only what no waiter needs is counted as
 * available. This is what makes the lock-free paths fair: {@link #tryAcquire} takes from the
 * count only, and the count is empty whenever someone waits.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li><b>Acquire, first poll.</b> If enough permits are available, take them by CAS; no
 *       lock. Otherwise take the lock, then (by CAS, so that a concurrent lock-free release is
 *       either seen or forced onto the lock) take every available permit, set
 *       {@code WAITERS}, and append a waiter that records how many permits it still needs.
 *   <li><b>Release</b> ({@link Permit#close}, {@link #addPermits}). Without {@code WAITERS},
 *       add to the count by CAS; no lock. With it, take the lock and assign permits to the
 *       waiters from the head: a waiter whose need reaches zero is unlinked and marked
 *       {@code GRANTED}; whatever is left once the list is empty goes to the count, clearing
 *       {@code WAITERS} in the same CAS. Granted waiters are woken after the lock is released.
 *   <li><b>Acquire, later polls.</b> Store the waker if it changed (volatile), then re-read
 *       the waiter's phase (volatile). The releaser writes the phase, then reads the waker:
 *       one of the two sees the other, so a grant is never missed.
 *   <li><b>Drop of a pending acquire.</b> Under the lock: a still-queued waiter is unlinked
 *       and the permits already assigned to it are released as in step 2 (they go to the
 *       next waiters, never to the count past them). A waiter granted before the drop took
 *       the lock gives back all its permits. Grants and drops are serialised by the lock, so
 *       no permit is lost or handed out twice.
 *   <li><b>Close.</b> Under the lock: set {@code CLOSED}, unlink every waiter (its partly
 *       assigned permits go back to the count), mark them {@code CLOSED}, wake them after
 *       unlocking. No waiter can be queued after that: enqueueing checks {@code CLOSED}
 *       under the same lock.
 * </ol>
 *
 * <p><b>Accounting invariant:</b> available + assigned to queued waiters + held by granted,
 * not yet completed acquires + held by live {@link Permit}s = initial permits + added −
 * forgotten.
 *
 * <h2>Bounding the total</h2>
 * Acquires and releases only move permits between the parts of that sum; only
 * {@link #addPermits} and {@link Permit#forget} change it. The right-hand side is kept in its
 * own counter, {@code total}, which no acquire or release touches. {@code addPermits} raises
 * it by CAS (refusing to go past {@link #MAX_PERMITS}) <em>before</em> handing the permits
 * out, and {@code forget} lowers it <em>after</em> the permit is marked released, so the sum
 * above never exceeds {@code total} &le; {@code MAX_PERMITS}. Hence returning permits can
 * never overflow the count: {@link Permit#close} and the drop of a granted acquire cannot
 * fail for that reason.
 *
 * <p>Any thread may call any method. Follows the design of Tokio's
 * {@code sync/batch_semaphore.rs}.
 */
public final class Semaphore {
    private static final int CLOSED = 1;
    private static final int WAITERS = 2;
    private static final int SHIFT = 2;

    /** The most permits a semaphore can hold: 2<sup>30</sup> − 1. */
    public static final int MAX_PERMITS = Integer.MAX_VALUE >>> (SHIFT - 1);

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final VarHandle STATE;
    private static final VarHandle TOTAL;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Semaphore.class, "state", int.class);
            TOTAL = MethodHandles.lookup().findVarHandle(Semaphore.class, "total", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** See the layout above; accessed through {@link #STATE} for CAS. */
    private volatile int state;
    /**
     * Initial + added − forgotten permits, at most {@link #MAX_PERMITS}; changed by CAS only by
     * {@link #addPermits} and {@link Permit#forget} (see "Bounding the total").
     */
    private volatile int total;
    private final Object lock = new Object();
    /** The wait list, oldest first; guarded by {@link #lock} (its length is read without it). */
    private final WaitQueue<Acquire> waiters = new WaitQueue<>();
    private final int serial = SERIAL.incrementAndGet();

    /** A semaphore holding {@code permits} permits (0 to {@link #MAX_PERMITS}). */
    public Semaphore(int permits) {
        checkCount(permits);
        state = permits << SHIFT;
        total = permits;
    }

    private static void checkCount(int n) {
        if (n < 0 || n > MAX_PERMITS) {
            throw new IllegalArgumentException("permits must be in 0.." + MAX_PERMITS + ", got " + n);
        }
    }

    private static int available(int s) {
        return s >>> SHIFT;
    }

    private int cas(int expected, int next) {
        return (int) STATE.compareAndExchange(this, expected, next);
    }

    // ---- public API -----------------------------------------------------------------------

    /** {@code acquire(1)}. */
    public Future<Permit> acquire() {
        return acquire(1);
    }

    /**
     * A future of {@code n} permits, served in FIFO order behind earlier waiters. Lazy: it joins
     * the queue on its first poll. Fails with {@link ClosedException} if the semaphore is
     * closed before the permits are granted. Consumes one unit of the cooperative budget when
     * it completes, even if it is ready on its first poll.
     *
     * <p><b>Cancellation-safe</b> in Tokio's sense: dropping the pending future only loses its
     * place in the queue. Permits already assigned to it are passed on to the next waiters (or
     * returned to the semaphore), and a future that was granted but not yet polled gives all
     * of them back.
     *
     * @throws IllegalArgumentException if {@code n} is negative or above {@link #MAX_PERMITS}
     */
    public Future<Permit> acquire(int n) {
        checkCount(n);
        return new Acquire(this, n, "semaphore.acquire", this);
    }

    /**
     * {@link #acquire(int)} for the primitives built on this semaphore: a pending poll records
     * {@code op} on {@code owner} (the lock or channel the user sees) as what the task waits on,
     * instead of this semaphore.
     */
    Future<Permit> acquire(int n, String op, Object owner) {
        checkCount(n);
        return new Acquire(this, n, op, owner);
    }

    /** {@code tryAcquire(1)}. */
    public Permit tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code n} permits now, or returns null if fewer are available. Never overtakes a
     * waiter: while anybody waits, no permits are available.
     *
     * @throws ClosedException if the semaphore is closed
     */
    public Permit tryAcquire(int n) {
        checkCount(n);
        int s = state;
        for (;;) {
            if ((s & CLOSED) != 0) {
                throw new ClosedException();
            }
            if (available(s) < n) {
                return null;
            }
            int w = cas(s, s - (n << SHIFT));
            if (w == s) {
                return new Permit(this, n);
            }
            s = w;
        }
    }

    /**
     * Adds {@code n} permits, waking waiters that they satisfy. Allowed after {@link #close}
     * (they are then only counted).
     *
     * @throws IllegalStateException if the semaphore's total, counting the permits that are
     *         available, those held by {@link Permit}s and those assigned or granted to
     *         pending acquires, would exceed {@link #MAX_PERMITS}; nothing is added then
     */
    public void addPermits(int n) {
        checkCount(n);
        int t = total;
        for (;;) {
            if (n > MAX_PERMITS - t) {
                throw new IllegalStateException("cannot add " + n + " permits to " + this
                        + ": with the " + t + " it has (available, held, or assigned to acquires)"
                        + " it would exceed MAX_PERMITS (" + MAX_PERMITS + "); nothing was added");
            }
            int w = (int) TOTAL.compareAndExchange(this, t, t + n);
            if (w == t) {
                break;
            }
            t = w;
        }
        release(n);
    }

    /** Permits taken out of the semaphore for good by {@link Permit#forget}. */
    private void shrink(int n) {
        TOTAL.getAndAdd(this, -n);
    }

    /** Permits that can be taken right now (0 while anybody waits). */
    public int availablePermits() {
        return available(state);
    }

    /**
     * Closes the semaphore: every acquire still waiting in the queue, and every acquire polled
     * for the first time afterwards, fails with {@link ClosedException}, and so does
     * {@link #tryAcquire}. Waiters are woken. An acquire that was already <em>granted</em>
     * before the close (its permits were handed to it while it waited, but it has not been
     * polled since) is not affected: its next poll still returns its {@link Permit}. Permits
     * already held stay valid and may still be released. Idempotent.
     */
    public void close() {
        Acquire chain;
        synchronized (lock) {
            int s = state;
            if ((s & CLOSED) != 0) {
                return;
            }
            int giveBack = 0;
            Acquire first = null;
            Acquire last = null;
            for (Acquire w = waiters.peekFirst(); w != null; ) {
                Acquire next = w.unchain();
                giveBack += w.requested - w.needed;
                w.phase = Acquire.CLOSED; // volatile: pairs with the waker store in Acquire.poll
                if (last == null) {
                    first = w;
                } else {
                    last.wakeNext = w;
                }
                last = w;
                w = next;
            }
            waiters.takeAll(); // the nodes are unchained already; a waiterCount() of 0 now means all were marked
            // While WAITERS was set the count was 0, so giveBack cannot overflow it.
            for (;;) {
                int w = cas(s, ((available(s) + giveBack) << SHIFT) | CLOSED);
                if (w == s) {
                    break;
                }
                s = w;
            }
            chain = first;
        }
        wakeChain(chain);
    }

    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Acquires waiting in the queue right now (for diagnostics and tests). */
    public int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        int s = state;
        return "Semaphore#" + serial + "(permits=" + available(s) + ", waiters=" + waiters.size()
                + ((s & CLOSED) != 0 ? ", closed)" : ")");
    }

    // ---- machinery --------------------------------------------------------------------------

    /** Returns {@code n} permits: to the count without a lock if nobody waits, else to waiters. */
    void release(int n) {
        if (n == 0) {
            return;
        }
        int s = state;
        while ((s & WAITERS) == 0) {
            // available + n <= total <= MAX_PERMITS (see "Bounding the total"): no overflow.
            int w = cas(s, s + (n << SHIFT));
            if (w == s) {
                return;
            }
            s = w;
        }
        Acquire chain;
        synchronized (lock) {
            chain = assignLocked(n);
        }
        wakeChain(chain);
    }

    /**
     * Gives {@code n} permits to the waiters from the head; what is left once the list is empty
     * goes to the count and clears {@code WAITERS}. Returns the granted waiters, linked through
     * {@code wakeNext}, to be woken after the lock is released.
     */
    private Acquire assignLocked(int n) {
        Acquire first = null;
        Acquire last = null;
        int rem = n;
        for (Acquire w; rem > 0 && (w = waiters.peekFirst()) != null; ) {
            int take = Math.min(rem, w.needed);
            w.needed -= take;
            rem -= take;
            if (w.needed == 0) {
                waiters.unlink(w);
                w.phase = Acquire.GRANTED; // volatile: pairs with the waker store in Acquire.poll
                if (last == null) {
                    first = w;
                } else {
                    last.wakeNext = w;
                }
                last = w;
            }
        }
        if (waiters.isEmpty()) {
            int s = state;
            for (;;) {
                // available + rem <= total <= MAX_PERMITS (see "Bounding the total").
                int w = cas(s, (s & ~WAITERS) + (rem << SHIFT));
                if (w == s) {
                    break;
                }
                s = w;
            }
        }
        return first;
    }

    /**
     * First poll of an acquire: takes the permits (true) or queues the waiter for those still
     * missing (false), after taking every available one.
     */
    private boolean acquireOrEnqueue(Acquire node, Waker waker) {
        int n = node.requested;
        int s = state;
        for (;;) {
            if ((s & CLOSED) != 0) {
                throw new ClosedException();
            }
            if (available(s) < n) {
                break;
            }
            int w = cas(s, s - (n << SHIFT));
            if (w == s) {
                return true;
            }
            s = w;
        }
        synchronized (lock) {
            // The lock comes before the draining CAS: a release that lands after the CAS sees
            // WAITERS and must take the lock, so it finds this waiter in the list.
            s = state;
            for (;;) {
                if ((s & CLOSED) != 0) {
                    throw new ClosedException();
                }
                int avail = available(s);
                if (avail >= n) {
                    int w = cas(s, s - (n << SHIFT));
                    if (w == s) {
                        return true;
                    }
                    s = w;
                    continue;
                }
                int w = cas(s, WAITERS);
                if (w == s) {
                    node.needed = n - avail;
                    break;
                }
                s = w;
            }
            node.waker = waker;
            node.phase = Acquire.QUEUED;
            waiters.append(node);
        }
        return false;
    }

    /** Drop of an acquire: see step 4 of the protocol. */
    private void cancel(Acquire node) {
        Acquire chain = null;
        boolean granted;
        synchronized (lock) {
            int p = node.phase;
            granted = p == Acquire.GRANTED;
            node.phase = Acquire.DONE;
            if (p == Acquire.QUEUED) {
                waiters.unlink(node);
                chain = assignLocked(node.requested - node.needed);
            }
        }
        wakeChain(chain);
        if (granted) {
            release(node.requested);
        }
    }

    /** Wakes every waiter of the chain; a throwing waker is logged (see {@link Coop}). */
    private void wakeChain(Acquire w) {
        while (w != null) {
            Acquire next = w.wakeNext;
            w.wakeNext = null;
            Coop.wake(w.waker, this);
            w = next;
        }
    }

    // ---- test hooks ---------------------------------------------------------------------------

    /**
     * Permits an acquire future holds right now: all of them once granted, those assigned so
     * far while queued, else 0. For tests; call it while nothing else touches the future.
     */
    static int heldBy(Future<Permit> future) {
        Acquire a = (Acquire) future;
        synchronized (a.semaphore.lock) {
            int p = a.phase;
            return p == Acquire.GRANTED ? a.requested : p == Acquire.QUEUED ? a.requested - a.needed : 0;
        }
    }

    /** Whether an acquire future has been granted or closed out and awaits its next poll. For tests. */
    static boolean isResolved(Future<Permit> future) {
        int p = ((Acquire) future).phase;
        return p == Acquire.GRANTED || p == Acquire.CLOSED;
    }

    /** Initial + added − forgotten permits. For tests. */
    int totalPermits() {
        return total;
    }

    /** Checks the state invariants under the lock; throws {@link AssertionError}. For tests. */
    void checkInvariants() {
        synchronized (lock) {
            int s = state;
            int n = 0;
            for (Acquire w = waiters.peekFirst(); w != null; w = w.next) {
                n++;
                if (w.phase != Acquire.QUEUED || w.needed <= 0) {
                    throw new AssertionError("bad waiter in list: phase " + w.phase + ", needed " + w.needed);
                }
            }
            if (n != waiters.size()) {
                throw new AssertionError("waiterCount " + waiters.size() + " but " + n + " waiters");
            }
            if (((s & WAITERS) != 0) != (n > 0)) {
                throw new AssertionError("WAITERS bit " + ((s & WAITERS) != 0) + " with " + n + " waiters");
            }
            if (n > 0 && available(s) != 0) {
                throw new AssertionError(available(s) + " permits available while " + n + " wait");
            }
            int t = total;
            if (t < 0 || t > MAX_PERMITS || available(s) > t) {
                throw new AssertionError(available(s) + " permits available, total " + t);
            }
        }
    }

    // ---- nested types -------------------------------------------------------------------------

    /** Raised by acquires on a closed semaphore. */
    public static final class ClosedException extends RuntimeException {
        public ClosedException() {
            super("semaphore closed");
        }
    }

    /**
     * Permits taken from a semaphore. {@link #close()} gives them back exactly once (a second
     * call does nothing); {@link #forget()} consumes them for good.
     *
     * <p>Permits are <em>owned</em>: a permit is not tied to the task or thread that acquired
     * it and may be handed to another task and released there. This is Java's counterpart of
     * Tokio's {@code OwnedSemaphorePermit}; the garbage collector keeps the semaphore alive as
     * long as a permit refers to it, so there is no borrowed variant.
     */
    public static final class Permit implements AutoCloseable {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Semaphore semaphore;
        private final int permits;
        @SuppressWarnings("unused")
        private volatile boolean released;

        Permit(Semaphore semaphore, int permits) {
            this.semaphore = semaphore;
            this.permits = permits;
        }

        /** How many permits this holds. */
        public int permits() {
            return permits;
        }

        public Semaphore semaphore() {
            return semaphore;
        }

        /** Whether {@link #close()} or {@link #forget()} was called. */
        public boolean isReleased() {
            return released;
        }

        /**
         * Returns the permits to the semaphore; later calls do nothing. Never fails: the
         * permits always fit (see {@link Semaphore#addPermits}), and a waker that throws
         * while waiters are granted is logged, not rethrown.
         */
        @Override
        public void close() {
            if (RELEASED.compareAndSet(this, false, true)) {
                semaphore.release(permits);
            }
        }

        /**
         * Package use: the permits stay taken but no longer belong to this permit; whoever
         * they were handed to returns them with {@link Semaphore#release(int)} (the bounded
         * mpsc: a sent value holds its slot until the receiver takes it). Unlike
         * {@link #forget()} the semaphore's total is unchanged, so this costs one CAS less on
         * each side.
         */
        void handOff() {
            RELEASED.setRelease(this, true); // single owner: no concurrent close or forget
        }

        /**
         * Consumes the permits without returning them: the semaphore shrinks for good, which
         * leaves room for as many more to be {@linkplain Semaphore#addPermits added}.
         */
        public void forget() {
            if (RELEASED.compareAndSet(this, false, true)) {
                semaphore.shrink(permits);
            }
        }

        @Override
        public String toString() {
            return "Permit(" + permits + " of Semaphore#" + semaphore.serial + (released ? ", released)" : ")");
        }
    }

    /**
     * The future of {@link #acquire(int)}, which is also its node in the wait list.
     *
     * <pre>
     *  IDLE ──first poll──▶ QUEUED ──release──▶ GRANTED ──poll──▶ DONE
     *    │                    │ └────close────▶ CLOSED  ──poll──▶ DONE (throws)
     *    └─enough permits──▶ GRANTED            └─drop──────────▶ DONE
     * </pre>
     * {@code QUEUED → GRANTED/CLOSED} happen under the lock, by other threads; every other
     * transition is made by the owner, which polls and drops.
     */
    private static final class Acquire extends WaitNode<Acquire> implements Future<Permit> {
        static final int IDLE = 0;
        static final int QUEUED = 1;
        static final int GRANTED = 2;
        static final int CLOSED = 3;
        static final int DONE = 4;

        final Semaphore semaphore;
        final int requested;
        /** What a pending poll records as its wait (see {@link Context#waitingOn}). */
        final String op;
        final Object owner;
        volatile int phase;
        /** Set before the waiter is linked (under the lock), then by the owner; read by wakers. */
        volatile Waker waker;
        /** Permits still to be assigned; guarded by the lock while queued. */
        int needed;
        // Wait-list links (prev, next) are inherited from WaitNode; guarded by the lock.
        /** Link in a chain of waiters to wake; written under the lock by the thread that wakes them. */
        Acquire wakeNext;

        Acquire(Semaphore semaphore, int requested, String op, Object owner) {
            this.semaphore = semaphore;
            this.requested = requested;
            this.op = op;
            this.owner = owner;
        }

        @Override
        public Poll<Permit> poll(Context cx) {
            int p = phase;
            if (p == IDLE) {
                if (Coop.mustYield(cx)) {
                    return Poll.pending();
                }
                boolean now;
                try {
                    now = semaphore.acquireOrEnqueue(this, cx.waker());
                } catch (ClosedException e) {
                    phase = DONE;
                    cx.pollProceed(); // a failure completes the wait too; mustYield left budget for it
                    throw e;
                }
                if (!now) {
                    cx.waitingOn(op, owner);
                    return Poll.pending();
                }
                p = GRANTED;
                phase = GRANTED; // not shared yet; kept so that a drop after a forced yield gives the permits back
            } else if (p == QUEUED) {
                Waker k = cx.waker();
                if (waker != k) {
                    waker = k; // volatile store, then the phase re-read: pairs with assignLocked / close
                }
                p = phase;
                if (p == QUEUED) {
                    cx.waitingOn(op, owner);
                    return Poll.pending();
                }
            }
            if (p == GRANTED) {
                if (!cx.pollProceed()) {
                    return Poll.pending();
                }
                phase = DONE;
                waker = null;
                return Poll.ready(new Permit(semaphore, requested));
            }
            if (p == CLOSED) {
                if (!cx.pollProceed()) {
                    return Poll.pending();
                }
                phase = DONE;
                waker = null;
                throw new ClosedException();
            }
            throw new IllegalStateException("acquire polled after it completed");
        }

        @Override
        public void drop() {
            int p = phase;
            if (p == QUEUED || p == GRANTED) {
                semaphore.cancel(this);
            }
            phase = DONE;
            waker = null;
        }

        @Override
        public String toString() {
            return "Acquire(" + requested + " of " + semaphore + ")";
        }
    }
}
