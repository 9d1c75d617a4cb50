package dev.braid.polyglot.natives;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.sync.Semaphore;

import java.util.function.Supplier;

/**
 * A waiting end of a runtime primitive (an mpsc receiver, a broadcast subscription, a watch
 * receiver, an interval) shared by every guest task that holds the guest object. The
 * runtime serves one pending operation at a time on such an end; here guest tasks take
 * turns, in arrival order (a one-permit fair semaphore), and the guest may close the end while
 * one of them waits: the pending operation then ends at once, as the end's
 * {@code whenClosed} says, instead of waiting for a wake-up that will never come.
 *
 * <p>Strand-confined: every method runs, and every future is polled, on the guest's strand.
 */
final class SharedEnd {
    private final Semaphore turn = new Semaphore(1);
    private boolean closed;
    /** The task waiting in the operation whose turn it is. */
    private Waker waiting;

    /**
     * The future of {@code op}, made and started once it is this caller's turn. If the end is
     * closed, before or while it waits, it completes with {@code whenClosed.get()} (which may
     * throw) and {@code op}'s future is dropped. Dropping it loses nothing that {@code op}'s
     * own drop does not.
     */
    <T> Future<T> next(Supplier<? extends Future<T>> op, Supplier<? extends T> whenClosed) {
        return Natives.inTurn(turn, () -> new Op<>(this, op, whenClosed));
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the end; a pending operation ends at once. Idempotent. */
    void close() {
        closed = true;
        Waker w = waiting;
        waiting = null;
        if (w != null) {
            w.wake();
        }
    }

    private static final class Op<T> implements Future<T> {
        private final SharedEnd end;
        private final Supplier<? extends Future<T>> op;
        private final Supplier<? extends T> whenClosed;
        private Future<T> inner;

        Op(SharedEnd end, Supplier<? extends Future<T>> op, Supplier<? extends T> whenClosed) {
            this.end = end;
            this.op = op;
            this.whenClosed = whenClosed;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (end.closed) {
                drop();
                return Poll.ready(whenClosed.get());
            }
            if (inner == null) {
                inner = op.get();
            }
            end.waiting = cx.waker();
            Poll<T> p = inner.poll(cx);
            if (p.isReady()) {
                end.waiting = null;
                inner = null;
            }
            return p;
        }

        @Override
        public void drop() {
            end.waiting = null;
            Future<T> f = inner;
            inner = null;
            if (f != null) {
                f.drop();
            }
        }
    }
}
