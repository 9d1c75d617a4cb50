package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class BlockingTest {

    @Test
    void spawnBlocking_runsOnTheBlockingPool_andReportsFailures() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("blk").build()) {
            assertTrue(rt.blockOn(rt.spawnBlocking(() -> Thread.currentThread().getName())).startsWith("blk-blocking-"));
            JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(rt.spawnBlocking(() -> {
                throw new java.io.IOException("disk on fire");
            })));
            assertInstanceOf(java.io.IOException.class, e.getCause());
            // From inside a task, through the static shortcut.
            int v = rt.blockOn(rt.spawn(cx -> Poll.ready(Braid.spawnBlocking(() -> 21))).andThen(h -> h).map(x -> x * 2));
            assertEquals(42, v);
        }
    }

    @Test
    void spawnBlocking_neverExceedsTheMaximum_andQueuesTheRest() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("blk-max")
                .maxBlockingThreads(2).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch twoRunning = new CountDownLatch(2);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            JoinSet<Integer> set = new JoinSet<>(rt);
            for (int i = 0; i < 6; i++) {
                int id = i;
                rt.spawnBlocking(() -> id); // warm-up noise is fine
            }
            JoinHandle<?>[] hs = new JoinHandle<?>[6];
            for (int i = 0; i < 6; i++) {
                hs[i] = rt.spawnBlocking(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    twoRunning.countDown();
                    release.await();
                    running.decrementAndGet();
                    return 1;
                });
            }
            assertTrue(twoRunning.await(10, TimeUnit.SECONDS));
            assertTrue(rt.metrics().blockingQueueDepth() >= 1, rt.metrics().toString());
            assertEquals(2, rt.metrics().blockingThreads());
            release.countDown();
            for (JoinHandle<?> h : hs) {
                rt.blockOn(h);
            }
            assertEquals(2, maxRunning.get());
            set.close();
        }
    }

    @Test
    void spawnBlocking_idleThreadsRetireAfterTheKeepAlive() throws Exception {
        CountDownLatch blockingThreadEnded = new CountDownLatch(1);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("blk-idle")
                .blockingKeepAlive(Duration.ofMillis(20))
                .onThreadStop(() -> {
                    if (Thread.currentThread().getName().contains("-blocking-")) {
                        blockingThreadEnded.countDown();
                    }
                }).build()) {
            rt.blockOn(rt.spawnBlocking(() -> 1));
            assertTrue(blockingThreadEnded.await(10, TimeUnit.SECONDS), "idle blocking thread retired");
            assertEquals(0, rt.metrics().blockingThreads());
            assertEquals(2, rt.blockOn(rt.spawnBlocking(() -> 2)), "a new thread starts on demand");
        }
    }

    @Test
    void spawnBlocking_abortBeforeItStarts_neverRunsTheBody() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("blk-abort")
                .maxBlockingThreads(1).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Integer> first = rt.spawnBlocking(() -> {
                started.countDown();
                release.await();
                return 1;
            });
            AtomicBoolean ran = new AtomicBoolean();
            JoinHandle<Integer> second = rt.spawnBlocking(() -> {
                ran.set(true);
                return 2;
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            second.abort();
            release.countDown();
            assertEquals(1, rt.blockOn(first));
            assertTrue(assertThrows(JoinError.class, () -> rt.blockOn(second)).isCancelled());
            assertFalse(ran.get());
        }
    }

    @Test
    void blockInPlace_handsTheQueueToAnotherThread() throws Exception {
        // One worker. The parent spawns a child (it lands in the worker's LIFO slot) and then
        // blocks until the child has run. Without the hand-off, nothing could run the child.
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("bip").build()) {
            CountDownLatch childRan = new CountDownLatch(1);
            String[] threads = new String[2];
            JoinHandle<Boolean> parent = rt.spawn(cx -> {
                Braid.spawn(Future.lazy(() -> {
                    threads[1] = Thread.currentThread().getName();
                    childRan.countDown();
                    return null;
                }));
                threads[0] = Thread.currentThread().getName();
                try {
                    return Poll.ready(Braid.blockInPlace(() -> childRan.await(10, TimeUnit.SECONDS)));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(rt.blockOn(parent), "the child ran while the parent blocked");
            assertTrue(threads[1].startsWith("bip-worker-0."), "child ran on the replacement thread: " + threads[1]);
            // The runtime keeps working with its single (replacement) worker.
            for (int i = 0; i < 100; i++) {
                assertEquals(i, rt.blockOn(rt.spawn(Future.ready(i))));
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
        assertEquals(java.util.List.of(), Threads.alive("bip"));
    }

    @Test
    void blockInPlace_outsideAWorker_justRuns_andIsRefusedOnCurrentThread() throws Exception {
        assertEquals(5, Braid.blockInPlace(() -> 5));
        try (BraidRuntime rt = BraidRuntime.newCurrentThread()) {
            JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(rt.spawn(new Future<Integer>() {
                @Override
                public Poll<Integer> poll(Context cx) {
                    try {
                        return Poll.ready(Braid.blockInPlace(() -> 1));
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            })));
            assertTrue(e.getCause().getMessage().contains("not available on the current-thread runtime"));
        }
    }

    @Test
    void blockInPlace_takesItsThreadsFromTheBlockingPool_andReusesThem() throws Exception {
        AtomicInteger started = new AtomicInteger();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("pooled-bip")
                .maxBlockingThreads(3).onThreadStart(started::incrementAndGet).build()) {
            int calls = 200;
            int sum = 0;
            for (int i = 0; i < calls; i++) {
                int n = i;
                sum += rt.blockOn(rt.spawn(Future.lazy(() -> {
                    try {
                        return Braid.blockInPlace(() -> n);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })));
                assertTrue(rt.metrics().blockingThreads() <= 3, "the pool's limit holds: " + rt.metrics());
            }
            assertEquals(calls * (calls - 1) / 2, sum);
            // Two workers, then pool threads: each call hands its core to a pool thread, and the
            // thread it leaves goes back to the pool (or ends: a worker's own thread, or one
            // that comes back to a full pool, which a hand-off racing its return can cause). The old
            // way started a thread per call.
            System.out.printf("%d blockInPlace calls started %d threads%n", calls, started.get());
            assertTrue(started.get() < 2 + calls / 4, calls + " calls started " + started.get() + " threads");
            // The runtime still works on its handed-on cores.
            for (int i = 0; i < 100; i++) {
                assertEquals(i, rt.blockOn(rt.spawn(Future.ready(i))));
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
        assertEquals(java.util.List.of(), Threads.alive("pooled-bip"));
    }

    @Test
    void blockInPlace_withThePoolAtItsLimit_runsOnTheWorker_andHandsItsQueuedTaskOn() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("full-pool-bip")
                .maxBlockingThreads(1).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            JoinHandle<Void> holder = rt.spawnBlocking(() -> { // the pool's only thread
                holding.countDown();
                release.await();
                return null;
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            CountDownLatch childRan = new CountDownLatch(1);
            String[] threads = new String[2];
            JoinHandle<Boolean> parent = rt.spawn(cx -> {
                Braid.spawn(Future.lazy(() -> { // into this worker's LIFO slot
                    threads[1] = Thread.currentThread().getName();
                    childRan.countDown();
                    return null;
                }));
                try {
                    return Poll.ready(Braid.blockInPlace(() -> {
                        threads[0] = Thread.currentThread().getName();
                        return childRan.await(10, TimeUnit.SECONDS);
                    }));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                assertTrue(rt.blockOn(parent), "the child ran on the other worker while the parent blocked");
                assertTrue(threads[0].startsWith("full-pool-bip-worker-"), "the body ran on its worker: " + threads[0]);
                assertTrue(rt.metrics().blockingThreads() <= 1, rt.metrics().toString());
                String warning = log.find("the blocking pool is at its limit");
                assertTrue(warning.contains("maxBlockingThreads 1"), warning);
            } finally {
                release.countDown();
            }
            rt.blockOn(holder);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, rt.blockOn(rt.spawn(Future.ready(i))));
            }
        } finally {
            log.stop();
        }
    }

    /**
     * A loan counts as one from the moment it is granted, not from when its thread takes it
     * up: a blocking task spawned in between gets a thread of its own instead of waiting
     * forever behind a thread that will drive a core. Repeated, because the window is the
     * lent thread's start.
     */
    @Test
    void aBlockingTaskSpawnedRightAfterALoan_stillGetsAThread() {
        for (int i = 0; i < 100; i++) {
            try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("loan-race")
                    .maxBlockingThreads(1).build()) {
                int n = i;
                assertEquals(n, rt.blockOn(rt.spawn(Future.lazy(() -> {
                    try {
                        return Braid.blockInPlace(() -> n); // returns before the lent thread has started
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }))));
                assertEquals(n + 1, rt.blockOn(rt.spawnBlocking(() -> n + 1).timeout(Duration.ofSeconds(10))),
                        "round " + i + ": the blocking task waited behind the loan");
            }
        }
    }

    /** A thread lent to drive a core is no blocking capacity: the pool still runs its tasks. */
    @Test
    void blockInPlace_leavesThePoolItsCapacity() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("lent-bip")
                .maxBlockingThreads(1).build()) {
            assertEquals(7, rt.blockOn(rt.spawn(Future.lazy(() -> {
                try {
                    return Braid.blockInPlace(() -> 7); // the core now runs on a lent pool thread
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }))));
            for (int i = 0; i < 3; i++) {
                int n = i;
                assertEquals(42 + n, rt.blockOn(rt.spawnBlocking(() -> 42 + n)), "blocking task " + i + " ran");
                assertTrue(rt.metrics().blockingThreads() <= 1, rt.metrics().toString());
            }
        }
    }
}
