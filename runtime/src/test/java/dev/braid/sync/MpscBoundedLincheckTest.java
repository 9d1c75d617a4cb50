package dev.braid.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;

import static dev.braid.sync.MpscLincheckSupport.CLOSED;
import static dev.braid.sync.MpscLincheckSupport.END;
import static dev.braid.sync.MpscLincheckSupport.EMPTY;
import static dev.braid.sync.MpscLincheckSupport.FULL;
import static dev.braid.sync.MpscLincheckSupport.NONE;
import static dev.braid.sync.MpscLincheckSupport.PENDING;
import static dev.braid.sync.MpscLincheckSupport.SENT;
import static dev.braid.sync.MpscLincheckSupport.Side;
import static dev.braid.sync.MpscLincheckSupport.Waiting;
import static dev.braid.sync.MpscLincheckSupport.pollRecvPastBusy;

/**
 * Linearizability of the bounded {@link Mpsc} channel (capacity 2) against a sequential model
 * of its queue, free slots and one waiting send, and no lost wake-up on either side.
 *
 * <p>One producer thread ({@code "tx"}: {@code trySend}, a send future polled and dropped by
 * hand) and one consumer ({@code "rx"}). With several producers, the semaphore design (as in
 * Tokio) has a window that no sequential model explains: a {@code trySend} that has taken the
 * last slot but not yet appended its value makes a second producer's {@code trySend} report
 * {@code FULL} while the receiver still finds the queue empty. The unbounded test covers
 * concurrent producers on the queue itself.
 */
final class MpscBoundedLincheckTest {
    /** Capacity 2; one producer thread ("tx") with one send future at a time, one consumer ("rx"). */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static final class BoundedOps {
        private final Mpsc.Bounded<Integer> ch = Mpsc.bounded(2, 2);
        private final Side rxSide = new Side();
        private final Side txSide = new Side();
        private final Waiting recv = new Waiting();
        private final Waiting send = new Waiting();

        @Operation(nonParallelGroup = "tx")
        public int trySend(@Param(name = "v") int v) {
            send.check(rxSide, this::sendCouldFinish);
            txSide.begin();
            int r = CLOSED;
            try {
                r = switch (ch.sender().trySend(v)) {
                    case SENT -> SENT;
                    case FULL -> FULL;
                    case CLOSED -> CLOSED;
                };
                return r;
            } finally {
                txSide.end();
            }
        }

        /** Polls this thread's send future, starting one with {@code v} if there is none. */
        @Operation(nonParallelGroup = "tx")
        public int pollSend(@Param(name = "v") int v) {
            send.check(rxSide, this::sendCouldFinish);
            if (send.future == null) {
                send.future = ch.sender().send(v).map(x -> SENT);
            }
            txSide.begin();
            int r = CLOSED;
            try {
                r = send.poll();
                return r;
            } catch (Mpsc.ClosedException e) {
                return CLOSED;
            } finally {
                txSide.end();
            }
        }

        @Operation(nonParallelGroup = "tx")
        public int dropSend() {
            send.check(rxSide, this::sendCouldFinish);
            txSide.begin();
            try {
                return send.drop();
            } finally {
                txSide.end();
            }
        }

        @Operation
        public boolean isClosed() {
            return ch.sender().isClosed();
        }

        @Operation(nonParallelGroup = "rx")
        public int tryRecv() {
            recv.check(txSide, this::recvCouldFinish);
            rxSide.begin();
            Integer v = null;
            try {
                v = ch.receiver().tryRecv();
                return v != null ? v : ch.receiver().isTerminated() ? END : EMPTY;
            } finally {
                rxSide.end();
            }
        }

        @Operation(nonParallelGroup = "rx")
        public int pollRecv() {
            recv.check(txSide, this::recvCouldFinish);
            if (recv.future == null) {
                recv.future = ch.receiver().recv();
            }
            rxSide.begin();
            int r = PENDING;
            try {
                r = pollRecvPastBusy(recv, ch.receiver());
                return r;
            } finally {
                rxSide.end();
            }
        }

        @Operation(nonParallelGroup = "rx")
        public int dropRecv() {
            recv.check(txSide, this::recvCouldFinish);
            return recv.drop();
        }

        @Operation(nonParallelGroup = "rx")
        public void closeReceiver() {
            recv.check(txSide, this::recvCouldFinish);
            rxSide.begin();
            try {
                ch.receiver().close();
            } finally {
                rxSide.end();
            }
        }

        @Operation(nonParallelGroup = "rx")
        public int len() {
            return ch.receiver().len();
        }

        private boolean recvCouldFinish() {
            return !ch.sender().isClosed() && ch.receiver().len() > 0;
        }

        /** The pending send is no longer queued for a slot: it got one, or the receiver closed. */
        private boolean sendCouldFinish() {
            return ch.sender().chan.slots.waiterCount() == 0;
        }

        @Validate
        public void noLostWakeUp() {
            recv.check(txSide, this::recvCouldFinish);
            send.check(rxSide, this::sendCouldFinish);
        }
    }

