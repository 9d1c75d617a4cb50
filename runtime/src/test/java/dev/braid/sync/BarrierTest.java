package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class BarrierTest {

    @Test
    void lastArrival_isTheLeader_andReleasesTheOthers() {
        Barrier b = new Barrier(3);
        CountingWaker w1 = new CountingWaker();
        CountingWaker w2 = new CountingWaker();
        Future<Barrier.WaitResult> f1 = b.await();
        w1.pending(f1);
        Future<Barrier.WaitResult> f2 = b.await();
        w2.pending(f2);
        assertEquals(2, b.arrived());
        assertTrue(new CountingWaker().ready(b.await()).isLeader());
        assertTrue(w1.woken());
        assertTrue(w2.woken());
        assertFalse(w1.ready(f1).isLeader());
        assertFalse(w2.ready(f2).isLeader());
        assertEquals(1, b.generation());
        assertEquals(0, b.arrived());
        assertTrue(b.toString().matches("Barrier#\\d+\\(arrived=0/3, generation=1\\)"), b.toString());
    }

    @Test
    void droppedWait_withdrawsItsArrival() {
        Barrier b = new Barrier(2);
        Future<Barrier.WaitResult> a = b.await();
        new CountingWaker().pending(a);
        a.drop();
        assertEquals(0, b.arrived());
        CountingWaker wb = new CountingWaker();
        Future<Barrier.WaitResult> fb = b.await();
        wb.pending(fb);
        assertFalse(wb.woken(), "the dropped party does not count");
        assertTrue(new CountingWaker().ready(b.await()).isLeader());
        assertFalse(wb.ready(fb).isLeader());
    }

    @Test
    void throwingWakerOfAReleasedParty_doesNotFailTheLeadersPoll() {
        try (WakerFailures log = new WakerFailures()) {
            Barrier b = new Barrier(3);
            Future<Barrier.WaitResult> bad = b.await();
            bad.poll(new Context(WakerFailures.THROWING));
            CountingWaker good = new CountingWaker();
            Future<Barrier.WaitResult> f = b.await();
            good.pending(f);
            Future<Barrier.WaitResult> leader = b.await();
            assertTrue(new CountingWaker().ready(leader).isLeader());
            assertTrue(good.woken(), "the party after the throwing one is released and woken");
            assertEquals(1, log.logged());
            assertEquals(1, b.generation());
            assertFalse(new CountingWaker().ready(bad).isLeader());
            assertFalse(good.ready(f).isLeader());
        }
    }

    @Test
    void leaderPoll_withOneUnitOfBudget_arrivesAndCompletes() {
        Barrier b = new Barrier(2);
        Future<Barrier.WaitResult> f = b.await();
        CountingWaker w = new CountingWaker();
        w.pending(f);
        Context cx = new Context(new CountingWaker());
        cx.reset(cx.waker(), 1);
        Poll<Barrier.WaitResult> p = b.await().poll(cx);
        assertTrue(p.isReady() && p.value().isLeader());
        assertEquals(0, cx.forcedYields());
    }

    @Test
    void leaderMadeToYieldAfterArriving_andDropped_leavesTheGenerationWithoutALeader() {
        // Documented edge: something spends the leader's budget during its arriving poll (here
        // a released party's waker that reaches into the leader's context).
        Barrier b = new Barrier(2);
        Context cx = new Context(new CountingWaker());
        cx.reset(cx.waker(), 1);
        Future<Barrier.WaitResult> follower = b.await();
        follower.poll(new Context(cx::pollProceed));
        Future<Barrier.WaitResult> leader = b.await();
        assertTrue(leader.poll(cx).isPending(), "budget spent by the waker: forced yield");
        assertEquals(1, b.generation(), "the group was released all the same");
        leader.drop();
        assertFalse(new CountingWaker().ready(follower).isLeader());
    }

    @Test
    void oneParty_isAlwaysTheLeader() {
        Barrier b = new Barrier(1);
        for (int i = 0; i < 3; i++) {
            assertTrue(new CountingWaker().ready(b.await()).isLeader());
        }
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
    }

    @Test
    void rt_exactlyOneLeaderPerGeneration_overManyGenerations() {
        int parties = 5;
        int generations = SyncStress.rounds(300);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("barrier-rt").build()) {
            Barrier b = new Barrier(parties);
            AtomicIntegerArray leaders = new AtomicIntegerArray(generations);
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int t = 0; t < parties; t++) {
                handles.add(rt.spawn(new Future<>() {
                    int gen;
                    Future<Barrier.WaitResult> wait;

                    @Override
                    public Poll<Integer> poll(Context cx) {
                        while (gen < generations) {
                            if (wait == null) {
                                wait = b.await();
                            }
                            Poll<Barrier.WaitResult> p = wait.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            wait = null;
                            if (p.value().isLeader()) {
                                leaders.incrementAndGet(gen);
                            }
                            gen++;
                        }
                        return Poll.ready(gen);
                    }
                }));
            }
            for (JoinHandle<Integer> h : handles) {
                assertEquals(generations, rt.blockOn(h));
            }
            for (int g = 0; g < generations; g++) {
                assertEquals(1, leaders.get(g), "generation " + g);
            }
            assertEquals(generations, b.generation());
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }
}
