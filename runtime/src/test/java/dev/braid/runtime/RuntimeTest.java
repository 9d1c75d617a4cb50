package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import dev.braid.sync.Oneshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RuntimeTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("rt-test").build();

    @AfterEach
    void shutdown() {
        assertTrue(rt.shutdown(Duration.ofSeconds(10)), "runtime threads ended");
        assertEquals(List.of(), Threads.alive("rt-test"));
    }

    @Test
    void rt_spawnAndJoin() {
        JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(6 * 7));
        assertEquals(42, rt.blockOn(h));
        assertTrue(h.isFinished());
        assertTrue(h.id() > 0);
    }

    @Test
    void rt_spawnIsLazy_untilAWorkerPollsIt() throws Exception {
        CountDownLatch polled = new CountDownLatch(1);
        Thread[] pollThread = new Thread[1];
        rt.spawn(cx -> {
            pollThread[0] = Thread.currentThread();
            polled.countDown();
            return Poll.ready(null);
        });
        assertTrue(polled.await(10, TimeUnit.SECONDS));
        assertTrue(pollThread[0].getName().startsWith("rt-test-worker-"), pollThread[0].getName());
    }

    @Test
    void rt_taskFailure_surfacesAsJoinError_andTheWorkerSurvives() {
        JoinHandle<Object> h = rt.spawn("bad", cx -> {
            throw new IllegalStateException("boom");
        });
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(h));
        assertTrue(e.isFailed());
        assertFalse(e.isCancelled());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
        // Both workers still run tasks.
        for (int i = 0; i < 100; i++) {
            assertEquals(i, rt.blockOn(rt.spawn(Future.ready(i))));
        }
        Error err = assertThrows(JoinError.class, () -> rt.blockOn(rt.spawn(cx -> {
            throw new AssertionError("an Error too");
        }))).getCause() instanceof AssertionError ae ? ae : null;
        assertNotNull(err);
    }

    @Test
    void rt_abortIdleTask_dropsItsFuture_andJoinReportsCancelled() throws Exception {
        Probe<String> never = Probe.create();
        CountDownLatch firstPoll = new CountDownLatch(1);
        JoinHandle<String> h = rt.spawn(new Future<>() {
            @Override
            public Poll<String> poll(Context cx) {
                Poll<String> p = never.poll(cx);
                firstPoll.countDown();
                return p;
            }

            @Override
            public void drop() {
                never.drop();
            }
        });
        assertTrue(firstPoll.await(10, TimeUnit.SECONDS));
        h.abort();
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(h));
        assertTrue(e.isCancelled());
        assertEquals(1, never.drops.get());
        h.abort(); // aborting a finished task is a no-op
        assertEquals(1, never.drops.get());
    }

    @Test
    void rt_abortRunningTask_dropsAfterTheCurrentPoll() throws Exception {
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger drops = new AtomicInteger();
        JoinHandle<Void> h = rt.spawn(new Future<>() {
            @Override
            public Poll<Void> poll(Context cx) {
                inPoll.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                return Poll.pending();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        });
        assertTrue(inPoll.await(10, TimeUnit.SECONDS));
        h.abortHandle().abort();
        assertEquals(0, drops.get(), "not dropped while its poll runs");
        release.countDown();
        assertTrue(assertThrows(JoinError.class, () -> rt.blockOn(h)).isCancelled());
        assertEquals(1, drops.get());
    }

    @Test
    void rt_taskCompletingWhileAbortRequested_keepsItsValue() throws Exception {
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<String> h = rt.spawn(cx -> {
            inPoll.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            return Poll.ready("done");
        });
        assertTrue(inPoll.await(10, TimeUnit.SECONDS));
        h.abort();
        release.countDown();
        assertEquals("done", rt.blockOn(h));
    }

    @Test
    void rt_wakeFromAnotherThread_resumesTheTask() {
        Probe<String> p = Probe.create();
        JoinHandle<String> h = rt.spawn(p);
        CompletableFuture.runAsync(() -> {
            while (p.polls.get() == 0) {
                Thread.onSpinWait();
            }
            p.complete("woken");
        });
        assertEquals("woken", rt.blockOn(h));
    }

    @Test
    void rt_joinHandleInsideTask_andOneshotAcrossTasks() {
        Oneshot<String> ch = Oneshot.channel();
        JoinHandle<String> receiver = rt.spawn(ch.receiver().map(s -> s + "!"));
        JoinHandle<Boolean> sender = rt.spawn(Future.lazy(() -> ch.sender().send("hello")));
        String got = rt.blockOn(rt.spawn(Futures.join(receiver, sender.map(String::valueOf), (a, b) -> a + b)));
        assertEquals("hello!true", got);
    }

    @Test
    void rt_blockOnFromAWorker_isRefused() {
        JoinHandle<Object> h = rt.spawn(cx -> Poll.ready(rt.blockOn(Future.ready(1))));
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(h));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("blockOn called from a worker thread"));
    }

    @Test
    void rt_staticSpawn_usesTheCurrentRuntime() {
        int v = rt.blockOn(rt.spawn(cx -> Poll.ready(Braid.spawn(Future.ready(5))))
                .andThen(inner -> inner).map(x -> x * 2));
        assertEquals(10, v);
        assertThrows(IllegalStateException.class, () -> Braid.spawn(Future.ready(1)), "outside any runtime");
    }

    @Test
    void rt_yieldNow_letsOtherTasksRun() {
        // One worker: a task that yields lets a task spawned after it run in between.
        try (BraidRuntime one = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rt-one").build()) {
            StringBuilder order = new StringBuilder();
            // All in one task: spawn B, append A, yield, then look. B can only run during the yield.
            String out = one.blockOn(one.spawn(Future.lazy(() -> {
                Braid.spawn(Future.lazy(() -> order.append("B")));
                return order.append("A");
            }).andThen(x -> Braid.yieldNow()).map(x -> order.toString())));
            assertEquals("AB", out);
        }
    }

    @Test
    void rt_toCompletableFuture_completesAndCancels() throws Exception {
        assertEquals(3, rt.spawn(Future.ready(3)).toCompletableFuture().get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> rt.spawn(cx -> {
            throw new IllegalStateException("x");
        }).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(JoinError.class, e.getCause());

        Probe<Object> never = Probe.create();
        JoinHandle<Object> h = rt.spawn(never);
        CompletableFuture<Object> cf = h.toCompletableFuture();
        cf.cancel(true);
        AtomicReference<Throwable> joined = new AtomicReference<>();
        try {
            rt.blockOn(h);
        } catch (JoinError err) {
            joined.set(err);
        }
        assertTrue(((JoinError) joined.get()).isCancelled());
        assertEquals(1, never.drops.get());
    }

    @Test
    void rt_fromStage_insideATask() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        JoinHandle<String> h = rt.spawn(Future.fromStage(cf).map(String::toUpperCase));
        CompletableFuture.runAsync(() -> cf.complete("stage"));
        assertEquals("STAGE", rt.blockOn(h));
    }

    @Test
    void rt_metrics_countWhatHappened() {
        List<JoinHandle<Integer>> hs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            hs.add(rt.spawn(Future.ready(i)));
        }
        hs.add(rt.spawn(Future.ready(0)));
        for (JoinHandle<Integer> h : hs) {
            rt.blockOn(h); // every task polled, not only the last one spawned
        }
        RuntimeMetrics m = rt.metrics();
        assertEquals(2, m.workers());
        assertTrue(m.polls() >= 1001, m.toString());
        assertTrue(m.toString().contains("workers=2"));
    }

    @Test
    void rt_budget_forcesAYieldInAnAlwaysReadyLoop() {
        // One worker, so that its counters are final once the task's completion is seen.
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rt-budget").build()) {
            budgetLoop(rt);
        }
    }

    private static void budgetLoop(BraidRuntime rt) {
        JoinHandle<Integer> done = rt.spawn(Future.ready(1));
        rt.blockOn(done);
        // One poll that awaits a finished handle 1 000 times must be cut by the budget.
        JoinHandle<Integer> loop = rt.spawn(new Future<>() {
            int n;
            int pendings;

            @Override
            public Poll<Integer> poll(Context cx) {
                while (n < 1000) {
                    if (done.poll(cx).isPending()) {
                        pendings++;
                        return Poll.pending();
                    }
                    n++;
                }
                return Poll.ready(pendings);
            }
        });
        int pendings = rt.blockOn(loop);
        assertTrue(pendings >= 1000 / (Context.DEFAULT_BUDGET + 1), "yielded " + pendings + " times");
        assertTrue(rt.metrics().budgetForcedYields() >= pendings);
    }

    @Test
    void rt_threadHooks_runOnEveryRuntimeThread() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        BraidRuntime hooked = BraidRuntime.builder().workerThreads(2).threadNamePrefix("rt-hooks")
                .onThreadStart(started::incrementAndGet).onThreadStop(stopped::incrementAndGet).build();
        hooked.blockOn(hooked.spawnBlocking(() -> 1));
        assertTrue(hooked.shutdown(Duration.ofSeconds(10)));
        assertEquals(3, started.get(), "2 workers + 1 blocking thread");
        assertEquals(3, stopped.get());
    }

    @Test
    void rt_builder_rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> BraidRuntime.builder().workerThreads(0));
        assertThrows(IllegalArgumentException.class, () -> BraidRuntime.builder().maxBlockingThreads(0));
        assertThrows(IllegalArgumentException.class, () -> BraidRuntime.builder().globalQueueInterval(0));
        assertThrows(IllegalArgumentException.class, () -> BraidRuntime.builder().blockingKeepAlive(Duration.ZERO));
    }

    @Test
    void rt_spawnSite_captureModes() {
        BraidRuntime callers = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rt-sites")
                .spawnSiteCapture(SpawnSiteCapture.CALLER).build();
        try {
            JoinHandle<Object> h = callers.spawn(Future.ready(null));
            callers.blockOn(h);
        } finally {
            callers.shutdown(Duration.ofSeconds(10));
        }
        Future<Integer> lambda = cx -> Poll.ready(1);
        assertTrue(SpawnSites.describe(SpawnSites.capture(SpawnSiteCapture.FUTURE_CLASS, lambda))
                .contains("RuntimeTest (lambda)"));
        String caller = SpawnSites.describe(SpawnSites.capture(SpawnSiteCapture.CALLER, lambda));
        assertTrue(caller.startsWith("at dev.braid.runtime.RuntimeTest.rt_spawnSite_captureModes(RuntimeTest.java:"), caller);
        String full = SpawnSites.describe(SpawnSites.capture(SpawnSiteCapture.FULL_STACK, lambda));
        assertTrue(full.contains("RuntimeTest.rt_spawnSite_captureModes"), full);
    }
}
