package dev.braid.polyglot.natives;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Acquires a resource (a permit, a lock guard), runs a future while holding it, and releases
 * it when that future completes, fails or is dropped. Dropping it while it still waits for
 * the resource gives up its place in the queue (the acquire futures are cancellation-safe).
 *
 * <p>Used for {@code withPermit} / {@code withLock}, and to give one guest task at a time its
 * turn at a single-consumer end (an mpsc receiver, a broadcast subscription...) that several
 * guest tasks share. Polled on the guest's strand only.
 */
final class Holding<R, T> implements Future<T> {
    private Future<? extends R> acquire;
    private final Function<? super R, ? extends Future<T>> body;
    private final Consumer<? super R> release;
    private R held;
    private Future<T> running;
    private boolean done;

    Holding(Future<? extends R> acquire, Function<? super R, ? extends Future<T>> body, Consumer<? super R> release) {
        this.acquire = acquire;
        this.body = body;
        this.release = release;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (running == null) {
            Poll<? extends R> p = acquire.poll(cx);
            if (p.isPending()) {
                return Poll.pending();
            }
            acquire = null;
            held = p.value();
            try {
                running = body.apply(held);
            } catch (RuntimeException | Error e) {
                release();
                throw e;
            }
        }
        Poll<T> r;
        try {
            r = running.poll(cx);
        } catch (RuntimeException | Error e) {
            done = true;
            release();
            throw e;
        }
        if (r.isReady()) {
            done = true;
            release();
        }
        return r;
    }

    private void release() {
        R h = held;
        held = null;
        if (h != null) {
            release.accept(h);
        }
    }

    @Override
    public void drop() {
        if (done) {
            return;
        }
        if (acquire != null) {
            acquire.drop();
            acquire = null;
        }
        if (running != null) {
            running.drop();
        }
        release();
    }
}
