package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Multi-producer, single-consumer channels, bounded and unbounded.
 *
 * <pre>
 *   var ch = Mpsc.&lt;String&gt;bounded(100);
 *   Mpsc.Sender&lt;String&gt; tx = ch.sender();        // clone() for more producers
 *   Mpsc.Receiver&lt;String&gt; rx = ch.receiver();
 *   // in a task: await tx.send("hi"); String s = await rx.recv();   // null: all senders closed
 * </pre>
 *
 * <ul>
 *   <li>Values are delivered in the order their sends took effect; per sender that is FIFO.
 *       {@code null} values are rejected: {@link Receiver#recv()} completes with
 *       {@code null} to say that every sender is closed and everything sent was received,
 *       as {@code readLine()} does at the end of a stream.
 *   <li>Java has no destructors: close every {@link Sender}, {@link UnboundedSender} and
 *       unused {@link Permit} (they are {@link AutoCloseable}); the receiver sees the end once
 *       the last of them is closed. {@link Receiver#close()} stops further sends but leaves
 *       what was sent receivable.
 *   <li>The queue is lock-free ({@link BlockList}); a bounded channel counts free slots with a
 *       fair {@link Semaphore}, so waiting senders get room in arrival order.
 *   <li>Every wait consumes one unit of the task's cooperative budget when it completes.
 * </ul>
 *
 * <p>Cancellation safety, in Tokio's sense: {@link Receiver#recv()} is cancellation-safe (a
 * dropped receive takes nothing out of the channel). {@link Sender#send} is not: dropping it
 * before it completes means the value was not sent, and the value is gone with the future;
 * {@link Sender#reserve()} is cancellation-safe and is the way to race a send in a
 * {@code select} without losing the value.
 */
public final class Mpsc {
    private Mpsc() {
    }

    /** The two ends of a bounded channel. */
    public record Bounded<T>(Sender<T> sender, Receiver<T> receiver) {
    }

    /** The two ends of an unbounded channel. */
    public record Unbounded<T>(UnboundedSender<T> sender, Receiver<T> receiver) {
    }

    /** A channel that holds at most {@code capacity} values; senders wait for room. */
    public static <T> Bounded<T> bounded(int capacity) {
        if (capacity < 1 || capacity > Semaphore.MAX_PERMITS) {
            throw new IllegalArgumentException("capacity must be in 1.." + Semaphore.MAX_PERMITS + ": " + capacity);
        }
        return bounded(capacity, BlockList.DEFAULT_BLOCK_SIZE);
    }

    /** Tests use small blocks to cross block boundaries often. */
    static <T> Bounded<T> bounded(int capacity, int blockSize) {
        Chan<T> chan = new Chan<>(capacity, blockSize);
        return new Bounded<>(new Sender<>(chan), new Receiver<>(chan));
    }

    /** A channel without a capacity limit: sends never wait. */
    public static <T> Unbounded<T> unbounded() {
        return unbounded(BlockList.DEFAULT_BLOCK_SIZE);
    }

    static <T> Unbounded<T> unbounded(int blockSize) {
        Chan<T> chan = new Chan<>(-1, blockSize);
        return new Unbounded<>(new UnboundedSender<>(chan), new Receiver<>(chan));
    }

    /** The outcome of a {@code trySend}; on anything but {@link #SENT} the caller keeps the value. */
    public enum TrySend {
        /** Delivered to the channel. */
        SENT,
        /** A bounded channel had no free slot. */
        FULL,
        /** The receiver is closed; nothing will ever be delivered. */
        CLOSED
    }

    /**
     * The receiver is closed, so the value was not delivered; {@link #value()} gives it back.
     * A failed {@link Sender#send} throws it.
     */
    public static final class ClosedException extends RuntimeException {
        private final transient Object value;

        ClosedException(Object value) {
            super("mpsc receiver closed: the value was not sent");
            this.value = value;
        }

        /** The value that was not sent (null for a failed {@link Sender#reserve()}). */
        public Object value() {
            return value;
        }
    }

    // ---- sending ------------------------------------------------------------------------

    /** What the two sender kinds share: the count, closing, {@code isClosed}. */
    abstract static sealed class SenderBase<T> implements AutoCloseable permits Sender, UnboundedSender {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(SenderBase.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Chan<T> chan;
        @SuppressWarnings("unused")
        private volatile boolean closed;

        SenderBase(Chan<T> chan) {
            this.chan = chan;
        }

        final void checkOpen() {
            if (closed) {
                throw new IllegalStateException("this sender of " + chan + " is closed");
            }
        }

        /**
         * Closes this sender; the receiver sees the end of the stream once every sender and
         * permit is closed. Idempotent. Sends through this handle must happen before its close.
         */
        @Override
        public final void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                chan.releaseTx();
            }
        }

        /** True once the receiver is closed: every later send fails. */
        public final boolean isClosed() {
            return chan.queue.isRxClosed();
        }

        @Override
        public final String toString() {
            return (closed ? "closed sender of " : "sender of ") + chan;
        }
    }

    /** The sending end of an unbounded channel. Any thread may send. */
    public static final class UnboundedSender<T> extends SenderBase<T> {
        UnboundedSender(Chan<T> chan) {
            super(chan);
        }

        /**
         * Sends {@code value} without waiting. Returns false if the receiver is closed (the value
         * was not delivered; the caller keeps it).
         *
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if this sender was closed
         */
        public boolean send(T value) {
            Objects.requireNonNull(value, "mpsc values must not be null");
            checkOpen();
            if (!chan.queue.push(value)) {
                return false;
            }
            chan.wakeRx();
            return true;
        }

        /** {@link #send} as a {@link TrySend}: {@code SENT} or {@code CLOSED}. */
        public TrySend trySend(T value) {
            return send(value) ? TrySend.SENT : TrySend.CLOSED;
        }

        /** Another sender of the same channel; close it too. */
        @Override
        public UnboundedSender<T> clone() {
            checkOpen();
            chan.retainTx();
            return new UnboundedSender<>(chan);
        }
    }

    /**
     * The sending end of a bounded channel. Any thread may send; close a sender only after
     * the sends made through it have completed.
     */
    public static final class Sender<T> extends SenderBase<T> {
        Sender(Chan<T> chan) {
            super(chan);
        }

        /**
         * A future that waits for a free slot, then sends {@code value}. It fails with
         * {@link ClosedException} (carrying the value) if the receiver is closed before the
         * value is delivered. Lazy: nothing happens before its first poll, and that poll must
         * come before this sender is closed. Consumes one unit of the cooperative budget when
         * it completes.
         *
         * <p><b>Not cancellation-safe</b>: dropping the pending future gives up its place in the
         * queue of waiting senders, and the value (never sent) goes with the future. Use
         * {@link #reserve()} to race a send against something else.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Future<Void> send(T value) {
            Objects.requireNonNull(value, "mpsc values must not be null");
            return new Send<>(this, value);
        }

        /**
         * Sends {@code value} if a slot is free now: {@link TrySend#SENT}, {@link TrySend#FULL}
         * or {@link TrySend#CLOSED}; on the last two the caller keeps the value. Never overtakes
         * a sender that is already waiting for room.
         *
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if this sender was closed
         */
        public TrySend trySend(T value) {
            Objects.requireNonNull(value, "mpsc values must not be null");
            checkOpen();
            Semaphore.Permit slot;
            try {
                slot = chan.slots.tryAcquire();
            } catch (Semaphore.ClosedException e) {
                return TrySend.CLOSED;
            }
            if (slot == null) {
                return TrySend.FULL;
            }
            return deliver(chan, slot, value) ? TrySend.SENT : TrySend.CLOSED;
        }

        /**
         * A future of a {@link Permit}: one slot held for this sender, so that the permit's
         * {@link Permit#send} cannot fail for lack of room. Fails with {@link ClosedException}
         * if the receiver is closed first. The permit counts as a sender until it is used or
         * closed. Consumes one unit of the cooperative budget when it completes.
         *
         * <p><b>Cancellation-safe</b>: dropping the pending future gives back the slot (also one
         * already assigned to it), and no value is involved. Reserve, then send the value
         * through the permit: the standard way to send inside a {@code select}.
         *
         * @throws IllegalStateException if this sender was closed
         */
        public Future<Permit<T>> reserve() {
            checkOpen();
            chan.retainTx(); // handed to the permit, or released when the reservation ends without one
            return new Reserve<>(chan);
        }

        /** Free slots right now (0 while senders wait for room). */
        public int capacity() {
            return chan.slots.availablePermits();
        }

        /** Another sender of the same channel; close it too. */
        @Override
        public Sender<T> clone() {
            checkOpen();
            chan.retainTx();
            return new Sender<>(chan);
        }
    }

    /** Pushes {@code value} into the slot it holds; false (slot given back) if the receiver closed. */
    static <T> boolean deliver(Chan<T> chan, Semaphore.Permit slot, T value) {
        if (!chan.queue.push(value)) {
            slot.close();
            return false;
        }
        slot.handOff(); // the value occupies the slot until the receiver takes it and returns it
        chan.wakeRx();
        return true;
    }

    /**
     * Waits for a slot: a lock-free attempt on the first poll, then a semaphore acquire.
     * Returns the slot, null while pending; throws {@link Semaphore.ClosedException}.
     * Spends one unit of budget when it completes.
     */
    private abstract static class SlotWait<T> {
        final Chan<T> chan;
        /** What a pending poll records as its wait, on the channel. */
        private final String op;
        private Future<Semaphore.Permit> acquire;
        boolean done;

        SlotWait(Chan<T> chan, String op) {
            this.chan = chan;
            this.op = op;
        }

        final Semaphore.Permit pollSlot(Context cx) {
            if (done) {
                throw new IllegalStateException("polled after completion");
            }
            if (acquire == null) {
                if (Coop.mustYield(cx)) {
                    return null;
                }
                Semaphore.Permit slot;
                try {
                    slot = chan.slots.tryAcquire();
                } catch (Semaphore.ClosedException e) {
                    done = true;
                    throw e;
                }
                if (slot != null) {
                    cx.pollProceed(); // the unit checked above
                    done = true;
                    return slot;
                }
                acquire = chan.slots.acquire(1, op, chan); // queue up behind the other waiting senders
            }
            Poll<Semaphore.Permit> p;
            try {
                p = acquire.poll(cx); // spends the unit when ready
            } catch (Semaphore.ClosedException e) {
                acquire = null; // finished: nothing to drop
                done = true;
                throw e;
            }
            if (p.isPending()) {
                return null;
            }
            acquire = null;
            done = true;
            return p.value();
        }

        final void dropSlotWait() {
            Future<Semaphore.Permit> a = acquire;
            if (a != null) {
                acquire = null;
                a.drop(); // gives back a slot assigned to us
            }
        }
    }

    /** The future of {@link Sender#send}. */
    private static final class Send<T> extends SlotWait<T> implements Future<Void> {
        private final Sender<T> sender;
        private T value;
        private boolean polled;

        Send(Sender<T> sender, T value) {
            super(sender.chan, "mpsc.send");
            this.sender = sender;
            this.value = value;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!polled) {
                polled = true;
                sender.checkOpen(); // a send polled after its sender's close could follow the end
            }
            Semaphore.Permit slot;
            try {
                slot = pollSlot(cx);
            } catch (Semaphore.ClosedException e) {
                slot = null;
            }
            if (slot == null && !done) {
                return Poll.pending();
            }
            T v = value;
            value = null;
            if (slot == null || !deliver(chan, slot, v)) {
                throw new ClosedException(v);
            }
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            dropSlotWait();
            done = true;
            value = null;
        }

        @Override
        public String toString() {
            return "send on " + chan;
        }
    }

    /** The future of {@link Sender#reserve()}; holds one sender count until it hands it over. */
    private static final class Reserve<T> extends SlotWait<T> implements Future<Permit<T>> {
        Reserve(Chan<T> chan) {
            super(chan, "mpsc.reserve");
        }

        @Override
        public Poll<Permit<T>> poll(Context cx) {
            Semaphore.Permit slot;
            try {
                slot = pollSlot(cx);
            } catch (Semaphore.ClosedException e) {
                chan.releaseTx();
                throw new ClosedException(null);
            }
            if (slot == null) {
                return Poll.pending();
            }
            return Poll.ready(new Permit<>(chan, slot));
        }

        @Override
        public void drop() {
            if (!done) {
                done = true;
                dropSlotWait();
                chan.releaseTx();
            }
        }

        @Override
        public String toString() {
            return "reserve on " + chan;
        }
    }

    /**
     * One reserved slot of a bounded channel. {@link #send} uses it; {@link #close()} gives it
     * back. Until then it counts as a sender: the receiver does not see the end while a permit
     * is open. One owner uses it.
     */
    public static final class Permit<T> implements AutoCloseable {
        private final Chan<T> chan;
        private Semaphore.Permit slot; // null once used or closed

        Permit(Chan<T> chan, Semaphore.Permit slot) {
            this.chan = chan;
            this.slot = slot;
        }

        /**
         * Sends {@code value} into the reserved slot, which cannot be full. Returns false if the
         * receiver was closed meanwhile (the value was not delivered; the caller keeps it).
         *
         * @throws IllegalStateException if the permit was already used or closed
         * @throws NullPointerException if {@code value} is null
         */
        public boolean send(T value) {
            Objects.requireNonNull(value, "mpsc values must not be null");
            Semaphore.Permit s = slot;
            if (s == null) {
                throw new IllegalStateException("permit of " + chan + " already used or closed");
            }
            slot = null;
            boolean sent = deliver(chan, s, value);
            chan.releaseTx(); // after the push: the end must not overtake this value
            return sent;
        }

        /** Gives the slot back without sending. Idempotent; a no-op after {@link #send}. */
        @Override
        public void close() {
            Semaphore.Permit s = slot;
            if (s != null) {
                slot = null;
                s.close();
                chan.releaseTx();
            }
        }

        @Override
        public String toString() {
            return (slot == null ? "spent permit of " : "permit of ") + chan;
        }
    }

    // ---- receiving ----------------------------------------------------------------------

    /**
     * The receiving end. One task at a time uses it (single consumer), and at most one
     * {@link #recv()} future is pending at a time.
     */
    public static final class Receiver<T> implements AutoCloseable {
        private static final int SPINS_BEFORE_YIELD = 64;
        private final Chan<T> chan;

        Receiver(Chan<T> chan) {
            this.chan = chan;
        }

        /**
         * A future of the next value, or of {@code null} once every sender is closed and every
         * value sent has been received (or the receiver was closed and what was sent before
         * has been received). Lazy: nothing happens before its first poll. Consumes one unit of
         * the cooperative budget when it completes.
         *
         * <p><b>Cancellation-safe</b>: a value is taken out of the channel only in the poll that
         * returns it, so dropping a pending receive loses nothing, and its waker is
         * unregistered.
         */
        public Future<T> recv() {
            return new Recv<>(this);
        }

        /**
         * The next value if one is there now, else {@code null} (see {@link #isTerminated()}
         * to tell "empty for now" from "ended"). If a sender has claimed the next slot but not
         * yet written it, waits for that write (a few instructions of the sender's).
         */
        public T tryRecv() {
            BlockList<T> q = chan.queue;
            for (int spins = 0; ; spins++) {
                int s = q.poll();
                if (s == BlockList.VALUE) {
                    return take();
                }
                if (s != BlockList.BUSY) {
                    return null;
                }
                if (spins < SPINS_BEFORE_YIELD) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        private T take() {
            T v = chan.queue.take();
            chan.slotFreed();
            return v;
        }

        /**
         * Closes the receiving side: later sends fail (bounded senders waiting for room fail
         * too), values already sent stay receivable. Idempotent.
         */
        @Override
        public void close() {
            chan.queue.closeRx();
            chan.closeSlots();
        }

        /**
         * True once no value can arrive any more: the receiver is closed or every sender is.
         * Values sent before may still be waiting.
         */
        public boolean isClosed() {
            return chan.queue.isRxClosed() || chan.isTxClosed();
        }

        /** True once {@link #recv()} would complete with {@code null}: closed and drained. */
        public boolean isTerminated() {
            return chan.queue.poll() == BlockList.END;
        }

        /** Values waiting in the channel (a snapshot when senders are active). */
        public int len() {
            return (int) Math.min(Integer.MAX_VALUE, chan.queue.len());
        }

        /** True while a pending {@link #recv()} has a waker registered (for tests and dumps). */
        public boolean hasWaiter() {
            return chan.hasRxWaiter();
        }

        @Override
        public String toString() {
            return "receiver of " + chan;
        }
    }

    /** The future of {@link Receiver#recv()}. */
    private static final class Recv<T> implements Future<T> {
        private final Receiver<T> rx;
        private boolean registered;

        Recv(Receiver<T> rx) {
            this.rx = rx;
        }

        @Override
        public Poll<T> poll(Context cx) {
            Chan<T> chan = rx.chan;
            BlockList<T> q = chan.queue;
            int s = q.poll();
            if (s == BlockList.EMPTY || s == BlockList.BUSY) {
                chan.registerRx(cx.waker());
                registered = true;
                s = q.poll(); // re-check: pairs with push then wakeRx in the sender
                if (s == BlockList.EMPTY || s == BlockList.BUSY) {
                    cx.waitingOn("mpsc.recv", chan);
                    return Poll.pending();
                }
            }
            // Nothing is taken before the budget check, so a forced yield loses nothing.
            if (!cx.pollProceed()) {
                return Poll.pending();
            }
            if (registered) {
                registered = false;
                chan.clearRx();
            }
            return Poll.ready(s == BlockList.VALUE ? rx.take() : null);
        }

        @Override
        public void drop() {
            if (registered) {
                registered = false;
                rx.chan.clearRx();
            }
        }

        @Override
        public String toString() {
            return "recv on " + rx.chan;
        }
    }
}
