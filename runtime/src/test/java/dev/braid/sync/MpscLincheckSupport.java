package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the two {@link Mpsc} Lincheck tests share: result codes, futures polled by hand with a
 * {@link CountingWaker}, and the lost-wake-up check.
 */
final class MpscLincheckSupport {
    private MpscLincheckSupport() {
    }

    static final int EMPTY = -1;
    static final int END = -2;
    static final int PENDING = -3;
    static final int SENT = 10;
    static final int FULL = 11;
    static final int CLOSED = 12;
    /** No future to act on. */
    static final int NONE = -4;

    /**
     * Polls the receive. A poll that finds the next slot claimed by a sender but not yet
     * written returns pending, and that sender wakes it after writing. The model has no such
     * state (the send has taken effect), so, as the woken task would, poll again until the
     * slot is written; a pending result then means "nothing sent".
     */
    static int pollRecvPastBusy(Waiting recv, Mpsc.Receiver<Integer> rx) {
        for (;;) {
            int r = recv.poll();
            if (r != PENDING || rx.len() == 0) {
                return r;
            }
            Thread.onSpinWait();
        }
    }

    /** The operations of one side in flight, for the wake-up check. */
    static final class Side {
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();

        void begin() {
            started.incrementAndGet();
        }

        void end() {
            completed.incrementAndGet();
        }

        /** The number of operations started if none is in flight now, else -1. */
        int idleMark() {
            int done = completed.get();
            return started.get() == done ? done : -1;
        }

        /** True if no operation started since {@link #idleMark()} returned {@code mark}. */
        boolean stillIdle(int mark) {
            return started.get() == mark;
        }
    }

    /**
     * One future polled by hand on one thread, and the wake-up check: a future left pending
     * must have been woken since that poll if, while the other side is idle, it could finish.
     * (While the other side is busy, a wake-up may legitimately be on its way: a sender whose
     * slot the receiver found claimed but unwritten wakes it after writing.) Whatever lets it
     * finish happened after its poll, or the poll would have finished.
     */
    static final class Waiting {
        final CountingWaker waker = new CountingWaker();
        final Context cx = new Context(waker);
        Future<Integer> future;
        private int wakesAtPoll = -1;

        int poll() {
            int wakes = waker.wakes();
            Poll<Integer> p;
            try {
                p = future.poll(cx);
            } catch (RuntimeException e) {
                future = null;
                wakesAtPoll = -1;
                throw e;
            }
            if (p.isPending()) {
                wakesAtPoll = wakes;
                return PENDING;
            }
            future = null;
            wakesAtPoll = -1;
            Integer v = p.value();
            return v == null ? END : v;
        }

        int drop() {
            if (future == null) {
                return NONE;
            }
            future.drop();
            future = null;
            wakesAtPoll = -1;
            return 0;
        }

        void check(Side other, BooleanSupplier couldFinish) {
            if (future == null || wakesAtPoll < 0) {
                return;
            }
            int mark = other.idleMark();
            if (mark < 0) {
                return;
            }
            boolean could = couldFinish.getAsBoolean();
            boolean woken = waker.wakes() != wakesAtPoll;
            if (could && !woken && other.stillIdle(mark)) {
                throw new IllegalStateException("lost wake-up: a pending future could finish but was not woken");
            }
        }
    }
}
