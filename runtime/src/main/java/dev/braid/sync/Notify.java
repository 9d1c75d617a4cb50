package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes tasks that wait for an event, without carrying data (Tokio's {@code Notify}).
 *
 * <ul>
 *   <li>{@link #notifyOne()} wakes the oldest waiter; if nobody waits it stores <em>one</em>
 *       notification (several calls still store one), which the next {@link #notified()}
 *       consumes at once.
 *   <li>{@link #notifyWaiters()} wakes every waiter registered at the time of the call and
 *       stores nothing. A {@code notified()} future counts as registered from its creation,
 *       even before its first poll, so {@code f = notified(); … notifyWaiters(); await f}
 *       does not miss the call.
 * </ul>
 *
 * <h2>State</h2>
 * <pre>
 *  state (long):  | notifyWaiters generation (62 bits) | EMPTY / WAITING / NOTIFIED (2 bits) |
 * </pre>
 * A future records the generation when it is made and counts as notified once the generation
 * differs. The comparison is for equality, so the generation must not come back to the same
 * value while a future is alive: with 62 bits that takes 2<sup>62</sup> {@code notifyWaiters}
 * calls (over a century at a billion calls a second), where a 30-bit one would take only
 * 2<sup>30</sup>.
 * {@code WAITING} is set exactly while the wait list is non-empty and, like the generation,
 * changes only under the lock. Without waiters, {@code notifyOne} stores its notification by
 * CAS and a first poll consumes a stored one by CAS, both without the lock.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>First poll: done if the generation moved since creation or a stored notification
 *       can be consumed; otherwise, under the lock, check both again, set {@code WAITING} by
 *       CAS (a concurrent lock-free {@code notifyOne} makes it fail and is consumed instead)
 *       and append the waiter.
 *   <li>{@code notifyOne} with {@code WAITING}: under the lock, unlink the head waiter and mark
 *       it {@code NOTIFIED_ONE}; wake it after unlocking.
 *   <li>{@code notifyWaiters}: under the lock, bump the generation, unlink everyone and mark
 *       them {@code NOTIFIED_ALL}; wake them after unlocking.
 *   <li>Later polls store the waker (volatile), then re-read the phase (volatile); notifiers
 *       write the phase, then read the waker.
 *   <li>Drop: a waiting future is unlinked. A future chosen by {@code notifyOne} that has not
 *       returned ready passes the notification on, exactly as a new {@code notifyOne} call.
 * </ol>
 */
public final class Notify {
    private static final long EMPTY = 0;
    private static final long WAITING = 1;
    private static final long NOTIFIED = 2;
    private static final long MASK = 3;
    private static final long GEN_ONE = 4;

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Notify.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile long state;
    private final Object lock = new Object();
    /** Waiters, oldest first; guarded by {@link #lock} (its length is read without it). */
    private final WaitQueue<Notified> waiters = new WaitQueue<>();
    private final int serial = SERIAL.incrementAndGet();

    /** A notify with no stored notification and no waiters. */
    public Notify() {
    }

    private long cas(long expected, long next) {
        return (long) STATE.compareAndExchange(this, expected, next);
    }

    /** Replaces the low bits of the state, keeping the generation. */
    private void setLow(long low) {
        long s = state;
        for (;;) {
            long w = cas(s, (s & ~MASK) | low);
            if (w == s) {
                return;
            }
            s = w;
        }
    }

    /**
     * A future that completes when this future is notified: by a {@link #notifyOne()} (now
     * stored or later), or by a {@link #notifyWaiters()} made after this method returned.
     * Consumes one unit of the cooperative budget when it completes.
     *
     * <p><b>Cancellation-safe</b> in Tokio's sense: dropping it loses nothing; a
     * {@code notifyOne} it had received but not yet reported is passed to the next waiter (or
     * stored).
     */
    public Future<Void> notified() {
        return new Notified(this, state & ~MASK);
    }

    /** Wakes the oldest waiter, or stores one notification for the next {@link #notified()}. */
    public void notifyOne() {
        long s = state;
        for (;;) {
            long low = s & MASK;
            if (low == WAITING) {
                break;
            }
            if (low == NOTIFIED) {
                return;
            }
            long w = cas(s, s | NOTIFIED);
            if (w == s) {
                return;
            }
            s = w;
        }
        Notified chosen;
        synchronized (lock) {
            chosen = notifyOneLocked();
        }
        if (chosen != null) {
            Coop.wake(chosen.waker, this);
        }
    }

    private Notified notifyOneLocked() {
        Notified w = waiters.peekFirst();
        if (w == null) {
            setLow(NOTIFIED); // the last waiter left before we took the lock
            return null;
        }
        unlinkLocked(w);
        w.phase = Notified.NOTIFIED_ONE; // volatile: pairs with the waker store in Notified.poll
        return w;
    }

    /** Wakes every task waiting now (see the class comment); stores nothing. */
    public void notifyWaiters() {
        Notified first;
        synchronized (lock) {
            long s = state;
            for (;;) {
                long low = s & MASK;
                // Wraps around only after 2^62 calls (see the class comment).
                long w = cas(s, ((s & ~MASK) + GEN_ONE) | (low == WAITING ? EMPTY : low));
                if (w == s) {
                    break;
                }
                s = w;
            }
            for (Notified w = waiters.peekFirst(); w != null; w = w.next) {
                w.phase = Notified.NOTIFIED_ALL; // volatile: pairs with the waker store in Notified.poll
            }
            first = waiters.takeAll(); // after the phases: a waiterCount() of 0 means all were marked
        }
        // The chain stays linked through next: unlinked nodes are touched by nobody else.
        // A throwing waker is logged and the rest are still woken (see Coop).
        for (Notified w = first; w != null; ) {
            Notified next = w.unchain();
            Coop.wake(w.waker, this);
            w = next;
        }
    }

    /** Futures waiting right now. */
    public int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Notify#" + serial + "(" + ((state & MASK) == NOTIFIED ? "notified, " : "")
                + "waiters=" + waiters.size() + ")";
    }

    // ---- machinery ----------------------------------------------------------------------------

    /** First poll: returns the phase the future is in afterwards. */
    private int register(Notified node, Waker waker) {
        long s = state;
        for (;;) {
            if ((s & ~MASK) != node.generation) {
                return Notified.NOTIFIED_ALL;
            }
            if ((s & MASK) != NOTIFIED) {
                break;
            }
            long w = cas(s, s & ~MASK);
            if (w == s) {
                return Notified.NOTIFIED_ONE;
            }
            s = w;
        }
        synchronized (lock) {
            s = state;
            for (;;) {
                if ((s & ~MASK) != node.generation) {
                    return Notified.NOTIFIED_ALL;
                }
                if ((s & MASK) == NOTIFIED) {
                    long w = cas(s, s & ~MASK);
                    if (w == s) {
                        return Notified.NOTIFIED_ONE;
                    }
                    s = w;
                    continue;
                }
                long w = cas(s, (s & ~MASK) | WAITING);
                if (w == s) {
                    break;
                }
                s = w;
            }
            node.waker = waker;
            node.phase = Notified.WAITING;
            waiters.append(node);
        }
        return Notified.WAITING;
    }

    /** Unlinks a waiting future; clears {@code WAITING} when the list becomes empty. */
    private void unlinkLocked(Notified w) {
        waiters.unlink(w);
        if (waiters.isEmpty()) {
            setLow(EMPTY);
        }
    }

    /**
     * Moves the {@code notifyWaiters} generation on by {@code calls}, exactly as that many
     * {@code notifyWaiters()} calls would while nobody waits (futures made but not yet polled
     * see them all). Lets tests reach the wrap-around point without making the calls.
     *
     * @throws IllegalStateException if a future is waiting
     */
    void skipGenerationsForTest(long calls) {
        synchronized (lock) {
            if (!waiters.isEmpty()) {
                throw new IllegalStateException("futures are waiting on " + this);
            }
            long s = state;
            for (;;) {
                long w = cas(s, s + calls * GEN_ONE); // modulo 2^64, like `calls` increments
                if (w == s) {
                    return;
                }
                s = w;
            }
        }
    }

    /** Drop of a future: unlink it if it still waits; returns its phase at that moment. */
    private int cancel(Notified node) {
        synchronized (lock) {
            int p = node.phase;
            if (p == Notified.WAITING) {
                unlinkLocked(node);
            }
            node.phase = Notified.DONE;
            return p;
        }
    }

    /**
     * The future of {@link #notified()}, also its node in the wait list.
     * {@code WAITING → NOTIFIED_ONE / NOTIFIED_ALL} happen under the lock by notifiers; every
     * other transition is made by the owner.
     */
    private static final class Notified extends WaitNode<Notified> implements Future<Void> {
        static final int IDLE = 0;
        static final int WAITING = 1;
        static final int NOTIFIED_ONE = 2;
        static final int NOTIFIED_ALL = 3;
        static final int DONE = 4;

        final Notify notify;
        /** The generation bits of the state when this future was made. */
        final long generation;
        volatile int phase;
        volatile Waker waker;
        // Wait-list links (prev, next) are inherited from WaitNode; guarded by the lock.

        Notified(Notify notify, long generation) {
            this.notify = notify;
            this.generation = generation;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            int p = phase;
            if (p == IDLE) {
                if (Coop.mustYield(cx)) {
                    return Poll.pending();
                }
                p = notify.register(this, cx.waker());
                if (p == WAITING) {
                    cx.waitingOn("notify.notified", notify);
                    return Poll.pending();
                }
                phase = p; // not shared: a drop after a forced yield passes a NOTIFIED_ONE on
            } else if (p == WAITING) {
                Waker k = cx.waker();
                if (waker != k) {
                    waker = k; // volatile store, then the phase re-read: pairs with the notifiers
                }
                p = phase;
                if (p == WAITING) {
                    cx.waitingOn("notify.notified", notify);
                    return Poll.pending();
                }
            }
            if (p == NOTIFIED_ONE || p == NOTIFIED_ALL) {
                if (!cx.pollProceed()) {
                    return Poll.pending();
                }
                phase = DONE;
                waker = null;
                return Poll.ready(null);
            }
            throw new IllegalStateException("notified() polled after it completed");
        }

        @Override
        public void drop() {
            int p = phase;
            if (p == WAITING) {
                p = notify.cancel(this);
            }
            phase = DONE;
            waker = null;
            if (p == NOTIFIED_ONE) {
                notify.notifyOne();
            }
        }

        @Override
        public String toString() {
            return "Notified(" + notify + ")";
        }
    }
}
