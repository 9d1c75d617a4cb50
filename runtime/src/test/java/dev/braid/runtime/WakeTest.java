package dev.braid.runtime;

import dev.braid.future.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many workers a task from outside the runtime wakes. */
final class WakeTest {
    /**
     * One task at a time from outside (a request, then its reply) wakes one worker. The worker
     * that finds it was the last searcher; it wakes another only if more work is waiting, and
     * here none is. Waking one anyway, as Tokio does, had the second worker search and park
     * again for every request: twice the parks, and four times the workers' CPU per request
     * (measured in docs/performance.md).
     */
    @Test
    void oneTaskAtATimeFromOutside_wakesOneWorkerEachTime() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("wake-one").build()) {
            for (int i = 0; i < 200; i++) { // both workers parked, the code paths warm
                rt.blockOn(rt.spawn(cx -> Poll.ready(null)));
            }
            int n = 2_000;
            long parks = rt.metrics().parks();
            for (int i = 0; i < n; i++) {
                int v = i;
                assertEquals(Integer.valueOf(v), rt.<Integer>blockOn(rt.spawn(cx -> Poll.ready(v))));
            }
            long perTask = rt.metrics().parks() - parks;
            // One park per task; a little more where a worker's park returned early (the
            // other one took it off the sleeper list just as it parked).
            assertTrue(perTask <= n * 5L / 4, "parks for " + n + " tasks one after the other: " + perTask
                    + " (two workers woken per task would make about " + 2 * n + "); " + rt.metrics());
        }
    }

    @Test
    void aBurstFromOutside_stillWakesTheSecondWorker() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("wake-burst").build()) {
            // Tasks that each hold a worker until both have started: only two workers can run
            // them, so this completes only if the burst woke the second worker too.
            java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
            List<JoinHandle<Object>> hs = List.of(
                    rt.spawn(cx -> {
                        await(both);
                        return Poll.ready(null);
                    }),
                    rt.spawn(cx -> {
                        await(both);
                        return Poll.ready(null);
                    }));
            for (JoinHandle<Object> h : hs) {
                rt.blockOn(h);
            }
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier b) {
        try {
            b.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the second worker never came", e);
        }
    }
}
