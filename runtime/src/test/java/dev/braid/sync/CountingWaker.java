package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: a waker that counts its wake-ups, and hand-polling shortcuts. */
final class CountingWaker implements Waker {
    private final AtomicInteger wakes = new AtomicInteger();

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    int wakes() {
        return wakes.get();
    }

    boolean woken() {
        return wakes.get() > 0;
    }

    /** Polls {@code f} once with this waker and no budget limit. */
    <T> Poll<T> poll(Future<T> f) {
        return f.poll(new Context(this));
    }

    /** Polls {@code f}, which must be ready, and returns its value. */
    <T> T ready(Future<T> f) {
        Poll<T> p = poll(f);
        if (p.isPending()) {
            throw new AssertionError("expected ready, was pending: " + f);
        }
        return p.value();
    }

    /** Polls {@code f}, which must be pending. */
    void pending(Future<?> f) {
        Poll<?> p = poll(f);
        if (p.isReady()) {
            throw new AssertionError("expected pending, was " + p);
        }
    }
}
