package dev.braid.future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Combinators over several futures.
 *
 * <p>Every combinator here polls its pending children on each wake-up (no per-child
 * wakers), which is the cheapest choice for the small fan-outs they are meant for; use a
 * {@code JoinSet} for hundreds of children. Every one drops the children it abandons.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * Waits for all of {@code futures} and returns their values in argument order. If any
     * fails, the others still run to completion and then the first failure (in argument
     * order) is thrown. Dropping the join drops every unfinished child.
     */
    public static <T> Future<List<T>> joinAll(List<? extends Future<? extends T>> futures) {
        return new JoinAll<>(futures, false);
    }

    /** {@link #joinAll(List)} for two futures of different types, combined by {@code fn}. */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Future<R> join(Future<A> a, Future<B> b, BiFunction<? super A, ? super B, ? extends R> fn) {
        return new JoinAll<Object>(List.of(a, b), false).map(l -> fn.apply((A) l.get(0), (B) l.get(1)));
    }

    /** {@link #joinAll(List)} over varargs. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    public static <T> Future<List<T>> join(Future<? extends T>... futures) {
        return joinAll(Arrays.asList(futures));
    }

    /**
     * Like {@link #joinAll(List)}, but the first failure drops every unfinished child at once
     * and is thrown.
     */
    public static <T> Future<List<T>> tryJoinAll(List<? extends Future<? extends T>> futures) {
        return new JoinAll<>(futures, true);
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    public static <T> Future<List<T>> tryJoin(Future<? extends T>... futures) {
        return tryJoinAll(Arrays.asList(futures));
    }

    /**
     * Completes with the first child to finish (its index and value, or its failure); the
     * others are dropped. Each poll starts at a random child so that an always-ready first
     * child cannot starve the rest; see {@link #selectBiased} for declaration order.
     */
    public static <T> Future<Selected<T>> selectAll(List<? extends Future<? extends T>> futures) {
        return new Select<>(futures, false);
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    public static <T> Future<Selected<T>> select(Future<? extends T>... futures) {
        return selectAll(Arrays.asList(futures));
    }

    /** {@link #selectAll(List)}, but children are polled in argument order every time. */
    public static <T> Future<Selected<T>> selectBiasedAll(List<? extends Future<? extends T>> futures) {
        return new Select<>(futures, true);
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    public static <T> Future<Selected<T>> selectBiased(Future<? extends T>... futures) {
        return selectBiasedAll(Arrays.asList(futures));
    }

    /** The value (or failure) of the first child to finish; the others are dropped. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    public static <T> Future<T> race(Future<? extends T>... futures) {
        return new Select<T>(Arrays.asList(futures), false).map(Selected::value);
    }

    public static <T> Future<T> raceAll(List<? extends Future<? extends T>> futures) {
        return new Select<T>(futures, false).map(Selected::value);
    }

    private static final class JoinAll<T> implements Future<List<T>> {
        /** Past this many children, only the children whose wakers fired are polled again. */
        private static final int SMALL = 32;
        private final Future<? extends T>[] children; // null once finished
        private final Object[] values;
        private final boolean failFast;
        private Throwable firstFailure;
        private int failureIndex = Integer.MAX_VALUE;
        private int remaining;
        /** Large joins: one waker per child; a wake pushes it on {@link #ready}. */
        private final ChildWaker[] wakers;
        private final AtomicReference<ChildWaker> ready = new AtomicReference<>();
        /** The joining task's waker, for child wakers on other threads. */
        private volatile Waker parent;
        /** Where the first pass over all children resumes after the budget ran out. */
        private int firstPassNext;
        /** Woken children popped but not yet polled when the budget ran out. */
        private ChildWaker carry;

        @SuppressWarnings("unchecked")
        JoinAll(List<? extends Future<? extends T>> futures, boolean failFast) {
            this.children = (Future<? extends T>[]) futures.toArray(new Future<?>[0]);
            this.values = new Object[children.length];
            this.failFast = failFast;
            this.remaining = children.length;
            this.wakers = children.length > SMALL ? new ChildWaker[children.length] : null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Poll<List<T>> poll(Context cx) {
            if (wakers == null) {
                for (int i = 0; i < children.length && remaining > 0; i++) {
                    pollChild(i, cx);
                }
            } else {
                // Polling every child on every wake-up makes a join of n tasks O(n^2): poll
                // all once, then only those whose waker fired since (as FuturesUnordered does).
                parent = cx.waker();
                Waker own = cx.waker();
                try {
                    // The first pass polls every child; later passes only the woken ones.
                    // Both stop when the budget is spent (a child past it would only wake
                    // itself again) and carry on in the next poll.
                    for (; firstPassNext < children.length && remaining > 0; firstPassNext++) {
                        if (cx.remainingBudget() <= 0) {
                            own.wake();
                            return Poll.pending();
                        }
                        cx.swapWaker(waker(firstPassNext));
                        pollChild(firstPassNext, cx);
                        cx.swapWaker(own);
                    }
                    boolean carried = carry != null;
                    ChildWaker w = carried ? carry : ready.getAndSet(null);
                    carry = null;
                    while (w != null && remaining > 0) {
                        if (cx.remainingBudget() <= 0) {
                            carry = w;
                            own.wake();
                            return Poll.pending();
                        }
                        ChildWaker next = w.next;
                        w.next = null;
                        w.queued.set(false); // a wake from now on queues it again
                        if (children[w.index] != null) {
                            cx.swapWaker(w);
                            pollChild(w.index, cx);
                            cx.swapWaker(own);
                        }
                        w = next;
                        if (w == null && carried && remaining > 0) {
                            // Children woken after the last poll stopped for the budget: their
                            // wake-ups coalesced with the one it gave itself, which this poll
                            // spent on the carried children. Take them now (once: a child that
                            // wakes itself while polled brings the join back by itself).
                            carried = false;
                            w = ready.getAndSet(null);
                        }
                    }
                    while (w != null) { // finished early (failFast): forget the rest
                        ChildWaker next = w.next;
                        w.next = null;
                        w = next;
                    }
                } finally {
                    cx.swapWaker(own);
                }
            }
            if (remaining > 0) {
                return Poll.pending();
            }
            if (firstFailure != null) {
                throw Combinators.sneaky(firstFailure);
            }
            List<T> out = new ArrayList<>(values.length);
            for (Object v : values) {
                out.add((T) v);
            }
            return Poll.ready(out);
        }

        private ChildWaker waker(int i) {
            ChildWaker w = wakers[i];
            if (w == null) {
                w = wakers[i] = new ChildWaker(this, i);
            }
            return w;
        }

        private void pollChild(int i, Context cx) {
            Future<? extends T> f = children[i];
            if (f == null) {
                return;
            }
            Poll<? extends T> p;
            try {
                p = f.poll(cx);
            } catch (Throwable t) {
                children[i] = null;
                remaining--;
                if (failFast) {
                    drop();
                    throw Combinators.sneaky(t);
                }
                if (i < failureIndex) {
                    failureIndex = i;
                    firstFailure = t;
                }
                return;
            }
            if (p.isReady()) {
                values[i] = p.value();
                children[i] = null;
                remaining--;
            }
        }

        @Override
        public void drop() {
            for (int i = 0; i < children.length; i++) {
                Future<? extends T> f = children[i];
                if (f != null) {
                    children[i] = null;
                    f.drop();
                }
            }
            remaining = 0;
            parent = null;
        }

        /** A child's waker: queues the child (once until it is polled) and wakes the join. */
        private static final class ChildWaker implements Waker {
            final JoinAll<?> owner;
            final int index;
            final AtomicBoolean queued = new AtomicBoolean();
            /** Link in the owner's ready stack; written before the push CAS publishes it. */
            ChildWaker next;

            ChildWaker(JoinAll<?> owner, int index) {
                this.owner = owner;
                this.index = index;
            }

            @Override
            public void wake() {
                if (!queued.compareAndSet(false, true)) {
                    return; // already queued: one poll will see both wake-ups
                }
                ChildWaker head;
                do {
                    head = owner.ready.get();
                    next = head;
                } while (!owner.ready.compareAndSet(head, this));
                Waker p = owner.parent;
                if (p != null) {
                    p.wake();
                }
            }
        }
    }

    private static final class Select<T> implements Future<Selected<T>> {
        private final Future<? extends T>[] children;
        private final boolean biased;
        private boolean done;

        @SuppressWarnings("unchecked")
        Select(List<? extends Future<? extends T>> futures, boolean biased) {
            if (futures.isEmpty()) {
                throw new IllegalArgumentException("select needs at least one future");
            }
            this.children = (Future<? extends T>[]) futures.toArray(new Future<?>[0]);
            this.biased = biased;
        }

        @Override
        public Poll<Selected<T>> poll(Context cx) {
            int n = children.length;
            int start = biased || n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
            for (int k = 0; k < n; k++) {
                int i = start + k < n ? start + k : start + k - n;
                Poll<? extends T> p;
                try {
                    p = children[i].poll(cx);
                } catch (Throwable t) {
                    children[i] = null;
                    drop();
                    throw Combinators.sneaky(t);
                }
                if (p.isReady()) {
                    children[i] = null;
                    drop();
                    return Poll.ready(new Selected<>(i, p.value()));
                }
            }
            return Poll.pending();
        }

        @Override
        public void drop() {
            if (done) {
                return;
            }
            done = true;
            for (int i = 0; i < children.length; i++) {
                Future<? extends T> f = children[i];
                if (f != null) {
                    children[i] = null;
                    f.drop();
                }
            }
        }
    }
}
