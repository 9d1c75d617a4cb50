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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RwLockTest {

    @Test
    void readersShare_writerExcludes() {
        RwLock<String> l = new RwLock<>("v");
        RwLock.ReadGuard<String> r1 = l.tryRead();
        RwLock.ReadGuard<String> r2 = l.tryRead();
        assertNotNull(r1);
        assertNotNull(r2);
        assertEquals("v", r2.get());
        assertNull(l.tryWrite());
        r1.close();
        r2.close();
        r2.close(); // once only
        RwLock.WriteGuard<String> w = l.tryWrite();
        assertNotNull(w);
        assertNull(l.tryRead());
        w.set("w");
        w.close();
        assertThrows(IllegalStateException.class, w::get);
        assertEquals("w", l.tryRead().get());
    }

    @Test
    void waitingWriter_isNotStarvedByLaterReaders() {
        RwLock<Integer> l = new RwLock<>(0);
        RwLock.ReadGuard<Integer> r1 = l.tryRead();
        CountingWaker ww = new CountingWaker();
        Future<RwLock.WriteGuard<Integer>> w = l.write();
        ww.pending(w);
        assertNull(l.tryRead(), "a reader may not overtake the waiting writer");
        CountingWaker wr = new CountingWaker();
        Future<RwLock.ReadGuard<Integer>> r2 = l.read();
        wr.pending(r2);
        r1.close();
        assertTrue(ww.woken());
        assertFalse(wr.woken());
        RwLock.WriteGuard<Integer> g = ww.ready(w);
        g.set(1);
        assertTrue(l.toString().contains("write-locked"), l.toString());
        g.close();
        assertTrue(wr.woken());
        assertEquals(1, wr.ready(r2).get());
    }

    @Test
    void droppedWriter_passesCollectedReadPermitsOn() {
        RwLock<Integer> l = new RwLock<>(0);
        RwLock.ReadGuard<Integer> r1 = l.tryRead();
        Future<RwLock.WriteGuard<Integer>> w = l.write();
        new CountingWaker().pending(w);
        CountingWaker wr = new CountingWaker();
        Future<RwLock.ReadGuard<Integer>> r2 = l.read();
        wr.pending(r2);
        w.drop();
        assertTrue(wr.woken(), "the reader behind the dropped writer runs beside r1");
        wr.ready(r2).close();
        r1.close();
        assertNotNull(l.tryWrite());
    }

    @Test
    void rt_writersSeeNoReaderAndReadersSeeConsistentValues() {
        int tasks = 40;
        int iterations = SyncStress.rounds(100);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("rwlock-rt").build()) {
            RwLock<int[]> l = new RwLock<>(new int[2]);
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger writers = new AtomicInteger();
            AtomicInteger violations = new AtomicInteger();
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                boolean writer = t % 4 == 0;
                handles.add(rt.spawn(new Future<>() {
                    int n;
                    Future<? extends AutoCloseable> pending;

                    @Override
                    @SuppressWarnings("unchecked")
                    public Poll<Integer> poll(Context cx) {
                        while (n < iterations) {
                            if (pending == null) {
                                pending = writer ? l.write() : l.read();
                            }
                            Poll<? extends AutoCloseable> p = pending.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            pending = null;
                            if (writer) {
                                RwLock.WriteGuard<int[]> g = (RwLock.WriteGuard<int[]>) p.value();
                                if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                int[] v = g.get();
                                v[0]++;
                                v[1]++;
                                writers.decrementAndGet();
                                g.close();
                            } else {
                                RwLock.ReadGuard<int[]> g = (RwLock.ReadGuard<int[]>) p.value();
                                readers.incrementAndGet();
                                if (writers.get() != 0 || g.get()[0] != g.get()[1]) {
                                    violations.incrementAndGet();
                                }
                                readers.decrementAndGet();
                                g.close();
                            }
                            n++;
                        }
                        return Poll.ready(n);
                    }
                }));
            }
            for (JoinHandle<Integer> h : handles) {
                assertEquals(iterations, rt.blockOn(h));
            }
            assertEquals(0, violations.get());
            assertEquals(tasks / 4 * iterations, l.tryRead().get()[0]);
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }
}
