package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Semaphore.Permit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous mutual-exclusion lock around a value, fair: tasks get the lock in the order
 * they asked for it. It is a {@link Semaphore} with one permit; the {@link Guard} holds that
 * permit.
 *
 * <p>The value is a plain field. Whoever holds a guard may read and write it; the semaphore
 * orders one holder's writes before the next holder's reads (the release is a volatile CAS
 * or happens under the semaphore's lock, and the next grant is observed through a volatile
 * read).
 *
 * <p>Guards are <em>owned</em>: a guard may outlive the code that locked, be handed to another
 * task and be closed there (Tokio's {@code OwnedMutexGuard}). Nothing checks that the value is
 * only touched by the current holder; do not keep references to it past {@link Guard#close}.
 */
public final class Mutex<T> {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final Semaphore semaphore = new Semaphore(1);
    /** Guarded by the semaphore's permit. */
    private T value;
    private final int serial = SERIAL.incrementAndGet();

    public Mutex(T value) {
        this.value = value;
    }

    /**
     * A future of the lock's guard, granted in FIFO order. Lazy: it queues on its first poll.
     * Consumes one unit of the cooperative budget when it completes.
     *
     * <p><b>Cancellation-safe:</b> dropping the pending future only loses its place in the
     * queue; a lock granted to it but not yet observed is released to the next waiter.
     */
    public Future<Guard<T>> lock() {
        return new Lock<>(this, semaphore.acquire(1, "mutex.lock", this));
    }

    /** The guard if the lock is free right now (and nobody waits for it), else null. */
    public Guard<T> tryLock() {
        Permit p = semaphore.tryAcquire();
        return p == null ? null : new Guard<>(this, p);
    }

    /** Whether somebody holds the lock (a snapshot). */
    public boolean isLocked() {
        return semaphore.availablePermits() == 0;
    }

    /** Tasks waiting for the lock right now. */
    public int waiterCount() {
        return semaphore.waiterCount();
    }

    @Override
    public String toString() {
        return "Mutex#" + serial + "(" + (isLocked() ? "locked" : "unlocked")
                + ", waiters=" + semaphore.waiterCount() + ")";
    }

    /** Whether a pending {@link #lock()} future was granted and awaits its next poll. For tests. */
    static boolean isGranted(Future<? extends Guard<?>> lock) {
        return Semaphore.isResolved(((Lock<?>) lock).acquire);
    }

    /** The future of {@link #lock()}: the semaphore's acquire, turned into a guard. */
    private static final class Lock<T> implements Future<Guard<T>> {
        private final Mutex<T> mutex;
        private final Future<Permit> acquire;

        Lock(Mutex<T> mutex, Future<Permit> acquire) {
            this.mutex = mutex;
            this.acquire = acquire;
        }

        @Override
        public Poll<Guard<T>> poll(Context cx) {
            Poll<Permit> p = acquire.poll(cx);
            return p.isReady() ? Poll.ready(new Guard<>(mutex, p.value())) : Poll.pending();
        }

        @Override
        public void drop() {
            acquire.drop();
        }

        @Override
        public String toString() {
            return "Mutex.Lock(" + mutex + ")";
        }
    }

    /**
     * Access to the value while the lock is held. {@link #close()} unlocks exactly once; after
     * it, {@link #get()} and {@link #set} throw {@link IllegalStateException}.
     */
    public static final class Guard<T> implements AutoCloseable {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Guard.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Mutex<T> mutex;
        private final Permit permit;
        @SuppressWarnings("unused")
        private volatile boolean closed;

        Guard(Mutex<T> mutex, Permit permit) {
            this.mutex = mutex;
            this.permit = permit;
        }

        public T get() {
            checkOpen();
            return mutex.value;
        }

        public void set(T value) {
            checkOpen();
            mutex.value = value;
        }

        public Mutex<T> mutex() {
            return mutex;
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("guard of " + mutex + " used after close()");
            }
        }

        /**
         * Unlocks; the next waiter, if any, is granted the lock. Later calls do nothing. Never
         * fails: a waiter's waker that throws is logged, not rethrown.
         */
        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                permit.close();
            }
        }

        @Override
        public String toString() {
            return "Mutex.Guard(" + mutex + (closed ? ", closed)" : ")");
        }
    }
}
