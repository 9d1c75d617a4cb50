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
