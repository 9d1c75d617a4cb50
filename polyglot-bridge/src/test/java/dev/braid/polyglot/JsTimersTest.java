package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * setTimeout, setInterval, setImmediate, queueMicrotask, performance and unhandled rejections
 * in a JavaScript session. The runtime's clock is paused (it jumps to the next deadline when
 * idle), so timings are exact and the tests take no real time; the two tests that act from
 * the test thread between evaluations run on the real clock instead.
 */
final class JsTimersTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-timers").pausedClock();

    /** A promise that settles after {@code ms} through setTimeout: {@code wait(ms)}. */
    static final String WAIT = "globalThis.wait = (ms) => new Promise((r) => setTimeout(r, ms));\n";

    @Test
    void timeouts_fireInDeadlineOrder_equalDeadlinesInCreationOrder_withTheirArguments() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const order = [];
                      const t0 = performance.now();
                      setTimeout(() => order.push('c30'), 30);
                      setTimeout(() => order.push('a10'), 10);
                      setTimeout(() => order.push('b10'), 10);
                      setTimeout((x, y) => order.push(x + y), 20, 'd', 20);
                      setTimeout(() => order.push('e0'), 0);
                      setTimeout(() => order.push('f-neg'), -5);
                      setTimeout(() => order.push('g-nan'), 'soon');
                      await wait(50);
                      return { order, elapsed: Math.round(performance.now() - t0) };
                    })()""", "order.js");
            assertEquals(Map.of("order", List.of("e0", "f-neg", "g-nan", "a10", "b10", "d20", "c30"), "elapsed", 50), r);
        }
    }

    @Test
    void clearTimeout_cancels_andUnknownIdsAreIgnored() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const order = [];
                      const a = setTimeout(() => order.push('a'), 10);
                      const b = setTimeout(() => { order.push('b'); clearTimeout(c); }, 20);
                      const c = setTimeout(() => order.push('c'), 20); // same pass as b, cleared by b
                      const d = setTimeout(() => order.push('d'), 30);
                      clearTimeout(a);
                      clearInterval(d); // timeouts and intervals share their ids, as in browsers
                      for (const junk of [undefined, null, 0, -1, 1.5, 99999, 2 ** 40, 'x', {}, NaN]) clearTimeout(junk);
                      clearImmediate(b); // not an immediate: no effect
                      await wait(40);
                      return { order, ids: [a, b, c, d].every((id) => Number.isInteger(id) && id > 0) && new Set([a, b, c, d]).size === 4 };
                    })()""", "clear.js");
            assertEquals(Map.of("order", List.of("b"), "ids", true), r);
        }
    }

    @Test
    void setInterval_repeatsEveryPeriod_untilCleared() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const ticks = [];
                      const t0 = performance.now();
                      const id = setInterval((tag) => {
                        ticks.push(tag + Math.round(performance.now() - t0));
                        if (ticks.length === 4) clearInterval(id);
                      }, 10, 't');
                      await wait(100);
                      return ticks;
                    })()""", "interval.js");
            assertEquals(List.of("t10", "t20", "t30", "t40"), r);
        }
    }

    @Test
    void microtasks_timeouts_andImmediates_runInNodeOrder() {
        // The order Node 20 prints for the same script.
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const order = [];
                      setTimeout(() => {
                        order.push('timeout1');
                        Promise.resolve().then(() => order.push('timeout1-micro'));
                        setTimeout(() => order.push('nested-timeout'), 0);
                        setImmediate(() => order.push('nested-immediate'));
                      }, 0);
                      setTimeout(() => order.push('timeout2'), 0);
                      Promise.resolve().then(() => order.push('promise'));
                      queueMicrotask(() => order.push('microtask'));
                      (async () => { order.push('async-sync'); await null; order.push('async-after-await'); })();
                      order.push('sync');
                      await wait(50);
                      return order;
                    })()""", "node-order.js");
            assertEquals(List.of("async-sync", "sync", "promise", "microtask", "async-after-await", "timeout1",
                    "timeout1-micro", "timeout2", "nested-immediate", "nested-timeout"), r);
        }
    }

    @Test
    void setImmediate_runsOnTheNextTurn_withArguments_andCanBeCleared() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const order = [];
                      setImmediate((a, b) => order.push(a + b), 'i', 1);
                      const gone = setImmediate(() => order.push('cleared'));
                      setImmediate(() => { order.push('i2'); setImmediate(() => order.push('i3')); });
                      clearImmediate(gone);
                      Promise.resolve().then(() => order.push('micro'));
                      order.push('sync');
                      await wait(1);
                      return order;
                    })()""", "immediate.js");
            assertEquals(List.of("sync", "micro", "i1", "i2", "i3"), r);
        }
    }

    @Test
    void queueMicrotask_keepsPromiseJobOrder_andReportsItsErrors() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const order = [];
                      queueMicrotask(() => order.push(1));
                      Promise.resolve().then(() => order.push(2));
                      queueMicrotask(() => { order.push(3); throw new RangeError('micro boom'); });
                      queueMicrotask(() => order.push(4));
                      order.push(0);
                      await null;
                      let typeError;
                      try { queueMicrotask('nope'); } catch (e) { typeError = e.name; }
                      await wait(1);
                      return [order, typeError];
                    })()""", "micro.js");
            assertEquals(List.of(List.of(0, 1, 2, 3, 4), "TypeError"), r);
            assertTrue(fx.err().contains("uncaught error in a queueMicrotask callback: RangeError: micro boom"), fx.err());
        }
    }

    @Test
    void aThrowingCallback_isReportedWithItsStack_andTheSessionKeepsRunning() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      let after = 0;
                      function explode() { null.boom; }
                      setTimeout(explode, 5);
                      const id = setInterval(() => { after++; if (after === 2) { clearInterval(id); throw new Error('tick ' + after); } }, 10);
                      setImmediate(() => { throw 'a string'; });
                      await wait(40);
                      return after;
                    })()""", "boom.js");
            assertEquals(2, r);
            String e = fx.err();
            assertTrue(e.contains("[braid " + js.guest().name() + "] uncaught error in a setTimeout callback: TypeError:"), e);
            assertTrue(e.contains("at explode (boom.js:4:"), e);
            assertTrue(e.contains("uncaught error in a setInterval callback: Error: tick 2"), e);
            assertTrue(e.contains("uncaught error in a setImmediate callback: \"a string\" (not an Error: no stack)"), e);
        }
    }

    @Test
    void badArguments_areTypeErrorsAtTheCallSite() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("\nsetTimeout('alert(1)', 10)", "bad.js"));
            assertEquals("TypeError", e.guestName());
            assertTrue(e.getMessage().contains("setTimeout: the callback must be a function, got a string"), e.getMessage());
            assertTrue(e.getMessage().contains("does not evaluate strings"), e.getMessage());
            assertEquals("bad.js", e.file());
            assertEquals(2, e.line());
            GuestError i = assertThrows(GuestError.class, () -> js.evalSync("setInterval(null, 10)", "bad2.js"));
            assertTrue(i.getMessage().contains("setInterval: the callback must be a function, got null"), i.getMessage());
        }
    }

    @Test
    void performanceNow_isMonotonic_andFollowsTheRuntimeClock() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    (async () => {
                      let prev = performance.now(), monotonic = prev >= 0;
                      for (let i = 0; i < 1000; i++) { const t = performance.now(); monotonic &&= t >= prev; prev = t; }
                      const t0 = performance.now();
                      await braid.sleep(250);
                      return { monotonic, slept: performance.now() - t0, origin: performance.timeOrigin,
                               type: typeof performance.now(), tag: String(performance) };
                    })()""", "perf.js");
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) r;
            assertEquals(true, m.get("monotonic"));
            double slept = ((Number) m.get("slept")).doubleValue();
            assertTrue(slept >= 250 && slept < 251, "slept " + slept);
            double origin = ((Number) m.get("origin")).doubleValue();
            assertTrue(Math.abs(origin - System.currentTimeMillis()) < 600_000, "timeOrigin " + origin);
            assertEquals("number", m.get("type"));
            assertEquals("[object Performance]", m.get("tag"));
        }
    }

    @Test
    void performanceNow_hasSubMillisecondPrecision_onTheSystemClock() {
        try (BraidRuntime real = BraidRuntime.builder().workerThreads(1).stallThreshold(Duration.ofSeconds(5)).build();
             ScriptHost h = ScriptHost.builder(real).build();
             GuestSession js = h.newSession("js")) {
            Object step = js.evalSync("""
                    let smallest = Infinity;
                    for (let i = 0; i < 200; i++) {
                      const a = performance.now();
                      let b = a;
                      while (b === a) b = performance.now();
                      smallest = Math.min(smallest, b - a);
                    }
                    smallest""", "precision.js");
            double d = ((Number) step).doubleValue();
            assertTrue(d > 0 && d < 1, "smallest step " + d);
        }
    }

    // The next two act from the test thread between evaluations. On the paused clock the
    // runtime, idle between them, would run on to the next deadlines in whatever real time the
    // test thread takes to get there (see Clock.paused), so they use the real clock, with
    // margins of hundreds of milliseconds.

    @Test
    void cancel_stopsPendingTimers_andTimersWorkAgainAfterwards() {
        try (BraidRuntime real = BraidRuntime.builder().workerThreads(2).build();
             ScriptHost h = ScriptHost.builder(real).build();
             GuestSession js = h.newSession("js")) {
            js.evalSync(WAIT + """
                    globalThis.fired = 0;
                    setInterval(() => fired++, 10);
                    setTimeout(() => { fired += 1000; }, 500);
                    wait(35)""", "cancel.js");
            js.cancel();
            Object before = js.evalSync("fired", "read.js");
            assertTrue(((Number) before).intValue() >= 3 && ((Number) before).intValue() < 1000, "fired " + before);
            Object after = js.evalSync("(async () => { await wait(600); return fired; })()", "later.js");
            assertEquals(before, after);
        }
    }

    @Test
    void close_dropsPendingTimers() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (BraidRuntime real = BraidRuntime.builder().workerThreads(2).build();
             ScriptHost h = ScriptHost.builder(real).err(new PrintStream(err, true, StandardCharsets.UTF_8)).build()) {
            GuestSession js = h.newSession("js");
            js.evalSync("setTimeout(() => { throw new Error('fired after close'); }, 300); setInterval(() => {}, 5)", "close.js");
            js.close();
            real.blockOn(dev.braid.time.Time.sleep(Duration.ofMillis(600)));
            String reported = err.toString(StandardCharsets.UTF_8);
            assertFalse(reported.contains("fired after close"), reported);
        }
    }

    @Test
    void unhandledRejections_areReportedOnce_butNotHandledOrObservedOnes() {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync(WAIT + """
                    (async () => {
                      Promise.reject(new Error('lost one'));
                      (async function failing() { throw new TypeError('async lost'); })();
                      const late = Promise.reject(new Error('handled in a later microtask'));
                      Promise.resolve().then(() => late.catch(() => {}));
                      braid.spawn(async () => { throw new Error('task failure observed by braid'); });
                      try { await braid.join(Promise.reject(new Error('given to join')), 2); } catch (e) { /* handled */ }
                      await braid.select({ a: Promise.reject(new Error('given to select')), b: braid.sleep(5) }).catch(() => {});
                      setTimeout(async () => { throw new Error('async timer'); }, 1);
                      await wait(10);
                    })()""", "rejections.js");
            String e = fx.err();
            assertEquals(1, count(e, "unhandled promise rejection: Error: lost one"), e);
            assertTrue(e.contains("at rejections.js:3:"), e);
            assertEquals(1, count(e, "unhandled promise rejection: TypeError: async lost"), e);
            assertTrue(e.contains("at failing (rejections.js:4:"), e);
            assertEquals(1, count(e, "unhandled promise rejection: Error: async timer"), e);
            assertFalse(e.contains("handled in a later microtask"), e);
            assertFalse(e.contains("observed by braid"), e);
            assertFalse(e.contains("given to join"), e);
            assertFalse(e.contains("given to select"), e);
            assertEquals(3, count(e, "unhandled promise rejection"), e);
            // A rejection the evaluation returns is its result, not an unhandled one.
            fx.resetOutput();
            assertThrows(GuestError.class, () -> js.evalSync("Promise.reject(new Error('returned'))", "returned.js"));
            js.evalSync(WAIT + "wait(5)", "settle.js");
            assertEquals("", fx.err());
            assertEquals("undefined", js.evalSync("typeof Graal", "graal.js"));
        }
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
