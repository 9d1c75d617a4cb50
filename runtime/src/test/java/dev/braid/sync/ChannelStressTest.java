package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Selected;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channels on a real two-worker runtime: many producers, cancellation in {@code select},
 * reservations, lagging broadcast receivers, watch, and the cooperative budget. Seeds are
 * printed; {@code -Dbraid.seed=} replays one, {@code -Dbraid.stress=long} runs 20× the work.
 * A lost wake-up shows as a timeout.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class ChannelStressTest {
    private static final int PRODUCERS = 6;
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("chan-stress").build();

    @AfterEach
    void shutdown() {
        assertTrue(rt.shutdown(Duration.ofSeconds(10)), "runtime threads did not end");
    }

    private static long seed(String test) {
        long seed = SyncStress.seed();
        System.out.println(test + " seed " + seed);
        return seed;
    }

    // ---- mpsc: many producers ----------------------------------------------------------------

    /** Producer p sends (p << 20 | i) for i in 0..n-1 in one of three styles, then closes. */
    private static Future<Void> producer(Mpsc.Sender<Integer> tx, int p, int n, AtomicInteger closed) {
        int[] i = {0};
        return new AsyncLoop(step -> {
            if (step.get() instanceof Mpsc.Permit<?> reserved) {
                @SuppressWarnings("unchecked")
                Mpsc.Permit<Integer> permit = (Mpsc.Permit<Integer>) reserved;
                assertTrue(permit.send(p << 20 | i[0]++));
            }
            while (i[0] < n) {
                int v = p << 20 | i[0];
                switch (p % 3) {
                    case 0:
                        i[0]++;
                        return tx.send(v);
                    case 1:
                        return tx.reserve();
                    default:
                        Mpsc.TrySend r = tx.trySend(v);
                        if (r == Mpsc.TrySend.FULL) {
                            return Braid.yieldNow();
                        }
                        assertEquals(Mpsc.TrySend.SENT, r);
                        i[0]++;
                }
            }
            closed.incrementAndGet(); // before the close: the receiver's end must come after it
            tx.close();
            return null;
        });
    }

    /** Receives until the end; checks per-producer FIFO and that nothing is missing; returns the count. */
    private static Future<Integer> consumer(Mpsc.Receiver<Integer> rx, int producers, int n, AtomicInteger closed) {
        int[] next = new int[producers];
        int[] count = {0};
        boolean[] started = {false};
        return new AsyncLoop(step -> {
            if (started[0]) {
                Integer v = step.get();
                if (v == null) {
                    assertEquals(producers, closed.get(), "the end came before every sender closed");
                    return null;
                }
                int p = v >>> 20;
                assertEquals(next[p]++, v & 0xFFFFF, "producer " + p + " out of order or duplicated");
                count[0]++;
            }
            started[0] = true;
            return rx.recv();
        }).map(x -> {
            for (int p = 0; p < producers; p++) {
                assertEquals(n, next[p], "producer " + p + " lost values");
            }
            return count[0];
        });
    }

    @Test
    void mpsc_bounded_manyProducers_fifoPerProducer_nothingLostOrDuplicated() {
        manyProducers(8);
    }

    @Test
    void mpsc_bounded_capacityOne() {
        manyProducers(1);
    }

    private void manyProducers(int cap) {
        Mpsc.Bounded<Integer> ch = Mpsc.bounded(cap);
        int n = SyncStress.rounds(20_000);
        AtomicInteger closed = new AtomicInteger();
        JoinHandle<Integer> rx = rt.spawn(consumer(ch.receiver(), PRODUCERS, n, closed));
        List<Mpsc.Sender<Integer>> txs = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            txs.add(p == 0 ? ch.sender() : ch.sender().clone());
        }
        for (int p = 0; p < PRODUCERS; p++) {
            rt.spawn(producer(txs.get(p), p, n, closed));
        }
        assertEquals(PRODUCERS * n, rt.blockOn(rx));
        assertEquals(cap, ch.sender().capacity(), "every slot came back");
        assertFalse(ch.receiver().hasWaiter());
    }

    @Test
    void mpsc_unbounded_manyProducers_fromTasksAndThreads() throws Exception {
        int n = SyncStress.rounds(30_000);
        var ch = Mpsc.<Integer>unbounded();
        AtomicInteger closed = new AtomicInteger();
        JoinHandle<Integer> rx = rt.spawn(consumer(ch.receiver(), PRODUCERS, n, closed));
        List<Thread> threads = new ArrayList<>();
        List<Mpsc.UnboundedSender<Integer>> txs = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            txs.add(p == 0 ? ch.sender() : ch.sender().clone());
        }
        for (int p = 0; p < PRODUCERS; p++) {
            Mpsc.UnboundedSender<Integer> tx = txs.get(p);
            int pp = p;
            Runnable body = () -> {
                for (int i = 0; i < n; i++) {
                    assertTrue(tx.send(pp << 20 | i));
                }
                closed.incrementAndGet();
                tx.close();
            };
            if (p % 2 == 0) {
                rt.spawn(Future.lazy(() -> {
                    body.run();
                    return null;
                }));
            } else {
                Thread t = new Thread(body, "chan-stress-producer-" + p);
                t.start();
                threads.add(t);
            }
        }
        assertEquals(PRODUCERS * n, rt.blockOn(rx));
        for (Thread t : threads) {
            t.join();
        }
    }

    // ---- mpsc: select and reservations ---------------------------------------------------------

    @Test
    void mpsc_recvInSelect_losingOften_losesNothing_andLeavesNoWaiter() {
        int n = SyncStress.rounds(50_000);
        var ch = Mpsc.<Integer>bounded(16);
        AtomicInteger closed = new AtomicInteger();
        rt.spawn(producer(ch.sender(), 0, n, closed));
        int[] next = {0};
        int[] lost = {0};
        JoinHandle<Void> rx = rt.spawn(new AsyncLoop(step -> {
            Selected<Object> s = step.get();
            if (s != null) {
                if (s.index() == 1) {
                    lost[0]++;
                } else if (s.value() == null) {
                    return null;
                } else {
                    assertEquals(next[0]++, s.value());
                }
            }
            return Futures.<Object>select(ch.receiver().recv(), Braid.yieldNow());
        }));
        rt.blockOn(rx);
        assertEquals(n, next[0]);
        assertTrue(lost[0] > 0, "the receive never lost the race; the test proves nothing");
        assertFalse(ch.receiver().hasWaiter());
    }

    @Test
    void mpsc_reservationsDroppedOrClosed_giveEverySlotBack() {
        long seed = seed("reservations");
        int cap = 4;
        int rounds = SyncStress.rounds(5_000);
        var ch = Mpsc.<Integer>bounded(cap);
        AtomicLong sent = new AtomicLong();
        List<JoinHandle<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Mpsc.Sender<Integer> tx = ch.sender().clone();
            SplittableRandom rnd = new SplittableRandom(seed + t);
            int[] left = {rounds};
            tasks.add(rt.spawn(new AsyncLoop(step -> {
                Selected<Object> s = step.get();
                if (s != null && s.index() == 0) {
                    @SuppressWarnings("unchecked")
                    Mpsc.Permit<Integer> p = (Mpsc.Permit<Integer>) s.value();
                    if (rnd.nextBoolean()) {
                        assertTrue(p.send(1));
                        sent.incrementAndGet();
                    } else {
                        p.close();
                    }
                }
                if (left[0]-- == 0) {
                    tx.close();
                    return null;
                }
                return Futures.<Object>select(tx.reserve(), Braid.yieldNow());
            })));
        }
        ch.sender().close();
        long[] received = {0};
        boolean[] started = {false};
        rt.blockOn(new AsyncLoop(step -> {
            if (started[0]) {
                if (step.get() == null) {
                    return null; // every sender and permit closed
                }
                received[0]++;
            }
            started[0] = true;
            return ch.receiver().recv();
        }));
        for (JoinHandle<Void> h : tasks) {
            rt.blockOn(h);
        }
        assertEquals(sent.get(), received[0]);
        assertEquals(cap, ch.sender().capacity(), "a reservation kept its slot");
    }

    // ---- the cooperative budget ----------------------------------------------------------------

    @Test
    void mpsc_receiveLoopOverAFullChannel_yields() {
        try (BraidRuntime one = BraidRuntime.builder().workerThreads(1).threadNamePrefix("chan-budget").build()) {
            var ch = Mpsc.<Integer>unbounded();
            for (int i = 0; i < 1_000; i++) {
                ch.sender().send(i);
            }
            long before = one.metrics().budgetForcedYields();
            int pendings = one.blockOn(one.spawn(new Future<Integer>() {
                int n;
                int pendings;
                Future<Integer> recv;

                @Override
                public Poll<Integer> poll(Context cx) {
                    while (n < 1_000) {
                        if (recv == null) {
                            recv = ch.receiver().recv();
                        }
                        Poll<Integer> p = recv.poll(cx);
                        if (p.isPending()) {
                            pendings++;
                            return Poll.pending();
                        }
                        assertEquals(n++, p.value());
                        recv = null;
                    }
                    return Poll.ready(pendings);
                }
            }));
            assertTrue(pendings >= 1_000 / (Context.DEFAULT_BUDGET + 1), "yielded only " + pendings + " times");
            assertTrue(one.metrics().budgetForcedYields() - before >= pendings);
        }
    }

    // ---- broadcast and watch -------------------------------------------------------------------

    @Test
    void broadcast_slowReceivers_lagByExactCounts() {
        int m = SyncStress.rounds(50_000);
        var ch = Broadcast.<Integer>channel(16);
        List<JoinHandle<long[]>> rxs = new ArrayList<>();
        List<Broadcast.Receiver<Integer>> subs = new ArrayList<>();
        subs.add(ch.receiver());
        subs.add(ch.sender().subscribe());
        subs.add(ch.sender().subscribe());
        Object yielded = new Object();
        for (int k = 0; k < subs.size(); k++) {
            Broadcast.Receiver<Integer> rx = subs.get(k);
            boolean slow = k > 0;
            long[] st = {0, 0, 0}; // expected next, received, lagged
            boolean[] started = {false};
            rxs.add(rt.spawn(new AsyncLoop(step -> {
                if (started[0] && step.value() != yielded) {
                    if (step.error() instanceof Broadcast.LaggedException e) {
                        st[0] += e.skipped();
                        st[2] += e.skipped();
                    } else {
                        Integer v = step.get();
                        if (v == null) {
                            return null;
                        }
                        assertEquals(st[0]++, (long) v, "out of order after " + st[2] + " lagged");
                        st[1]++;
                        if (slow && v % 7 == 0) {
                            return Braid.yieldNow().map(x -> yielded);
                        }
                    }
                }
                started[0] = true;
                return rx.recv();
            }).map(x -> st)));
        }
        int[] i = {0};
        rt.spawn(new AsyncLoop(step -> {
            while (i[0] < m) {
                assertEquals(subs.size(), ch.sender().send(i[0]++));
                if (i[0] % 64 == 0) {
                    return Braid.yieldNow();
                }
            }
            ch.sender().close();
            return null;
        }));
        long totalLag = 0;
        for (JoinHandle<long[]> h : rxs) {
            long[] st = rt.blockOn(h);
            assertEquals(m, st[0], "received + lagged must account for every value");
            assertEquals(m, st[1] + st[2]);
            totalLag += st[2];
        }
        assertTrue(totalLag > 0, "nobody lagged; the test proves nothing");
    }

    @Test
    void watch_receiverSeesNonDecreasingVersions_theLastOne_thenTheClose() {
        int m = SyncStress.rounds(50_000);
        var ch = Watch.channel(0);
        long[] last = {0};
        boolean[] closedSeen = {false};
        JoinHandle<Void> rx = rt.spawn(new AsyncLoop(step -> {
            if (step.error() instanceof Watch.ClosedException) {
                closedSeen[0] = true;
                return null;
            }
            step.get();
            int v = ch.receiver().borrowAndUpdate();
            assertTrue(v >= last[0], "went back from " + last[0] + " to " + v);
            last[0] = v;
            return ch.receiver().changed();
        }));
        int[] i = {0};
        rt.spawn(new AsyncLoop(step -> {
            while (i[0] < m) {
                ch.sender().send(++i[0]);
                if (i[0] % 50 == 0) {
                    return Braid.yieldNow();
                }
            }
            ch.sender().close();
            return null;
        }));
        rt.blockOn(rx);
        assertTrue(closedSeen[0]);
        assertEquals(m, last[0]);
    }
}
