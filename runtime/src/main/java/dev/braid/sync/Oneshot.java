package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A channel for exactly one value. {@link Sender#send} never waits; the {@link Receiver} is
 * a future of the value, or fails with {@link ClosedException} if the sender was closed
 * without sending.
 *
 * <pre>
 *  state bits:  RX_CLOSED | TX_CLOSED | SENT
 * </pre>
 * The value is written before {@code SENT} is published by CAS. The receiver stores its
 * waker (volatile) and re-reads the state; the sender publishes the state, then reads the
 * waker: one of them always sees the other.
 *
 * <p>Receiving is cancellation-safe: dropping a pending receive loses nothing (it closes the
 * receiving side, so a later {@code send} reports the value as not delivered).
 */
public final class Oneshot<T> {
    private static final int SENT = 1;
    private static final int TX_CLOSED = 2;
    private static final int RX_CLOSED = 4;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Oneshot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile int state;
    private T value; // published by the SENT CAS
    private volatile Waker rxWaker;
    private final Sender<T> sender = new Sender<>(this);
    private final Receiver<T> receiver = new Receiver<>(this);

    private Oneshot() {
    }

    /** A new channel; take its two ends with {@link #sender()} and {@link #receiver()}. */
    public static <T> Oneshot<T> channel() {
        return new Oneshot<>();
    }

    public Sender<T> sender() {
        return sender;
    }

    public Receiver<T> receiver() {
        return receiver;
    }

    private int setBits(int bits) {
        return (int) STATE.getAndBitwiseOr(this, bits);
    }

    /** A throwing waker is logged, not rethrown: the send or close has happened (see Coop). */
    private void wakeReceiver() {
        Coop.wake(rxWaker, this);
    }

    /** Raised by a receive whose sender closed without sending. */
    public static final class ClosedException extends RuntimeException {
        ClosedException() {
            super("oneshot sender closed without sending a value");
        }
    }

    public static final class Sender<T> {
        private final Oneshot<T> ch;

        Sender(Oneshot<T> ch) {
            this.ch = ch;
        }

        /**
         * Sends the value. Returns false if the receiver is gone (the value was not delivered).
         * A sender sends once: throws if {@code send} was already called (delivered or not) or
         * the sender was closed.
         */
        public boolean send(T value) {
            int s = ch.state;
            if ((s & (SENT | TX_CLOSED)) != 0) {
                throw new IllegalStateException("oneshot already " + ((s & SENT) != 0 ? "sent" : "closed"));
            }
            if ((s & RX_CLOSED) != 0) {
                // Used up as when the receiver closes during the send (the CAS below sets SENT).
                ch.setBits(SENT);
                return false;
            }
            ch.value = value;
            int prev = ch.setBits(SENT);
            if ((prev & RX_CLOSED) != 0) {
                ch.value = null;
                return false;
            }
            ch.wakeReceiver();
            return true;
        }

        /** Closes without sending: the receiver fails with {@link ClosedException}. */
        public void close() {
            int prev = ch.setBits(TX_CLOSED);
            if ((prev & (SENT | TX_CLOSED)) == 0) {
                ch.wakeReceiver();
            }
        }

        public boolean isReceiverClosed() {
            return (ch.state & RX_CLOSED) != 0;
        }
    }

    public static final class Receiver<T> implements Future<T> {
        private final Oneshot<T> ch;

        Receiver(Oneshot<T> ch) {
            this.ch = ch;
        }

        @Override
        public Poll<T> poll(Context cx) {
            int s = ch.state;
            if ((s & (SENT | TX_CLOSED)) == 0) {
                ch.rxWaker = cx.waker();
                s = ch.state; // re-check: pairs with setBits then rxWaker read in send/close
                if ((s & (SENT | TX_CLOSED)) == 0) {
                    cx.waitingOn("oneshot.recv", ch);
                    return Poll.pending();
                }
            }
            if (!cx.pollProceed()) {
                return Poll.pending();
            }
            if ((s & SENT) != 0) {
                T v = ch.value;
                ch.value = null;
                return Poll.ready(v);
            }
            throw new ClosedException();
        }

        /** Closes the receiving side; a later send returns false. */
        @Override
        public void drop() {
            ch.setBits(RX_CLOSED);
            ch.rxWaker = null;
        }
    }
}
