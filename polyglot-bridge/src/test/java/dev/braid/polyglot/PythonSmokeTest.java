package dev.braid.polyglot;

import dev.braid.future.Future;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python through the same language-neutral core as JavaScript: a GraalPy session loads its
 * standard library through the session's file system, prints to the session's streams,
 * its coroutines are Braid futures stepped on the session's strand, and a cancelled one sees
 * {@code CancelledError} at its pending await with its {@code finally} run.
 */
final class PythonSmokeTest {
    /** Completed when Python code calls {@code forever()} (a fresh one per test). */
    private static volatile CompletableFuture<Void> waiting = new CompletableFuture<>();
    /** Completed when Python code calls {@code entered()} (a fresh one per test). */
    private static volatile CompletableFuture<Void> entered = new CompletableFuture<>();

    /** Completed when Python code calls {@code cleaned()}. */
    private static volatile CompletableFuture<Void> cleaned = new CompletableFuture<>();

    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("py-smoke").host(b -> b
            .hostFunction("pause", args -> Time.sleep(Duration.ofMillis(((Number) args.get(0)).longValue())).map(x -> "slept"))
            .hostFunction("thread", args -> Thread.currentThread().getName())
            .hostFunction("forever", args -> {
                waiting.complete(null);
                return Future.never();
            })
            .hostFunction("cleaned", args -> {
                cleaned.complete(null);
                return null;
            })
            .hostFunction("entered", args -> {
                entered.complete(null);
                return null;
            }));

    @Test
    void abortingAQueuedEvaluation_neitherRunsIt_norDisturbsTheRunningOne() throws Exception {
        entered = new CompletableFuture<>();
        try (GuestSession py = fx.host().newSession("python")) {
            JoinHandle<Object> first = py.eval("""
                    import braid
                    async def slow():
                        await pause(300)
                        return 'first'
                    entered()
                    braid.run(slow())
                    """, "first.py");
            entered.get(60, TimeUnit.SECONDS); // the main thread runs the first: the second waits behind it
            JoinHandle<Object> second = py.eval("ran_second = True", "second.py");
            second.abort();
            assertEquals("first", fx.rt().blockOn(first), "the running evaluation's braid.run was not cancelled");
            JoinError e = assertThrows(JoinError.class, () -> fx.rt().blockOn(second));
            assertTrue(e.isCancelled(), e.toString());
            assertEquals(false, py.evalSync("'ran_second' in globals()", "check.py"), "the aborted evaluation never ran");
        }
    }

