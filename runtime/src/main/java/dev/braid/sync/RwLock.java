package dev.braid.sync;

import dev.braid.future.Future;
import dev.braid.sync.Semaphore.Permit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous readers–writer lock around a value, fair in arrival order: many readers
 * may hold it together, a writer holds it alone, and a waiting writer is never starved by
 * readers that come after it (they queue behind it).
 *
 * <p>Built on a {@link Semaphore} of {@link #MAX_READERS} permits: a reader takes one, a writer
 * takes all of them. Because the semaphore is FIFO and stops handing out permits as soon as
 * somebody waits, a writer at the head collects the permits readers return while new readers
 * wait behind it (Tokio's {@code RwLock} works the same way).
 *
 * <p>Guards are owned (they may be moved to another task and closed there) and are closed
 * exactly once. The value is a plain field, ordered between holders by the semaphore.
 */
public final class RwLock<T> {
    /** Readers that may hold the lock at once. */
    public static final int MAX_READERS = Semaphore.MAX_PERMITS;

    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final Semaphore semaphore = new Semaphore(MAX_READERS);
    /** Guarded by the semaphore: written only by a writer, read by holders. */
    private T value;
    private final AtomicInteger readers = new AtomicInteger();
    private volatile boolean writeLocked;
    private final int serial = SERIAL.incrementAndGet();

    public RwLock(T value) {
        this.value = value;
    }

    /**
     * A future of shared access, granted in FIFO order (behind any earlier writer). Consumes
     * one unit of the cooperative budget when it completes. <b>Cancellation-safe:</b> dropping
     * it only loses its place in the queue.
     */
    public Future<ReadGuard<T>> read() {
        return semaphore.acquire(1, "rwlock.read", this).map(p -> new ReadGuard<>(this, p));
    }

    /**
     * A future of exclusive access, granted in FIFO order once every earlier holder is gone.
     * Consumes one unit of the cooperative budget when it completes. <b>Cancellation-safe:</b>
     * dropping it only loses its place; the read permits it had collected go to the waiters
     * behind it.
     */
    public Future<WriteGuard<T>> write() {
        return semaphore.acquire(MAX_READERS, "rwlock.write", this).map(p -> new WriteGuard<>(this, p));
    }

    /** Shared access if available right now without overtaking a waiter, else null. */
    public ReadGuard<T> tryRead() {
        Permit p = semaphore.tryAcquire(1);
        return p == null ? null : new ReadGuard<>(this, p);
    }

    /** Exclusive access if nobody holds or awaits the lock right now, else null. */
    public WriteGuard<T> tryWrite() {
        Permit p = semaphore.tryAcquire(MAX_READERS);
        return p == null ? null : new WriteGuard<>(this, p);
    }

    /** Tasks waiting for the lock right now. */
    public int waiterCount() {
        return semaphore.waiterCount();
    }

    @Override
    public String toString() {
        return "RwLock#" + serial + "(readers=" + readers.get() + (writeLocked ? ", write-locked" : "")
                + ", waiters=" + semaphore.waiterCount() + ")";
    }

    /** What both guards share: the permit, and closing exactly once. */
    private abstract static class Held<T> implements AutoCloseable {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Held.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final RwLock<T> lock;
        private final Permit permit;
        @SuppressWarnings("unused")
        private volatile boolean closed;

        Held(RwLock<T> lock, Permit permit) {
            this.lock = lock;
            this.permit = permit;
        }

        final void checkOpen() {
            if (closed) {
                throw new IllegalStateException("guard of " + lock + " used after close()");
            }
        }

        /** Called once, before the permit goes back. */
        abstract void onClose();

        /** Releases the lock; later calls do nothing. */
        @Override
        public final void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                onClose();
                permit.close();
            }
        }

        public final boolean isClosed() {
            return closed;
        }
    }

    /** Shared access: {@link #get()} until {@link #close()}. */
    public static final class ReadGuard<T> extends Held<T> {
        ReadGuard(RwLock<T> lock, Permit permit) {
            super(lock, permit);
            lock.readers.incrementAndGet();
        }

        public T get() {
            checkOpen();
            return lock.value;
        }

        @Override
        void onClose() {
            lock.readers.decrementAndGet();
        }

        @Override
        public String toString() {
            return "RwLock.ReadGuard(" + lock + ")";
        }
    }

    /** Exclusive access: {@link #get()} and {@link #set} until {@link #close()}. */
    public static final class WriteGuard<T> extends Held<T> {
        WriteGuard(RwLock<T> lock, Permit permit) {
            super(lock, permit);
            lock.writeLocked = true;
        }

        public T get() {
            checkOpen();
            return lock.value;
        }

        public void set(T value) {
            checkOpen();
            lock.value = value;
        }

        @Override
        void onClose() {
            lock.writeLocked = false;
        }

        @Override
        public String toString() {
            return "RwLock.WriteGuard(" + lock + ")";
        }
    }
}
