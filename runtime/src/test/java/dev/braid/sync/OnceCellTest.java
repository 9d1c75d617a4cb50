package dev.braid.sync;

import dev.braid.future.Future;
import dev.braid.future.Probe;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class OnceCellTest {

    @Test
    void set_storesOnce() {
        OnceCell<String> c = new OnceCell<>();
        assertNull(c.get());
        assertFalse(c.isInitialized());
        assertTrue(c.set("a"));
        assertFalse(c.set("b"));
        assertEquals("a", c.get());
        assertEquals("a", new CountingWaker().ready(c.getOrInit(() -> {
            throw new AssertionError("initialiser must not run");
        })));
        assertEquals("x", new OnceCell<>("x").get());
        assertThrows(NullPointerException.class, () -> c.set(null));
    }

    @Test
    void waiters_getTheValueOfTheRunningInitialiser() {
        OnceCell<String> c = new OnceCell<>();
        Probe<String> init = Probe.create();
        Future<String> first = c.getOrInit(() -> init);
        CountingWaker w1 = new CountingWaker();
        w1.pending(first);
        assertFalse(c.set("other"), "set while an initialiser runs");
        CountingWaker w2 = new CountingWaker();
        Future<String> second = c.getOrInit(() -> {
            throw new AssertionError("only one initialiser runs");
        });
        w2.pending(second);
        assertTrue(c.toString().contains("initializing"), c.toString());
        init.complete("v");
        assertEquals("v", w1.ready(first));
        assertTrue(w2.woken());
        assertEquals("v", w2.ready(second));
        assertTrue(c.toString().endsWith("(set)"), c.toString());
    }

    @Test
    void failedInitialiser_failsItsCaller_andTheNextWaiterTakesOver() {
        OnceCell<String> c = new OnceCell<>();
        Probe<String> bad = Probe.create();
        Probe<String> good = Probe.create();
        Future<String> first = c.getOrInit(() -> bad);
        Future<String> second = c.getOrInit(() -> good);
        CountingWaker w1 = new CountingWaker();
        CountingWaker w2 = new CountingWaker();
        w1.pending(first);
        w2.pending(second);
        bad.fail(new IllegalStateException("init failed"));
        assertThrows(IllegalStateException.class, () -> w1.poll(first));
        assertTrue(w2.woken());
        w2.pending(second); // now runs its own initialiser
        assertEquals(1, good.polls.get());
        good.complete("g");
        assertEquals("g", w2.ready(second));
        assertEquals("g", c.get());
    }

    @Test
    void droppedInitialiser_isDropped_andTheNextWaiterTakesOver() {
        OnceCell<String> c = new OnceCell<>();
        Probe<String> abandoned = Probe.create();
        Future<String> first = c.getOrInit(() -> abandoned);
        new CountingWaker().pending(first);
        CountingWaker w2 = new CountingWaker();
        Future<String> second = c.getOrInit(() -> Future.ready("second"));
        w2.pending(second);
        first.drop();
        assertTrue(abandoned.dropped());
        assertTrue(w2.woken());
        assertEquals("second", w2.ready(second));
    }

    @Test
    void rt_initialiserRunsOnce_under1000ConcurrentCallers() {
        int callers = 1000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("once-rt").build()) {
            OnceCell<Object> c = new OnceCell<>();
            AtomicInteger inits = new AtomicInteger();
            Object value = new Object();
            List<JoinHandle<Object>> handles = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                handles.add(rt.spawn(c.getOrInit(() -> {
                    inits.incrementAndGet();
                    return Braid.yieldNow().andThen(v -> Braid.yieldNow()).map(v -> value);
                })));
            }
            for (JoinHandle<Object> h : handles) {
                assertSame(value, rt.blockOn(h));
            }
            assertEquals(1, inits.get());
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void rt_failingAndAbortedInitialisers_areTakenOverUntilOneSucceeds() {
        int callers = 1000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("once-take").build()) {
            OnceCell<Integer> c = new OnceCell<>();
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger thrown = new AtomicInteger();
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                handles.add(rt.spawn(c.getOrInit(() -> {
                    int attempt = attempts.incrementAndGet();
                    return Braid.yieldNow().map(v -> {
                        if (attempt <= 3) {
                            thrown.incrementAndGet();
                            throw new IllegalStateException("attempt " + attempt);
                        }
                        return attempt;
                    });
                })));
            }
            // Abort a few callers too; some of them may be initialising at that moment.
            for (int i = 0; i < callers; i += 97) {
                handles.get(i).abort();
            }
            int failed = 0;
            int cancelled = 0;
            Integer seen = null;
            for (JoinHandle<Integer> h : handles) {
                try {
                    Integer v = rt.blockOn(h);
                    assertTrue(seen == null || seen.equals(v));
                    seen = v;
                } catch (JoinError e) {
                    if (e.isCancelled()) {
                        cancelled++;
                    } else {
                        assertInstanceOf(IllegalStateException.class, e.getCause());
                        failed++;
                    }
                }
            }
            // An aborted caller may have been one of the first three initialisers.
            assertEquals(thrown.get(), failed);
            assertTrue(failed <= 3 && failed + cancelled >= 3, failed + " failed, " + cancelled + " cancelled");
            assertTrue(cancelled <= 11);
            assertEquals(seen, c.get());
            assertTrue(seen >= 4, "the value comes from an attempt after the failures: " + seen);
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }
}
