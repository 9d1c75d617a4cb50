package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets {@code parties} tasks wait until all of them have arrived, then releases them together.
 * The barrier is reusable: the next {@code parties} arrivals form the next generation.
 *
 * <p>The party whose arrival completed the group is its
 * {@linkplain WaitResult#isLeader() leader}; at most one party of each generation is told so.
 * The leader normally learns it in the very poll that arrives: the cooperative budget is
 * checked before arriving, so that poll still has the unit it needs to complete. But if the
 * budget is nevertheless spent during that poll (by something else using the task's context,
 * for instance a released party's waker running on the same thread), the poll returns pending
 * after arriving, the others are released all the same, and the leader result waits for the
 * next poll. If the leader's future is dropped instead, no party of that generation ever sees
 * {@code isLeader()}: code that must run once per generation should not rely on the leader
 * alone when its wait futures can be dropped.
 *
 * <p>All state is under one lock; waiters of the current generation are kept in a list and
 * woken after the lock is released. A waiter reads its phase (volatile) after storing its
 * waker (volatile); the leader writes the phase, then reads the waker.
 */
public final class Barrier {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final int parties;
    private final Object lock = new Object();
    /** Arrivals in the current generation; written under the lock. */
    private volatile int arrived;
    /** Completed generations; written under the lock. */
    private volatile long generation;
    /** Waiters of the current generation; guarded by {@link #lock}. */
    private final WaitQueue<Wait> waiters = new WaitQueue<>();
    private final int serial = SERIAL.incrementAndGet();

    /** @throws IllegalArgumentException if {@code parties} is below 1 */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * A future that arrives at the barrier on its first poll and completes when the generation
     * is complete. Consumes one unit of the cooperative budget when it completes.
     *
     * <p><b>Cancellation:</b> dropping it before its generation completes withdraws the arrival
     * (the barrier then waits for another party), so nothing is lost and nobody is released
     * early. Once the generation completed, the arrival has counted. In Tokio's terms this is
     * cancellation-safe (Tokio's own {@code Barrier::wait} is not: there a dropped wait still
     * counts).
     */
    public Future<WaitResult> await() {
        return new Wait(this);
    }

    public int parties() {
        return parties;
    }

    /** Parties waiting in the current generation (a snapshot). */
    public int arrived() {
        return arrived;
    }

    /** Generations completed so far (a snapshot). */
    public long generation() {
        return generation;
    }

    @Override
    public String toString() {
        return "Barrier#" + serial + "(arrived=" + arrived + "/" + parties + ", generation=" + generation + ")";
    }

    /** First poll: arrives; returns true for the leader, whose arrival released the others. */
    private boolean arrive(Wait node, Waker waker) {
        Wait released;
        synchronized (lock) {
            if (arrived + 1 < parties) {
                arrived = arrived + 1;
                node.waker = waker;
                node.phase = Wait.WAITING;
                waiters.append(node);
                return false;
            }
            arrived = 0;
            generation = generation + 1;
            for (Wait w = waiters.peekFirst(); w != null; w = w.next) {
                w.phase = Wait.RELEASED; // volatile: pairs with the waker store in Wait.poll
            }
            released = waiters.takeAll();
        }
        // The group is released whatever the wakers do: one that throws is logged (see Coop),
        // the others are still woken, and the leader's own poll goes on to complete.
        for (Wait w = released; w != null; ) {
            Wait next = w.unchain();
            Coop.wake(w.waker, this);
            w = next;
        }
        return true;
    }

    /** Drop of a waiting future: withdraws its arrival if its generation is not complete. */
    private void withdraw(Wait node) {
        synchronized (lock) {
            if (node.phase != Wait.WAITING) {
                return;
            }
            waiters.unlink(node);
            node.phase = Wait.DONE;
            arrived = arrived - 1;
        }
    }

    /** The outcome of {@link #await()}. */
    public static final class WaitResult {
        private static final WaitResult LEADER = new WaitResult(true);
        private static final WaitResult FOLLOWER = new WaitResult(false);

        private final boolean leader;

        private WaitResult(boolean leader) {
            this.leader = leader;
        }

        /**
         * True for the party whose arrival completed its generation. At most one party of a
         * generation sees true, and exactly one unless the leader's future was dropped after
         * a forced yield (see {@link Barrier}).
         */
        public boolean isLeader() {
            return leader;
        }

        @Override
        public String toString() {
            return leader ? "WaitResult(leader)" : "WaitResult(follower)";
        }
    }

    private static final class Wait extends WaitNode<Wait> implements Future<WaitResult> {
        static final int IDLE = 0;
        static final int WAITING = 1;
        static final int RELEASED = 2;
        static final int LEADER = 3;
        static final int DONE = 4;

        final Barrier barrier;
        volatile int phase;
        volatile Waker waker;
        // Wait-list links (prev, next) are inherited from WaitNode; guarded by the barrier's lock.

        Wait(Barrier barrier) {
            this.barrier = barrier;
        }

        @Override
        public Poll<WaitResult> poll(Context cx) {
            int p = phase;
            if (p == IDLE) {
                if (Coop.mustYield(cx)) {
                    return Poll.pending();
                }
                if (!barrier.arrive(this, cx.waker())) {
                    cx.waitingOn("barrier.wait", barrier);
                    return Poll.pending();
                }
                p = LEADER;
                phase = LEADER;
            } else if (p == WAITING) {
                Waker k = cx.waker();
                if (waker != k) {
                    waker = k; // volatile store, then the phase re-read: pairs with arrive()
                }
                p = phase;
                if (p == WAITING) {
                    cx.waitingOn("barrier.wait", barrier);
                    return Poll.pending();
                }
            }
            if (p == LEADER || p == RELEASED) {
                if (!cx.pollProceed()) {
                    return Poll.pending();
                }
                phase = DONE;
                waker = null;
                return Poll.ready(p == LEADER ? WaitResult.LEADER : WaitResult.FOLLOWER);
            }
            throw new IllegalStateException("barrier wait polled after it completed");
        }

        @Override
        public void drop() {
            if (phase == WAITING) {
                barrier.withdraw(this);
            }
            phase = DONE;
            waker = null;
        }

        @Override
        public String toString() {
            return "Barrier.Wait(" + barrier + ")";
        }
    }
}
