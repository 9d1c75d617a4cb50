package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ShutdownTest {

    @Test
    void shutdown_dropsIdleAndQueuedTasks_andLeavesNoThread() {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sd-drop").build();
        List<Probe<Object>> idle = new ArrayList<>();
        List<JoinHandle<Object>> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Probe<Object> p = Probe.create();
            idle.add(p);
            handles.add(rt.spawn(p));
        }
        rt.blockOn(rt.spawnBlocking(() -> null));
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        for (Probe<Object> p : idle) {
            assertEquals(1, p.drops.get(), "every waiting task was dropped exactly once");
        }
        for (JoinHandle<Object> h : handles) {
            assertTrue(h.isFinished());
        }
        assertEquals(0, rt.metrics().aliveTasks());
        assertEquals(List.of(), Threads.alive("sd-drop"));
    }

    @Test
    void spawnAfterShutdown_failsClearly() {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("sd-late").build();
        rt.shutdown(Duration.ofSeconds(10));
        RuntimeShutdownException e = assertThrows(RuntimeShutdownException.class, () -> rt.spawn("late", Future.ready(1)));
        assertTrue(e.getMessage().contains("'late'") && e.getMessage().contains("shut down"), e.getMessage());
        assertThrows(RuntimeShutdownException.class, () -> rt.spawnBlocking(() -> 1));
        assertThrows(RuntimeShutdownException.class, () -> rt.blockOn(Future.ready(1)));
        assertTrue(rt.isShutdown());
    }

    @Test
    void shutdown_releasesABlockOnThatCanNeverFinish() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("sd-block").build();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                rt.blockOn(cx -> {
                    entered.countDown();
                    return Poll.pending();
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof RuntimeShutdownException, String.valueOf(outcome.get()));
    }

    @Test
    void shutdown_blockOnAHandle_seesTheCancellation() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("sd-handle").build();
        Probe<Object> never = Probe.create();
        JoinHandle<Object> h = rt.spawn(never);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                rt.blockOn(h);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        while (never.polls.get() == 0) {
            Thread.onSpinWait();
        }
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof JoinError je && je.isCancelled()
                || t instanceof RuntimeShutdownException, String.valueOf(t));
    }

    @Test
    void shutdown_withAStuckTask_timesOut_thenFinishesWhenItReturns() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sd-stuck").build();
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Object> stuck = rt.spawn("stuck", cx -> {
            inPoll.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            return Poll.pending();
        });
        assertTrue(inPoll.await(10, TimeUnit.SECONDS));
        assertFalse(rt.shutdown(Duration.ofMillis(50)), "a thread stuck in a poll outlives the timeout");
        release.countDown();
        // The stuck worker notices the shutdown after its poll and drops the task itself.
        assertTrue(assertThrows(JoinError.class, () -> stuckJoin(stuck)).isCancelled());
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertEquals(List.of(), Threads.alive("sd-stuck"));
    }

    private static Object stuckJoin(JoinHandle<Object> h) throws Exception {
        try {
            return h.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (JoinError) e.getCause();
        }
    }
}