    @Test
    void standardLibrary_print_andErrors() {
        try (GuestSession py = fx.host().newSession("python")) {
            assertEquals(List.of(1, 2, "3"), py.evalSync("import json, re, collections\njson.loads('[1, 2, \"3\"]')", "std.py"));
            assertEquals(Map.of("a", 1), py.evalSync("{'a': 1}", "dict.py"));
            assertNull(py.evalSync("x = 1", "statement.py"), "a statement has no value (GraalPy would give the module)");
            py.evalSync("import sys\nprint('to out', 42)\nprint('to err', file=sys.stderr)", "print.py");
            assertEquals("to out 42\n", fx.out());
            assertEquals("to err\n", fx.err());
            GuestError e = assertThrows(GuestError.class, () -> py.evalSync("def f():\n    raise ValueError('bad value')\nf()", "err.py"));
            assertEquals("ValueError", e.guestName());
            assertEquals("err.py", e.file());
            assertEquals(2, e.line());
            assertTrue(e.guestStack().contains("in f"), e.guestStack());
            java.io.StringWriter printed = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(printed));
            assertTrue(printed.toString().contains("\tat <python> f (err.py:2)"), printed.toString());
            GuestError chained = assertThrows(GuestError.class, () -> py.evalSync(
                    "try:\n    int('x')\nexcept ValueError as e:\n    raise KeyError('k') from e", "chain.py"));
            assertTrue(chained.guestStack().matches("(?s)Traceback \\(most recent call last\\):\n  File \"chain.py\", line 2, in <module>\n"
                    + "ValueError: invalid literal.*\n\nThe above exception was the direct cause of the following exception:\n\n"
                    + "Traceback \\(most recent call last\\):\n  File \"chain.py\", line 4, in <module>\nKeyError: 'k'\n"), chained.guestStack());
        }
    }

    @Test
    void aCoroutine_isAwaitedAsABraidFuture_onTheSessionsStrand() {
        try (GuestSession py = fx.host().newSession("python")) {
            Object v = py.evalSync("""
                    async def main():
                        where = thread()
                        woke = await pause(20)
                        return [woke, where, thread()]
                    main()""", "main.py");
            @SuppressWarnings("unchecked")
            List<Object> r = (List<Object>) v;
            assertEquals("slept", r.get(0));
            assertTrue(r.get(1).toString().startsWith("py-smoke"), "ran on a runtime worker: " + r.get(1));
            assertTrue(r.get(2).toString().startsWith("py-smoke"), "resumed on a runtime worker: " + r.get(2));
        }
    }

    /**
     * Starts a coroutine that waits at {@code forever()}; {@code seen} gets the exception it
     * sees there, then {@code 'finally'}, and its finally prints a line.
     */
    private static JoinHandle<Object> startWaiting(GuestSession py) {
        py.evalSync("seen = []", "setup.py");
        return py.eval("""
                async def waits():
                    try:
                        await forever()
                    except BaseException as e:
                        seen.append(type(e).__name__)
                        raise
                    finally:
                        print('finally ran')
                        seen.append('finally')
                waits()""", "cancel.py");
    }

    @Test
    void aCancelledCoroutine_seesCancelledError_andRunsItsFinally() throws Exception {
        waiting = new CompletableFuture<>();
        try (GuestSession py = fx.host().newSession("python")) {
            JoinHandle<Object> h = startWaiting(py);
            waiting.get(60, TimeUnit.SECONDS);
            h.abort();
            JoinError e = assertThrows(JoinError.class, () -> fx.rt().blockOn(h));
            assertTrue(e.isCancelled(), e.toString());
            assertEquals(List.of("CancelledError", "finally"), py.evalSync("seen", "check.py"));
            assertEquals("finally ran\n", fx.out());
        }
    }

    @Test
    void aCleanUpThatAwaits_finishesAsATaskOfTheSession() throws Exception {
        waiting = new CompletableFuture<>();
        cleaned = new CompletableFuture<>();
        try (GuestSession py = fx.host().newSession("python")) {
            py.evalSync("log = []", "setup.py");
            JoinHandle<Object> h = py.eval("""
                    async def waits():
                        try:
                            await forever()
                        finally:
                            log.append('cleaning')
                            log.append(await pause(10))
                            cleaned()
                    waits()""", "cleanup.py");
            waiting.get(60, TimeUnit.SECONDS);
            h.abort();
            assertTrue(assertThrows(JoinError.class, () -> fx.rt().blockOn(h)).isCancelled());
            cleaned.get(60, TimeUnit.SECONDS);
            assertEquals(List.of("cleaning", "slept"), py.evalSync("log", "check.py"));
            assertEquals("", fx.err(), "nothing to report");
        }
    }

    @Test
    void cancellingTheSession_raisesCancelledErrorAtThePendingAwait() throws Exception {
        waiting = new CompletableFuture<>();
        try (GuestSession py = fx.host().newSession("python")) {
            JoinHandle<Object> h = startWaiting(py);
            waiting.get(60, TimeUnit.SECONDS);
            py.evalSync("None", "after.py"); // the strand is serial: once this ran, the coroutine waits at its await
            py.cancel();
            JoinError failed = assertThrows(JoinError.class, () -> fx.rt().blockOn(h));
            GuestError e = assertInstanceOf(GuestError.class, failed.getCause(), failed.toString());
            assertEquals("Cancelled", e.guestName(), e.toString());
            assertEquals(List.of("CancelledError", "finally"), py.evalSync("seen", "check.py"), "and the session goes on");
        }
    }

    @Test
    void interactiveHooks_speakPython() {
        try (GuestSession py = fx.host().newSession("python")) {
            assertEquals("{'a': [1, 'two']}", fx.rt().blockOn(py.evalShown("{'a': [1, 'two']}", "<repl>")));
            for (String more : List.of("def f():", "x = (1,", "s = '''abc", "if x:\n    y = 1", "@decorator")) {
                assertTrue(fx.rt().blockOn(py.isIncomplete(more)), more);
            }
            for (String done : List.of("x = 1", "x = = 1", "if x:\n    y = 1\n", "foo(1)", "1 +")) {
                assertFalse(fx.rt().blockOn(py.isIncomplete(done)), done);
            }
            py.evalSync("config = {'port': 1}\ncounter = 0", "setup.py");
            assertTrue(fx.rt().blockOn(py.completions("coun", 4)).contains("counter"));
            List<String> members = fx.rt().blockOn(py.completions("config.ke", 9));
            assertTrue(members.contains("keys"), members.toString());
        }
    }
}
