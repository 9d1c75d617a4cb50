package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The one Braid future behind a guest awaitable, however many places wait for it: plain
 * awaits, combinators, spawned tasks. Each wait is a {@link #waiter()}; the first one to be
 * polled makes the future, whichever waiter is woken polls it, every waiter is woken when
 * it may progress (a {@code JoinHandle} alone wakes only its latest poller), and the outcome
 * is kept for every waiter, present and later. So a task runs once, and a handle can be
 * awaited from several tasks at once.
 *
 * <p>When every waiter has dropped its wait before the outcome (its guest task was
 * cancelled, or it lost a select), the future is dropped: a task is cancelled, and later
 * waits fail with a {@link CancellationException} (an {@code AbortError} in the guest); a
 * join handle only detaches, and later waits join it again.
 *
 * <p>Waiters are polled and dropped on the guest's strand; {@link #wake()} may come from
 * any thread.
 */
final class SharedFuture implements Waker {
    private final Supplier<? extends Future<?>> source;
    private final boolean cancelWhenAbandoned;
    private Future<?> inner;
    private boolean polling;
    private boolean done;
    private Object value;
    private RuntimeException error;
    /** Waiters polled and not yet finished or dropped (one never polled does not count). */
    private int waiting;
    /*
     * The waker of each waiter that is pending, guarded by this object: almost every awaitable has
     * one waiter at a time (a task handle in a join, a promise awaited once), so the first
     * is kept in two fields and a map is made only for a second one.
     */
    private Waiter firstWaiter;
    private Waker firstWaker;
    private Map<Waiter, Waker> others;

    /**
     * @param cancelWhenAbandoned whether dropping the future cancels what it stands for (a
     *        task), or only stops the wait for it (a join handle: joined again later)
     */
    SharedFuture(Supplier<? extends Future<?>> source, boolean cancelWhenAbandoned) {
        this.source = source;
        this.cancelWhenAbandoned = cancelWhenAbandoned;
    }

    /** A new wait for the outcome: a future owned by one awaiting task or combinator. */
    Future<Object> waiter() {
        return new Waiter();
    }

    /** Wakes every pending waiter (the future can progress, or it finished). */
    @Override
    public void wake() {
        Waker first;
        Waker[] rest = null;
        synchronized (this) {
            first = firstWaker;
            firstWaiter = null;
            firstWaker = null;
            if (others != null && !others.isEmpty()) {
                rest = others.values().toArray(new Waker[0]);
                others.clear();
            }
        }
        if (first != null) {
            first.wake();
        }
        if (rest != null) {
            for (Waker w : rest) {
                w.wake();
            }
        }
    }

    private void register(Waiter w, Waker k) {
        synchronized (this) {
            if (firstWaiter == w) {
                firstWaker = k;
            } else if (others != null && others.containsKey(w)) {
                others.put(w, k);
            } else if (firstWaiter == null) {
                firstWaiter = w;
                firstWaker = k;
            } else {
                if (others == null) {
                    others = new IdentityHashMap<>(4);
                }
                others.put(w, k);
            }
        }
    }

    private void unregister(Waiter w) {
        synchronized (this) {
            if (firstWaiter == w) {
                firstWaiter = null;
                firstWaker = null;
            } else if (others != null) {
                others.remove(w);
            }
        }
    }

    private void finish(Object v, RuntimeException e) {
        done = true;
        value = v;
        error = e;
        inner = null;
        wake(); // the other waiters take the outcome
    }

    private final class Waiter implements Future<Object> {
        private boolean counted;
        private boolean finished;

        @Override
        public Poll<Object> poll(Context cx) {
            if (!counted && !finished) {
                counted = true;
                waiting++;
            }
            if (!done) {
                register(this, cx.waker());
                if (polling) {
                    return Poll.pending(); // re-entered from inside the future: it is being polled
                }
                polling = true;
                Waker prev = cx.swapWaker(SharedFuture.this);
                try {
                    if (inner == null) {
                        inner = source.get();
                    }
                    Poll<?> p = inner.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    unregister(this); // this waiter takes the outcome now: wake only the others
                    finish(p.value(), null);
                } catch (RuntimeException e) {
                    unregister(this);
                    finish(null, e);
                } finally {
                    cx.swapWaker(prev);
                    polling = false;
                }
            }
            if (!finished) {
                finished = true;
                waiting--; // counted above
                unregister(this);
            }
            if (error != null) {
                throw error;
            }
            return Poll.ready(value);
        }

        @Override
        public void drop() {
            if (finished) {
                return;
            }
            finished = true;
            if (!counted) {
                return;
            }
            unregister(this);
            if (--waiting > 0 || done || inner == null) {
                return;
            }
            // Nobody waits any more: stop what the future stands for.
            Future<?> f = inner;
            if (cancelWhenAbandoned) {
                finish(null, new CancellationException("cancelled: every wait for it was cancelled"));
            }
            f.drop();
        }
    }
}
