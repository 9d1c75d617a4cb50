package dev.braid.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.braid.sync.MpscLincheckSupport.END;
import static dev.braid.sync.MpscLincheckSupport.EMPTY;
import static dev.braid.sync.MpscLincheckSupport.NONE;
import static dev.braid.sync.MpscLincheckSupport.PENDING;
import static dev.braid.sync.MpscLincheckSupport.Side;
import static dev.braid.sync.MpscLincheckSupport.Waiting;
import static dev.braid.sync.MpscLincheckSupport.pollRecvPastBusy;

/**
 * Linearizability of the unbounded {@link Mpsc} channel against a sequential FIFO model, and
 * no lost wake-up ({@link MpscLincheckSupport.Waiting#check}).
 *
 * <p>Three sender handles, one per parallel thread, send and close from any thread; the
 * receiver's operations form the non-parallel group {@code "rx"} (single consumer). Blocks of
 * two slots make the queue cross block boundaries within a few operations. The receive
 * future is polled by hand and dropped explicitly.
 */
final class MpscLincheckTest {
    /** Three sender handles, one per parallel thread (the init and post parts use the first). */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static final class UnboundedOps {
        private final Mpsc.Unbounded<Integer> ch = Mpsc.unbounded(2);
        private final Mpsc.UnboundedSender<Integer>[] tx;
        private final boolean[] txClosed = new boolean[4]; // each slot written by its handle's thread
        private final AtomicInteger open = new AtomicInteger(3);
        private final Side senders = new Side();
        private final Waiting recv = new Waiting();

        @SuppressWarnings({"unchecked", "rawtypes"})
        public UnboundedOps() {
            tx = new Mpsc.UnboundedSender[4];
            tx[1] = ch.sender();
            tx[2] = tx[1].clone();
            tx[3] = tx[1].clone();
        }

        static int handle(int tid) {
            return tid >= 1 && tid <= 3 ? tid : 1;
        }

        @Operation
        public boolean send(@Param(gen = ThreadIdGen.class) int tid, @Param(name = "v") int v) {
            senders.begin();
            boolean sent = false;
            try {
                sent = tx[handle(tid)].send(v);
                return sent;
            } finally {
                senders.end();
            }
        }

        @Operation
        public void closeSender(@Param(gen = ThreadIdGen.class) int tid) {
            int h = handle(tid);
            senders.begin();
            tx[h].close();
            boolean last = false;
            if (!txClosed[h]) {
                txClosed[h] = true;
                last = open.decrementAndGet() == 0;
            }
            senders.end();
        }

        @Operation
        public boolean isClosed() {
            return tx[1].isClosed();
        }

        @Operation(nonParallelGroup = "rx")
        public int tryRecv() {
            recv.check(senders, this::recvCouldFinish);
            Integer v = ch.receiver().tryRecv();
            return v != null ? v : ch.receiver().isTerminated() ? END : EMPTY;
        }

        @Operation(nonParallelGroup = "rx")
        public int pollRecv() {
            recv.check(senders, this::recvCouldFinish);
            if (recv.future == null) {
                recv.future = ch.receiver().recv();
            }
            return pollRecvPastBusy(recv, ch.receiver());
        }

        @Operation(nonParallelGroup = "rx")
        public int dropRecv() {
            recv.check(senders, this::recvCouldFinish);
            return recv.drop();
        }

        @Operation(nonParallelGroup = "rx")
        public void closeReceiver() {
            recv.check(senders, this::recvCouldFinish);
            ch.receiver().close();
        }

        @Operation(nonParallelGroup = "rx")
        public int len() {
            return ch.receiver().len();
        }

        /** A value is there, or every sender is closed (a receiver close is the consumer's own doing). */
        private boolean recvCouldFinish() {
            return !tx[1].isClosed() && (ch.receiver().len() > 0 || open.get() == 0);
        }

        @Validate
        public void noLostWakeUp() {
            recv.check(senders, this::recvCouldFinish);
        }
    }

    public static final class UnboundedSpec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();
        private final boolean[] txClosed = new boolean[4];
        private int open = 3;
        private boolean rxClosed;
        private boolean recvPending;

        public boolean send(int tid, int v) {
            if (txClosed[UnboundedOps.handle(tid)]) {
                throw new IllegalStateException();
            }
            if (rxClosed) {
                return false;
            }
            q.addLast(v);
            return true;
        }

        public void closeSender(int tid) {
            int h = UnboundedOps.handle(tid);
            if (!txClosed[h]) {
                txClosed[h] = true;
                open--;
            }
        }

        public boolean isClosed() {
            return rxClosed;
        }

        private boolean ended() {
            return (rxClosed || open == 0) && q.isEmpty();
        }

        public int tryRecv() {
            return !q.isEmpty() ? q.pollFirst() : ended() ? END : EMPTY;
        }

        public int pollRecv() {
            int r = !q.isEmpty() ? q.pollFirst() : ended() ? END : PENDING;
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
            return o instanceof UnboundedSpec s && new ArrayList<>(q).equals(new ArrayList<>(s.q))
                    && Arrays.equals(txClosed, s.txClosed) && rxClosed == s.rxClosed && recvPending == s.recvPending;
        }

        @Override
        public int hashCode() {
            return Objects.hash(new ArrayList<>(q), Arrays.hashCode(txClosed), rxClosed, recvPending);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(LincheckBudget.invocations(100))
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(UnboundedSpec.class)
                .check(UnboundedOps.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(200))
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(UnboundedSpec.class)
                .check(UnboundedOps.class);
    }
}
