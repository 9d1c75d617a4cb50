package dev.braid.sync;

import dev.braid.future.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state an {@link Mpsc} channel's ends share: the queue, the capacity semaphore of a
 * bounded channel, the count of live senders and the receiver's waker.
 *
 * <h2>Waking the receiver</h2>
 * The receiver stores its waker (volatile), then looks at the queue again; a sender publishes
 * its slot (a volatile read-modify-write in {@link BlockList#push}), then reads the waker.
 * One of the two always sees the other. The sender that finds a waker takes it with a CAS
 * before waking it, so a burst of sends costs one wake-up and, after it, one volatile read
 * each.
 *
 * <h2>Closing</h2>
 * {@link #txCount} counts live {@link Mpsc.Sender}s, {@link Mpsc.UnboundedSender}s and
 * unused {@link Mpsc.Permit}s. When it reaches zero the queue gets {@code TX_CLOSED} and the
 * receiver is woken; a count of zero is final (a new sender can only be cloned from a live
 * one).
 */
final class Chan<T> {
    private static final AtomicLong SERIALS = new AtomicLong();
    private static final VarHandle RX_WAKER;
    private static final VarHandle TX_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RX_WAKER = l.findVarHandle(Chan.class, "rxWaker", Waker.class);
            TX_COUNT = l.findVarHandle(Chan.class, "txCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long serial = SERIALS.incrementAndGet();
    final BlockList<T> queue;
    /** The free slots of a bounded channel; null when unbounded. */
    final Semaphore slots;
    /** The capacity, or -1 when unbounded. */
    final int capacity;
    @SuppressWarnings("unused")
    private volatile int txCount = 1;
    private volatile Waker rxWaker;

    Chan(int capacity, int blockSize) {
        this.queue = new BlockList<>(blockSize);
        this.capacity = capacity;
        this.slots = capacity < 0 ? null : new Semaphore(capacity);
    }

    // ---- senders ---------------------------------------------------------------------

    /** One more sender (or permit). Only called while a live one exists. */
    void retainTx() {
        TX_COUNT.getAndAdd(this, 1);
    }

    /** One sender (or permit) fewer; the last one closes the sending side. */
    void releaseTx() {
        if ((int) TX_COUNT.getAndAdd(this, -1) == 1) {
            queue.closeTx();
            wakeRx();
        }
    }

    /** Wakes the receiver if it waits. Call after publishing what it waits for. */
    void wakeRx() {
        Waker w = rxWaker; // volatile: pairs with the store in registerRx
        if (w != null && RX_WAKER.compareAndSet(this, w, null)) {
            Coop.wake(w, this);
        }
    }

    // ---- the receiver ----------------------------------------------------------------

    /** Stores the receiver's waker; the caller then re-checks the queue. */
    void registerRx(Waker w) {
        rxWaker = w; // volatile: pairs with the read in wakeRx
    }

    void clearRx() {
        if (rxWaker != null) {
            rxWaker = null;
        }
    }

    boolean hasRxWaiter() {
        return rxWaker != null;
    }

    /** Called after the receiver took a value: frees its slot in a bounded channel. */
    void slotFreed() {
        if (slots != null) {
            slots.release(1); // the slot the value held since its send (Permit.handOff)
        }
    }

    /** The receiver closed: waiting and later bounded sends fail. */
    void closeSlots() {
        if (slots != null) {
            slots.close();
        }
    }

    boolean isTxClosed() {
        return txCount == 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("mpsc#").append(serial)
                .append(capacity < 0 ? "(unbounded" : "(bounded " + capacity)
                .append(", len ").append(queue.len());
        if (queue.isRxClosed()) {
            b.append(", receiver closed");
        } else if (txCount == 0) {
            b.append(", senders closed");
        }
        return b.append(')').toString();
    }
}
