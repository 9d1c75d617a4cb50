package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runaway guest code: a {@code while (true) {}} is reported by the runtime's stall monitor
 * with its guest stack, and {@link GuestSession#cancel()} stops it while other sessions on the
 * same runtime keep running.
 */
final class JsRunawayTest {
    static BraidRuntime rt;
    static ScriptHost host;
    /** Latches guest code counts down through the {@code signal(name)} host function. */
    static final Map<String, CountDownLatch> signals = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("js-runaway")
                .stallThreshold(Duration.ofMillis(500)).build();
        host = ScriptHost.builder(rt)
                .hostFunction("signal", args -> {
                    signals.computeIfAbsent(String.valueOf(args.get(0)), k -> new CountDownLatch(1)).countDown();
                    return null;
                })
                .build();
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    private static CountDownLatch signal(String name) {
        return signals.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    private static GuestError failure(CompletableFuture<Object> eval) throws Exception {
        try {
            Object v = eval.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (!(c instanceof GuestError) && c.getCause() != null) {
                c = c.getCause();
            }
            return assertInstanceOf(GuestError.class, c, String.valueOf(e.getCause()));
        }
    }

    @Test
    void anAsyncFunctionShowsOnce_atTheLineItRuns() throws Exception {
        try (StallLog log = new StallLog(); GuestSession js = host.newSession("js")) {
            CompletableFuture<Object> spin = js.evalAsync("""
                    async function worker(n) {
                      await null;
                      signal('async-spin');
                      for (let i = 0; ; i++) { n += i; }
                    }
                    await worker(1);
                    """, "async-spin.mjs");
            assertTrue(signal("async-spin").await(30, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("async-spin.mjs")).findFirst().orElseThrow();
            assertTrue(java.util.regex.Pattern.compile("Guest stack of '[^']+':\n\tat worker \\([^)]*async-spin.mjs:4:\\d+\\)\n").matcher(report).find(), report);
            assertEquals(1, report.split("at worker ", -1).length - 1, "one frame for the async function: " + report);
            js.cancel();
            failure(spin);
        }
    }

    @Test
    void aModulesTopLevel_showsOnce() throws Exception {
        try (StallLog log = new StallLog(); GuestSession js = host.newSession("js")) {
            CompletableFuture<Object> spin = js.evalAsync("""
                    function spin() {
                      signal('module-spin');
                      for (;;) {}
                    }
                    spin();
                    """, "top.mjs");
            assertTrue(signal("module-spin").await(30, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("top.mjs")).findFirst().orElseThrow();
            assertTrue(java.util.regex.Pattern.compile("\tat spin \\([^)]*top.mjs:3:\\d+\\)\n\tat <top level> \\([^)]*top.mjs:5:1\\)\n")
                    .matcher(report).find(), report);
            assertEquals(1, report.split("at <top level> ", -1).length - 1, "one frame for the module's code: " + report);
            js.cancel();
            failure(spin);
        }
    }

    @Test
    void aPythonStall_showsEachFrameAtItsLine() throws Exception {
        try (StallLog log = new StallLog(); GuestSession py = host.newSession("python")) {
            // A script's top level runs on the session's main thread, which is no worker: a
            // task of the session blocks one.
            CompletableFuture<Object> spin = py.evalAsync("""
                    import braid
                    def spin():
                        signal('py-spin')
                        while True:
                            pass
                    def outer():
                        spin()
                    async def task():
                        outer()
                    braid.run(task())
                    """, "spin.py");
            assertTrue(signal("py-spin").await(60, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("spin.py")).findFirst().orElseThrow();
            // Each frame at its line: the loop, the call in outer, the call in the task.
            assertTrue(report.contains("\tat spin (spin.py:4)\n\tat outer (spin.py:7)\n\tat task (spin.py:9)"), report);
            py.cancel();
            failure(spin);
        }
    }

    @Test
    void pythonCodeSpinningOnTheMainThread_isInterruptedByCancel() throws Exception {
        try (GuestSession py = host.newSession("python")) {
            CompletableFuture<Object> spin = py.evalAsync("signal('py-main-spin')\nwhile True:\n    pass\n", "main-spin.py");
            assertTrue(signal("py-main-spin").await(60, TimeUnit.SECONDS), "the guest started spinning");
            py.cancel();
            failure(spin);
            assertEquals(2, py.evalSync("1 + 1", "after.py"), "the session goes on");
        }
    }

    @Test
    void cancellingAPythonTaskThatSpins_isQuick_andWeakrefCallbacksRunAfterwards() throws Exception {
        // The thread that waits inside a Python context for its weakref callbacks steps out
        // while the cancel's Context.interrupt waits for every thread to leave.
        try (GuestSession py = host.newSession("python")) {
            CompletableFuture<Object> spin = py.evalAsync("""
                    import braid
                    async def task():
                        signal('py-task-spin')
                        while True:
                            pass
                    braid.run(task())
                    """, "task-spin.py");
            assertTrue(signal("py-task-spin").await(60, TimeUnit.SECONDS), "the guest started spinning");
            long t0 = System.nanoTime();
            py.cancel();
            failure(spin);
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took < 3_000, "the cancel took " + took + " ms");
            assertEquals(true, py.evalSync("""
                    import gc, weakref
                    class Thing:
                        pass
                    seen = []
                    weakref.finalize(Thing(), seen.append, 1)
                    for _ in range(50):
                        if seen:
                            break
                        gc.collect()
                    seen == [1]
                    """, "after.py"), "a finalizer ran");
        }
    }

    @Test
    void aPythonCoroutineStall_showsItsLineToo() throws Exception {
        try (StallLog log = new StallLog(); GuestSession py = host.newSession("python")) {
            CompletableFuture<Object> spin = py.evalAsync("""
                    def crunch():
                        signal('py-coroutine-spin')
                        while True:
                            pass
                    async def main():
                        crunch()
                    main()
                    """, "coro.py");
            assertTrue(signal("py-coroutine-spin").await(60, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("coro.py")).findFirst().orElseThrow();
            assertTrue(report.contains("\tat crunch (coro.py:3)\n\tat main (coro.py:6)"), "the coroutine's frame at its line: " + report);
            py.cancel();
            failure(spin);
        }
    }

    @Test
    void anAsyncioTaskThatBlocks_isNamedInTheStallReport_withItsStack() throws Exception {
        try (StallLog log = new StallLog(); GuestSession py = host.newSession("python")) {
            CompletableFuture<Object> spin = py.evalAsync("""
                    import asyncio
                    async def quiet():
                        await asyncio.sleep(3600)
                    async def hog():
                        signal('py-asyncio-spin')
                        while True:
                            pass
                    async def main():
                        asyncio.create_task(quiet(), name='quiet')
                        await asyncio.create_task(hog(), name='hog')
                    asyncio.run(main())
                    """, "aio.py");
            assertTrue(signal("py-asyncio-spin").await(60, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("aio.py")).findFirst().orElseThrow();
            assertTrue(report.contains("Running asyncio task 'hog' (hog)\n"), "the asyncio task by name: " + report);
            assertTrue(report.contains("\tat hog (aio.py:6)"), "its stack: " + report);
            py.cancel();
            failure(spin);
        }
    }

    /** The stall reports the runtime logs while it runs. */
    static final class StallLog extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.braid.runtime"); // a strong reference while capturing
        final List<String> reports = new CopyOnWriteArrayList<>();
        final CountDownLatch withGuestStack = new CountDownLatch(1);

        StallLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            if (m != null && m.contains("is stalled")) {
                reports.add(m);
                if (m.contains("Guest stack")) {
                    withGuestStack.countDown();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void spinningCode_isReportedWithItsGuestStack_andCancelStopsIt() throws Exception {
        try (StallLog log = new StallLog(); GuestSession js = host.newSession("js")) {
            CompletableFuture<Object> spin = js.evalAsync("""
                    function spin() {
                      signal('spin-reported');
                      while (true) {}
                    }
                    function outer() { spin(); }
                    outer();
                    """, "spin.js");
            assertTrue(signal("spin-reported").await(30, TimeUnit.SECONDS), "the guest started spinning");
            assertTrue(log.withGuestStack.await(30, TimeUnit.SECONDS), "a stall report with the guest stack: " + log.reports);
            String report = log.reports.stream().filter(m -> m.contains("Guest stack")).findFirst().orElseThrow();
            System.out.println(report);
            assertTrue(report.contains("'eval spin.js' (on strand 'js-"), report);
            assertTrue(report.contains("yield between pieces of work (JavaScript: await braid.yieldNow())"), "the script's advice: " + report);
            assertFalse(report.contains("spawnBlocking"), "not Java's: " + report);
            // The script's own stack leads; the interpreter's Java frames follow (a host may leave them out).
            // Each frame at its line: the loop, the call in outer, the call at the top level.
            assertTrue(java.util.regex.Pattern.compile("\tat spin \\(spin.js:3:\\d+\\)\n\tat outer \\(spin.js:5:20\\)\n"
                    + "\tat <top level> \\(spin.js:6:1\\)\nJava stack of the stalled thread:\n\tat ").matcher(report).find(), report);
            assertFalse(spin.isDone(), "still spinning");

            js.cancel();
            GuestError e = failure(spin);
            assertEquals("Cancelled", e.guestName());
            assertEquals("spin.js", e.file());
            assertEquals(3, e.line(), "where the loop was interrupted");
            assertTrue(e.getMessage().startsWith("Cancelled: the session was cancelled"), e.getMessage());
            // The session stays usable, for plain and for asynchronous code.
            assertEquals(2, js.evalSync("1 + 1", "after.js"));
            assertEquals("slept", js.evalSync("(async () => { await braid.sleep(1); return 'slept'; })()", "after-async.js"));
        }
    }

    @Test
    void cancellingOneSpinningSession_leavesTheOtherRunning() throws Exception {
        try (GuestSession a = host.newSession("js"); GuestSession b = host.newSession("js")) {
            CompletableFuture<Object> spin = a.evalAsync("signal('a-spins'); for (;;) {}", "a.js");
            assertTrue(signal("a-spins").await(30, TimeUnit.SECONDS));
            // Session b runs timers and tasks while a holds a worker.
            assertEquals(15, b.evalSync("""
                    (async () => {
                      let sum = 0;
                      for (let i = 1; i <= 5; i++) { await braid.sleep(5); sum += await braid.spawn(async () => i); }
                      return sum;
                    })()""", "b.js"));
            assertFalse(spin.isDone(), "a still spins while b ran");
            a.cancel();
            assertEquals("Cancelled", failure(spin).guestName());
            assertEquals("b still here", b.evalSync("(async () => { await braid.yieldNow(); return 'b still here'; })()", "b2.js"));
            assertEquals("a again", a.evalSync("'a again'", "a2.js"));
        }
    }

    @Test
    void cancel_failsWaitingEvaluations_andCodeSpinningInAContinuation() throws Exception {
        try (GuestSession js = host.newSession("js")) {
            CompletableFuture<Object> waiting = js.evalAsync("(async () => { await braid.sleep(600000); return 'woke'; })()", "wait.js");
            CompletableFuture<Object> laterSpin = js.evalAsync(
                    "(async () => { await braid.sleep(1); signal('continuation-spins'); while (true) {} })()", "later.js");
            assertTrue(signal("continuation-spins").await(30, TimeUnit.SECONDS));
            js.cancel();
            GuestError w = failure(waiting);
            assertEquals("Cancelled", w.guestName());
            assertEquals("Cancelled: the session was cancelled (wait.js)", w.getMessage());
            assertEquals("Cancelled", failure(laterSpin).guestName());
            assertEquals(7, js.evalSync("(async () => { await braid.sleep(1); return 7; })()", "again.js"));
        }
    }

    @Test
    void cancel_ofAnIdleSession_leavesNoInterruptBehind() {
        try (GuestSession js = host.newSession("js")) {
            assertEquals(1, js.evalSync("1", "first.js"));
            js.cancel();
            assertEquals(3, js.evalSync("(async () => { let n = 0; for (let i = 0; i < 3; i++) { await braid.yieldNow(); n++; } return n; })()", "next.js"));
        }
    }

    @Test
    void close_stopsSpinningCode() throws Exception {
        GuestSession js = host.newSession("js");
        CompletableFuture<Object> spin = js.evalAsync("signal('closed-while-spinning'); while (true) {}", "closed.js");
        assertTrue(signal("closed-while-spinning").await(30, TimeUnit.SECONDS));
        js.close();
        assertEquals("Cancelled", failure(spin).guestName());
    }

    @Test
    void closingAfterCancel_doesNotThrow() throws Exception {
        GuestSession js = host.newSession("js");
        CompletableFuture<Object> spin = js.evalAsync("signal('close-spins'); while (true) {}", "close.js");
        assertTrue(signal("close-spins").await(30, TimeUnit.SECONDS));
        js.cancel();
        failure(spin);
        js.close();
        js.close();
        JoinHandle<Object> h = host.newSession("js").eval("'fresh'", "fresh.js");
        assertEquals("fresh", rt.blockOn(h));
    }

    @Test
    void cancel_ofASpinningSpawnedTask_failsItsAwaiterAsCancelled_withoutResumingIt() throws Exception {
        try (GuestSession js = host.newSession("js")) {
            CompletableFuture<Object> awaiting = js.evalAsync("""
                    (async () => {
                      const h = braid.spawn(() => { signal('spawned-spins'); while (true) {} });
                      try { await h; } catch (e) { signal('awaiter-resumed'); throw e; }
                    })()""", "spawned.js");
            assertTrue(signal("spawned-spins").await(30, TimeUnit.SECONDS));
            js.cancel();
            GuestError e = failure(awaiting);
            assertEquals("Cancelled", e.guestName());
            assertEquals("Cancelled: the session was cancelled (spawned.js)", e.getMessage());
            assertEquals(1, signal("awaiter-resumed").getCount(), "the awaiting code must not resume");
            assertEquals("ok", js.evalSync("(async () => await braid.spawn(async () => 'ok'))()", "after.js"));
        }
    }
}