    /**
     * The bounded model: the queue, free slots, and the one send future, which may wait for a
     * slot, hold one assigned to it, or fail once the receiver is closed.
     */
    public static final class BoundedSpec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();
        private int free = 2;
        private boolean rxClosed;
        private boolean recvPending;
        private Integer sendValue; // the pending send future's value, or null
        private boolean sendAssigned;

        public int trySend(int v) {
            if (rxClosed) {
                return CLOSED;
            }
            if (free == 0) {
                return FULL;
            }
            free--;
            q.addLast(v);
            return SENT;
        }

        public int pollSend(int v) {
            if (sendValue == null) {
                if (rxClosed) {
                    return CLOSED;
                }
                if (free > 0) {
                    free--;
                    q.addLast(v);
                    return SENT;
                }
                sendValue = v;
                return PENDING;
            }
            if (rxClosed) {
                if (sendAssigned) {
                    release();
                }
                sendValue = null;
                sendAssigned = false;
                return CLOSED;
            }
            if (!sendAssigned) {
                return PENDING;
            }
            q.addLast(sendValue);
            sendValue = null;
            sendAssigned = false;
            return SENT;
        }

        public int dropSend() {
            if (sendValue == null) {
                return NONE;
            }
            boolean assigned = sendAssigned;
            sendValue = null;
            sendAssigned = false;
            if (assigned) {
                release();
            }
            return 0;
        }

        /** A slot comes back: to the waiting send first. */
        private void release() {
            if (sendValue != null && !sendAssigned && !rxClosed) {
                sendAssigned = true;
            } else {
                free++;
            }
        }

        public boolean isClosed() {
            return rxClosed;
        }

        private int take() {
            int v = q.pollFirst();
            release();
            return v;
        }

        public int tryRecv() {
            return !q.isEmpty() ? take() : rxClosed ? END : EMPTY;
        }

        public int pollRecv() {
            int r = !q.isEmpty() ? take() : rxClosed ? END : PENDING;
            recvPending = r == PENDING;
            return r;
        }

        public int dropRecv() {
            boolean was = recvPending;
            recvPending = false;
            return was ? 0 : NONE;
        }

        public void closeReceiver() {
            rxClosed = true;
        }

        public int len() {
            return q.size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundedSpec s && new ArrayList<>(q).equals(new ArrayList<>(s.q)) && free == s.free
                    && rxClosed == s.rxClosed && recvPending == s.recvPending && Objects.equals(sendValue, s.sendValue)
                    && sendAssigned == s.sendAssigned;
        }

        @Override
        public int hashCode() {
            return Objects.hash(new ArrayList<>(q), free, rxClosed, recvPending, sendValue, sendAssigned);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(LincheckBudget.invocations(100))
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(BoundedSpec.class)
                .check(BoundedOps.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(150))
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(BoundedSpec.class)
                .check(BoundedOps.class);
    }
}
