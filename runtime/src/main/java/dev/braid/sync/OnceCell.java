package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Semaphore.Permit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A cell written at most once, possibly by an asynchronous initialiser (Tokio's
 * {@code OnceCell}). Values are never null.
 *
 * <p>A one-permit {@link Semaphore} elects the initialiser: the caller of
 * {@link #getOrInit} that holds the permit runs its initialiser future; the others wait in
 * FIFO order. On success the value is published (volatile) and the semaphore is closed, which
 * wakes every waiter; they then read the value. If the initialiser fails or its future is
 * dropped, the permit goes back and the next waiter runs <em>its</em> initialiser.
 *
 * <p>A waiter's waker that throws while the cell is published or handed on is logged, not
 * rethrown (as everywhere in this package): {@link #set} and the initialiser's successful poll
 * still return the value.
 */
public final class OnceCell<T> {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final Semaphore semaphore = new Semaphore(1);
    private volatile T value;
    private final int serial = SERIAL.incrementAndGet();

    /** An empty cell. */
    public OnceCell() {
    }

    /** A cell that already holds {@code value}. */
    public OnceCell(T value) {
        this.value = Objects.requireNonNull(value, "value");
        semaphore.close();
    }

    /** The value, or null if the cell is not initialised yet. */
    public T get() {
        return value;
    }

    public boolean isInitialized() {
        return value != null;
    }

    /**
     * Stores {@code value} if the cell is empty and no initialiser is running. Returns false
     * (and stores nothing) otherwise.
     */
    public boolean set(T value) {
        Objects.requireNonNull(value, "value");
        Permit p;
        try {
            p = semaphore.tryAcquire();
        } catch (Semaphore.ClosedException e) {
            return false; // initialised
        }
        if (p == null) {
            return false; // an initialiser is running
        }
        if (this.value != null) {
            p.close();
            return false;
        }
        this.value = value;
        p.forget();
        semaphore.close();
        return true;
    }

    /**
     * A future of the value: the current one, or the result of running {@code init}'s future if
     * this caller is elected to initialise the cell. {@code init} is called at most once per
     * election, and across all callers only until one initialiser succeeds. An initialiser
     * that fails makes this future fail with its exception, and the next waiter takes over.
     * Consumes one unit of the cooperative budget when it completes.
     *
     * <p><b>Cancellation-safe:</b> dropping it while it waits only loses its place; dropping it
     * while its initialiser runs drops that initialiser's future and lets the next waiter take
     * over.
     */
    public Future<T> getOrInit(Supplier<? extends Future<? extends T>> init) {
        Objects.requireNonNull(init, "init");
        return new GetOrInit<>(this, init);
    }

    @Override
    public String toString() {
        T v = value;
        return "OnceCell#" + serial + (v != null ? "(set)" : semaphore.availablePermits() == 0
                ? "(initializing, waiters=" + semaphore.waiterCount() + ")" : "(empty)");
    }

    private static final class GetOrInit<T> implements Future<T> {
        private final OnceCell<T> cell;
        private final Supplier<? extends Future<? extends T>> init;
        /** Waiting for the permit. */
        private Future<Permit> acquire;
        /** Held while this caller initialises. */
        private Permit permit;
        /** The running initialiser. */
        private Future<? extends T> running;
        private boolean done;

        GetOrInit(OnceCell<T> cell, Supplier<? extends Future<? extends T>> init) {
            this.cell = cell;
            this.init = init;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("getOrInit polled after it completed");
            }
            if (running == null) {
                if (acquire == null) {
                    T v = cell.value;
                    if (v != null) {
                        return finish(cx, v);
                    }
                    acquire = cell.semaphore.acquire(1, "oncecell.init", cell); // waits for another initialiser
                }
                Poll<Permit> p;
                try {
                    p = acquire.poll(cx); // spends the budget when it completes
                } catch (Semaphore.ClosedException e) {
                    acquire = null;
                    done = true;
                    return Poll.ready(cell.value); // closed only after the value was published
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                acquire = null;
                permit = p.value();
                T v = cell.value;
                if (v != null) {
                    release();
                    done = true;
                    return Poll.ready(v);
                }
                try {
                    running = Objects.requireNonNull(init.get(), "initialiser future");
                } catch (Throwable t) {
                    release();
                    done = true;
                    throw t;
                }
            }
            Poll<? extends T> r;
            try {
                r = running.poll(cx);
                if (r.isReady()) {
                    Objects.requireNonNull(r.value(), "OnceCell values must not be null");
                }
            } catch (Throwable t) {
                running = null;
                release();
                done = true;
                throw t;
            }
            if (r.isPending()) {
                return Poll.pending();
            }
            T v = r.value();
            running = null;
            cell.value = v;
            permit.forget();
            permit = null;
            cell.semaphore.close();
            done = true;
            return Poll.ready(v);
        }

        private Poll<T> finish(Context cx, T v) {
            if (!cx.pollProceed()) {
                return Poll.pending();
            }
            done = true;
            return Poll.ready(v);
        }

        private void release() {
            Permit p = permit;
            permit = null;
            if (p != null) {
                p.close();
            }
        }

        @Override
        public void drop() {
            if (acquire != null) {
                acquire.drop();
                acquire = null;
            }
            if (running != null) {
                Future<? extends T> r = running;
                running = null;
                try {
                    r.drop();
                } finally {
                    release();
                }
            }
            release();
            done = true;
        }
    }
}
