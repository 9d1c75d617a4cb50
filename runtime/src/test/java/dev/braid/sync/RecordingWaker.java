package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Waker;

import java.util.concurrent.atomic.AtomicInteger;

/** A waker that counts its wake-ups, for polling futures by hand. */
final class RecordingWaker implements Waker {
    private final AtomicInteger wakes = new AtomicInteger();

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    int wakes() {
        return wakes.get();
    }

    /** A context with this waker and no budget limit. */
    Context context() {
        return new Context(this);
    }
}
