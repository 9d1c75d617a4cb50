package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class JoinSetTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("joinset-test").build();

    @AfterEach
    void shutdown() {
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void joinNext_returnsEveryResult_thenNullWhenEmpty() {
        try (JoinSet<Integer> set = new JoinSet<>(rt)) {
            for (int i = 0; i < 100; i++) {
                set.spawn(Future.ready(i));
            }
            assertEquals(100, set.size());
            Set<Integer> seen = new HashSet<>();
            JoinResult<Integer> r;
            while ((r = rt.blockOn(set.joinNext())) != null) {
                seen.add(r.get());
            }
            assertEquals(100, seen.size());
            assertTrue(set.isEmpty());
            assertNull(rt.blockOn(set.joinNext()));
        }
    }

    @Test
    void joinNext_returnsInCompletionOrder() {
        try (JoinSet<String> set = new JoinSet<>(rt)) {
            Probe<String> first = Probe.create();
            Probe<String> second = Probe.create();
            set.spawn(first);
            set.spawn(second);
            second.complete("second finished first");
            assertEquals("second finished first", rt.blockOn(set.joinNext()).get());
            first.complete("then first");
            assertEquals("then first", rt.blockOn(set.joinNext()).get());
        }
    }

    @Test
    void joinNext_reportsFailuresAndCancellations() {
        try (JoinSet<Object> set = new JoinSet<>(rt)) {
            set.spawn(cx -> {
                throw new IllegalStateException("failed member");
            });
            JoinResult<Object> r = rt.blockOn(set.joinNext());
            assertTrue(!r.isOk() && r.error().isFailed());
            assertThrows(JoinError.class, r::get);

            AbortHandle h = set.spawn(Probe.create());
            h.abort();
            JoinResult<Object> c = rt.blockOn(set.joinNext());
            assertTrue(c.error().isCancelled());
            assertEquals(h.id(), c.taskId());
        }
    }

    @Test
    void close_abortsEveryMemberStillRunning() {
        List<Probe<Object>> probes = new ArrayList<>();
        JoinSet<Object> set = new JoinSet<>(rt);
        for (int i = 0; i < 1000; i++) {
            Probe<Object> p = Probe.create();
            probes.add(p);
            set.spawn(p);
        }
        set.close();
        // Every member is dropped by its worker; a task that re-checks after the others ran
        // waits for the last drop.
        assertEquals(0, set.size());
        rt.blockOn(rt.spawn(cx -> {
            for (Probe<Object> p : probes) {
                if (!p.dropped()) {
                    cx.waker().wake(); // re-check after other tasks ran
                    return Poll.pending();
                }
            }
            return Poll.ready(null);
        }));
        for (Probe<Object> p : probes) {
            assertEquals(1, p.drops.get());
        }
    }

    @Test
    void joinNext_dropped_losesNoResult() {
        try (JoinSet<Integer> set = new JoinSet<>(rt)) {
            Probe<Integer> p = Probe.create();
            set.spawn(p);
            // A joinNext that is polled once and dropped (a select loser)...
            rt.blockOn(dev.braid.future.Futures.select(set.joinNext(), Future.ready(null)));
            p.complete(9);
            // ...does not swallow the result.
            assertEquals(9, rt.blockOn(set.joinNext()).get());
        }
    }
}
