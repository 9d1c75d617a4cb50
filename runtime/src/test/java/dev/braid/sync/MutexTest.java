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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class MutexTest {

    @Test
    void tryLock_givesTheValue_andCloseUnlocks() {
        Mutex<String> m = new Mutex<>("a");
        Mutex.Guard<String> g = m.tryLock();
        assertNotNull(g);
        assertTrue(m.isLocked());
        assertNull(m.tryLock());
        assertEquals("a", g.get());
        g.set("b");
        g.close();
        assertFalse(m.isLocked());
        assertEquals("b", new CountingWaker().ready(m.lock()).get());
    }

    @Test
    void guard_releasesExactlyOnce_andRefusesUseAfterClose() {
        Mutex<Integer> m = new Mutex<>(0);
        Mutex.Guard<Integer> g = m.tryLock();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        Future<Mutex.Guard<Integer>> a = m.lock();
        wa.pending(a);
        Future<Mutex.Guard<Integer>> b = m.lock();
        wb.pending(b);
        g.close();
        g.close(); // must not unlock a second time (that would let b in beside a)
        assertTrue(wa.woken());
        assertFalse(wb.woken());
        assertTrue(m.isLocked());
        assertThrows(IllegalStateException.class, g::get);
        assertThrows(IllegalStateException.class, () -> g.set(1));
        wa.ready(a).close();
        assertTrue(wb.woken());
        wb.ready(b).close();
        assertFalse(m.isLocked());
    }

    @Test
    void lock_isFifo_andADroppedWaiterPassesTheLockOn() {
        Mutex<Integer> m = new Mutex<>(0);
        Mutex.Guard<Integer> held = m.tryLock();
        List<Future<Mutex.Guard<Integer>>> fs = new ArrayList<>();
        List<CountingWaker> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CountingWaker w = new CountingWaker();
            Future<Mutex.Guard<Integer>> f = m.lock();
            w.pending(f);
            fs.add(f);
            ws.add(w);
        }
        assertEquals(4, m.waiterCount());
        held.close(); // granted to waiter 0
        assertTrue(ws.get(0).woken());
        fs.get(0).drop(); // granted, never observed: passes to waiter 1
        assertTrue(ws.get(1).woken());
        fs.get(2).drop(); // queued: just leaves
        Mutex.Guard<Integer> g1 = ws.get(1).ready(fs.get(1));
        assertFalse(ws.get(3).woken());
        g1.close();
        assertTrue(ws.get(3).woken());
        ws.get(3).ready(fs.get(3)).close();
        assertEquals(0, m.waiterCount());
        assertFalse(m.isLocked());
    }

    @Test
    void toString_namesTheInstance() {
        Mutex<Integer> m = new Mutex<>(0);
        assertTrue(m.toString().matches("Mutex#\\d+\\(unlocked, waiters=0\\)"), m.toString());
        Mutex.Guard<Integer> g = m.tryLock();
        assertTrue(m.toString().matches("Mutex#\\d+\\(locked, waiters=0\\)"), m.toString());
        g.close();
    }

    @Test
    void rt_tasksIncrementUnderTheLock_andGuardsMayBeClosedByAnotherTask() {
        int tasks = 50;
        int iterations = SyncStress.rounds(200);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("mutex-rt").build()) {
            Mutex<Integer> m = new Mutex<>(0);
            AtomicBoolean inside = new AtomicBoolean();
            AtomicInteger overlaps = new AtomicInteger();
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                handles.add(rt.spawn(new Future<>() {
                    int n;
                    Future<Mutex.Guard<Integer>> lock;

                    @Override
                    public Poll<Integer> poll(Context cx) {
                        while (n < iterations) {
                            if (lock == null) {
                                lock = m.lock();
                            }
                            Poll<Mutex.Guard<Integer>> p = lock.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            lock = null;
                            Mutex.Guard<Integer> g = p.value();
                            if (!inside.compareAndSet(false, true)) {
                                overlaps.incrementAndGet();
                            }
                            g.set(g.get() + 1);
                            inside.set(false);
                            if (n % 10 == 0) {
                                // An owned guard: released by another task.
                                rt.spawn(cx2 -> {
                                    g.close();
                                    return Poll.ready(null);
                                });
                            } else {
                                g.close();
                            }
                            n++;
                        }
                        return Poll.ready(n);
                    }

                    @Override
                    public void drop() {
                        if (lock != null) {
                            lock.drop();
                        }
                    }
                }));
            }
            for (JoinHandle<Integer> h : handles) {
                assertEquals(iterations, rt.blockOn(h));
            }
            Mutex.Guard<Integer> g = rt.blockOn(m.lock());
            assertEquals(tasks * iterations, g.get());
            g.close();
            assertEquals(0, overlaps.get());
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }
}
