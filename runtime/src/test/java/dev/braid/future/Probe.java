package dev.braid.future;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable future for tests: pending until {@link #complete} or {@link #fail}, counts
 * polls and drops, and remembers the last waker so a test can check wake-ups.
 */
public final class Probe<T> implements Future<T> {
    public final AtomicInteger polls = new AtomicInteger();
    public final AtomicInteger drops = new AtomicInteger();
    private volatile Waker waker;
    private volatile boolean done;
    private volatile T value;
    private volatile Throwable error;

    private Probe() {
    }

    public static <T> Probe<T> create() {
        return new Probe<>();
    }

    public static <T> Probe<T> readyWith(T value) {
        Probe<T> p = new Probe<>();
        p.value = value;
        p.done = true;
        return p;
    }

    @Override
    public Poll<T> poll(Context cx) {
        polls.incrementAndGet();
        if (drops.get() > 0) {
            throw new AssertionError("polled after drop");
        }
        waker = cx.waker();
        if (!done) {
            return Poll.pending();
        }
        if (error != null) {
            throw Combinators.sneaky(error);
        }
        return Poll.ready(value);
    }

    @Override
    public void drop() {
        drops.incrementAndGet();
    }

    public void complete(T v) {
        value = v;
        done = true;
        wake();
    }

    public void fail(Throwable t) {
        error = t;
        done = true;
        wake();
    }

    public void wake() {
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    public boolean dropped() {
        return drops.get() > 0;
    }
}
