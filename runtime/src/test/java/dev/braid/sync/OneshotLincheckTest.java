package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Poll;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.Objects;

/**
 * Linearizability of {@link Oneshot} against a sequential model, and no lost wake-up.
 *
 * <p>The sender's operations run on one thread ({@code nonParallelGroup "tx"}: a oneshot has
 * one sender), the receiver's on another ({@code "rx"}: it is a future, polled by one task);
 * {@code isReceiverClosed} runs anywhere. The receiver future is polled by hand with a
 * {@link CountingWaker}; {@link Ops#noLostWakeUp()} checks that a receiver left pending
 * although it could complete was woken after its last poll.
 */
final class OneshotLincheckTest {
    /** Results of {@code poll}: a value is 1..9. */
    static final int PENDING = -1;
    static final int CLOSED = -2;
    /** The receiver finished or was dropped: the operation did nothing. */
    static final int GONE = -3;

    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static final class Ops {
        private final Oneshot<Integer> ch = Oneshot.channel();
        private final CountingWaker waker = new CountingWaker();
        private final Context cx = new Context(waker);
        private boolean finished; // rx thread only
        private int wakesAtPending = -1; // rx thread only: waker count when the last poll said pending

        /** Set by the tx thread once the receiver could complete (a value or the close). */
        private volatile boolean completable;

        @Operation(nonParallelGroup = "tx")
        public boolean send(@Param(name = "v") int v) {
            boolean sent = ch.sender().send(v);
            completable |= sent;
            return sent;
        }

        @Operation(nonParallelGroup = "tx")
        public void closeSender() {
            ch.sender().close();
            completable = true;
        }

        @Operation
        public boolean isReceiverClosed() {
            return ch.sender().isReceiverClosed();
        }

        @Operation(nonParallelGroup = "rx")
        public int poll() {
            noLostWakeUp();
            if (finished) {
                return GONE;
            }
            int before = waker.wakes();
            Poll<Integer> p;
            try {
                p = ch.receiver().poll(cx);
            } catch (Oneshot.ClosedException e) {
                finished = true;
                return CLOSED;
            }
            if (p.isPending()) {
                wakesAtPending = before;
                return PENDING;
            }
            finished = true;
            return p.value();
        }

        @Operation(nonParallelGroup = "rx")
        public int drop() {
            noLostWakeUp();
            if (finished) {
                return GONE; // drop is for unfinished futures only
            }
            finished = true;
            ch.receiver().drop();
            return 0;
        }

        /**
         * Called after each run and before each receiver operation (a later poll would hide a
         * lost wake-up). {@code completable} is set after the send or close returned, so after
         * any wake-up it was going to do.
         */
        @Validate
        public void noLostWakeUp() {
            if (finished || wakesAtPending < 0) {
                return;
            }
            // The last poll said pending. If the receiver can now complete, its waker must have
            // been called after that poll started.
            if (completable && waker.wakes() <= wakesAtPending) {
                throw new IllegalStateException("receiver can complete but was not woken");
            }
        }
    }

    /** The sequential model. */
    public static final class Spec {
        private Integer value;
        private boolean sent;
        private boolean txClosed;
        private boolean rxClosed;
        private boolean finished;

        public boolean send(int v) {
            if (sent || txClosed) {
                throw new IllegalStateException();
            }
            sent = true; // delivered or not, the sender is used up
            if (rxClosed) {
                return false;
            }
            value = v;
            return true;
        }

        public void closeSender() {
            txClosed = true;
        }

        public boolean isReceiverClosed() {
            return rxClosed;
        }

        public int poll() {
            if (finished) {
                return GONE;
            }
            if (sent && !rxClosed) {
                finished = true;
                return value;
            }
            if (txClosed) {
                finished = true;
                return CLOSED;
            }
            return PENDING;
        }

        public int drop() {
            if (finished) {
                return GONE;
            }
            finished = true;
            rxClosed = true;
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && Objects.equals(value, s.value) && sent == s.sent && txClosed == s.txClosed
                    && rxClosed == s.rxClosed && finished == s.finished;
        }

        @Override
        public int hashCode() {
            return Objects.hash(value, sent, txClosed, rxClosed, finished);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(LincheckBudget.invocations(150))
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(300))
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
