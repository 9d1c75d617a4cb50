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

    @Test
    void shutdown_cancelsTasksThatWereNeverPolled_whereverTheyWait() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).maxBlockingThreads(1)
                .threadNamePrefix("sd-queued").build();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuckB = new CountDownLatch(1);
        CountDownLatch stuckA = new CountDownLatch(1);
        CountDownLatch stuckBlocking = new CountDownLatch(1);
        List<Probe<Object>> never = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<JoinHandle<Object>> handles = new java.util.concurrent.CopyOnWriteArrayList<>();
        rt.spawn("blocker-b", blockUntil(stuckB, release));
        assertTrue(stuckB.await(10, TimeUnit.SECONDS));
        // Worker A: 300 children into its LIFO slot, local queue and (overflow) the inject queue.
        rt.spawn("blocker-a", cx -> {
            for (int i = 0; i < 300; i++) {
                Probe<Object> p = Probe.create();
                never.add(p);
                handles.add(rt.spawn(p));
            }
            return blockUntil(stuckA, release).poll(cx);
        });
        assertTrue(stuckA.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) { // remote spawns: the inject queue
            Probe<Object> p = Probe.create();
            never.add(p);
            handles.add(rt.spawn(p));
        }
        Strand strand = rt.newStrand("sd-strand"); // its driver waits in the inject queue
        for (int i = 0; i < 50; i++) {
            Probe<Object> p = Probe.create();
            never.add(p);
            handles.add(strand.spawn(p));
        }
        rt.spawnBlocking(() -> { // the only blocking thread, stuck: the rest queue behind it
            stuckBlocking.countDown();
            release.await();
            return null;
        });
        assertTrue(stuckBlocking.await(10, TimeUnit.SECONDS));
        List<JoinHandle<Object>> blockingQueued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blockingQueued.add(rt.spawnBlocking(() -> "ran"));
        }

        assertFalse(rt.shutdown(Duration.ofMillis(100)), "two workers and a blocking thread are stuck");
        for (Probe<Object> p : never) {
            assertEquals(0, p.polls.get(), "never polled");
            assertEquals(1, p.drops.get(), "dropped exactly once");
        }
        for (JoinHandle<Object> h : handles) {
            assertTrue(h.isFinished());
            assertTrue(assertThrows(JoinError.class, () -> stuckJoin(h)).isCancelled());
        }
        for (JoinHandle<Object> h : blockingQueued) {
            assertTrue(assertThrows(JoinError.class, () -> stuckJoin(h)).isCancelled());
        }
        // A strand task scheduled after shutdown is cancelled on the spot, not stranded.
        assertThrows(RuntimeShutdownException.class, () -> strand.spawn(Future.ready(1)));
        release.countDown();
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertEquals(0, rt.metrics().aliveTasks());
        assertEquals(List.of(), Threads.alive("sd-queued"));
    }

    private static Future<Object> blockUntil(CountDownLatch entered, CountDownLatch release) {
        return cx -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            return Poll.ready(null);
        };
    }

    @Test
    void spawnsRacingWithShutdown_allEndUpFinished() throws Exception {
        for (int round = 0; round < 20; round++) {
            BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sd-race").build();
            List<JoinHandle<Integer>> handles = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            // Inside: a task that keeps spawning children (local queue) until shutdown stops it.
            rt.spawn(cx -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        handles.add(rt.spawn(Braid.yieldNow().map(v -> 1)));
                    }
                } catch (RuntimeShutdownException e) {
                    return Poll.ready(null);
                }
                cx.waker().wake();
                return Poll.pending();
            });
            // Outside: a thread spawning remotely.
            Thread remote = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        handles.add(rt.spawn(Braid.yieldNow().map(v -> 2)));
                    } catch (RuntimeShutdownException e) {
                        return;
                    }
                }
            });
            remote.start();
            while (handles.size() < 2_000) {
                Thread.onSpinWait();
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
            stop.set(true);
            remote.join();
            for (JoinHandle<Integer> h : handles) {
                assertTrue(h.isFinished(), "round " + round + ": a task spawned around shutdown was stranded");
            }
            assertEquals(List.of(), Threads.alive("sd-race"));
        }
    }

    private static Object stuckJoin(JoinHandle<Object> h) throws Exception {
        try {
            return h.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (JoinError) e.getCause();
        }
    }
}
