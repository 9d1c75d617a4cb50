package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AbortController, AbortSignal, EventTarget, and {signal} on the braid waits; paused clock. */
final class JsAbortTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-abort").pausedClock();

    static final String WAIT = "globalThis.wait = (ms) => new Promise((r) => setTimeout(r, ms));\n";

    @Test
    void abortController_abortsOnce_andTellsListenersInOrder() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    const ac = new AbortController();
                    const events = [];
                    const s = ac.signal;
                    s.addEventListener('abort', (e) => events.push('listener:' + e.type + ':' + (e.target === s) + ':' + (this === undefined)));
                    s.onabort = (e) => events.push('onabort:' + s.aborted);
                    s.addEventListener('abort', () => events.push('once'), { once: true });
                    const removed = () => events.push('removed');
                    s.addEventListener('abort', removed);
                    s.removeEventListener('abort', removed);
                    const before = s.aborted;
                    ac.abort('why');
                    ac.abort('again');
                    let thrown;
                    try { s.throwIfAborted(); } catch (e) { thrown = e; }
                    ({ before, aborted: s.aborted, reason: s.reason, thrown, events, tag: String(s) })""", "controller.js");
            assertEquals(Map.of("before", false, "aborted", true, "reason", "why", "thrown", "why",
                    "events", List.of("listener:abort:true:false", "onabort:true", "once"),
                    "tag", "[object AbortSignal]"), r);
        }
    }

    @Test
    void defaultReasons_areDomExceptions() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    const ac = new AbortController();
                    ac.abort();
                    const r = ac.signal.reason;
                    const pre = AbortSignal.abort();
                    const custom = AbortSignal.abort(42);
                    let illegal;
                    try { new AbortSignal(); } catch (e) { illegal = e.name; }
                    [r.name, r.message, r.code, r instanceof DOMException, r instanceof Error, DOMException.ABORT_ERR,
                     pre.aborted, pre.reason.name, custom.reason, illegal]""", "reasons.js");
            assertEquals(Arrays.asList("AbortError", "This operation was aborted", 20, true, true, 20,
                    true, "AbortError", 42, "TypeError"), r);
        }
    }

    @Test
    void abortSignalTimeout_abortsWithATimeoutError_afterItsDelay() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    (async () => {
                      const t0 = performance.now();
                      const s = AbortSignal.timeout(50);
                      const first = s.aborted;
                      await new Promise((resolve) => s.addEventListener('abort', resolve));
                      let bad;
                      try { AbortSignal.timeout(-1); } catch (e) { bad = e.name; }
                      return [first, s.reason.name, s.reason.code, Math.round(performance.now() - t0), bad];
                    })()""", "timeout-signal.js");
            assertEquals(List.of(false, "TimeoutError", 23, 50, "RangeError"), r);
        }
    }

    @Test
    void abortSignalAny_followsTheFirstToAbort() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    const a = new AbortController(), b = new AbortController();
                    const any = AbortSignal.any([a.signal, b.signal]);
                    const before = any.aborted;
                    b.abort('b wins');
                    a.abort('a too late');
                    [before, any.aborted, any.reason, AbortSignal.any([AbortSignal.abort('pre')]).reason]""", "any.js");
            assertEquals(List.of(false, true, "b wins", "pre"), r);
        }
    }

    @Test
    void sleep_withASignal_rejectsWithAnAbortError_whenAborted() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    (async () => {
                      const ac = new AbortController();
                      const t0 = performance.now();
                      setTimeout(() => ac.abort(), 10);
                      try {
                        await braid.sleep(60000, { signal: ac.signal });
                        return 'slept';
                      } catch (e) {
                        return [e.name, e instanceof DOMException, e.cause.name, Math.round(performance.now() - t0)];
                      }
                    })()""", "sleep-abort.js");
            assertEquals(List.of("AbortError", true, "AbortError", 10), r);
        }
    }

    @Test
    void alreadyAborted_rejectsAtOnce_andAnUnabortedSignalChangesNothing() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    (async () => {
                      const t0 = performance.now();
                      const out = [];
                      try { await braid.sleep(1000, { signal: AbortSignal.abort('nope') }); } catch (e) { out.push(e.name, e.cause); }
                      out.push(Math.round(performance.now() - t0));
                      const ac = new AbortController();
                      await braid.sleep(5, { signal: ac.signal });
                      ac.abort(); // after the sleep finished: nothing left to cancel
                      out.push(Math.round(performance.now() - t0));
                      out.push(await braid.timeout(100, braid.task(async () => 'done'), { signal: ac.signal }).catch((e) => e.name));
                      await braid.sleep(3, {});
                      await braid.sleep(3, { signal: undefined });
                      return out;
                    })()""", "pre-aborted.js");
            assertEquals(List.of("AbortError", "nope", 0, 5, "AbortError"), r);
        }
    }

    @Test
    void timeout_withASignal_abortsFirst_orTimesOutAsBefore() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    (async () => {
                      const ac = new AbortController();
                      setTimeout(() => ac.abort(new Error('stop')), 10);
                      const aborted = await braid.timeout(1000, braid.sleep(60000), { signal: ac.signal }).catch((e) => [e.name, e.cause.message]);
                      const timedOut = await braid.timeout(10, braid.sleep(60000), { signal: new AbortController().signal }).catch((e) => e.name);
                      return [aborted, timedOut];
                    })()""", "timeout-abort.js");
            assertEquals(List.of(List.of("AbortError", "stop"), "TimeoutError"), r);
        }
    }

    @Test
    void join_select_race_withASignal_dropTheirTasksWhenAborted() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync(WAIT + """
                    (async () => {
                      const finished = [];
                      const worker = (name) => braid.spawn(async () => { await braid.sleep(50); finished.push(name); });
                      const abortIn = (ms) => { const ac = new AbortController(); setTimeout(() => ac.abort(), ms); return ac.signal; };
                      const j = worker('join');
                      const names = [];
                      await braid.join([j, braid.sleep(100)], { signal: abortIn(10) }).catch((e) => names.push(e.name));
                      const s = worker('select');
                      await braid.select({ s, t: braid.sleep(100) }, { signal: abortIn(10) }).catch((e) => names.push(e.name));
                      const r1 = worker('race');
                      await braid.race(r1, braid.sleep(100), { signal: abortIn(10) }).catch((e) => names.push(e.name));
                      const t = worker('tryJoin');
                      await braid.tryJoin([t], { signal: abortIn(10) }).catch((e) => names.push(e.name));
                      const kept = worker('kept');
                      const ok = await braid.join(kept, 7, { signal: abortIn(1000) });
                      await wait(200);
                      return [names, finished, [j, s, r1, t].every((h) => h.isFinished()), ok];
                    })()""", "combinators.js");
            assertEquals(List.of(List.of("AbortError", "AbortError", "AbortError", "AbortError"), List.of("kept"), true,
                    Arrays.asList(null, 7)), r);
        }
    }

    @Test
    void badSignalOptions_areTypeErrorsAtTheCallSite() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("\n\nbraid.sleep(10, { signal: 42 })", "bad.js"));
            assertEquals("TypeError", e.guestName());
            assertTrue(e.getMessage().contains("braid.sleep: options.signal must be an AbortSignal, got a number"), e.getMessage());
            assertEquals("bad.js", e.file());
            assertEquals(3, e.line());
            GuestError o = assertThrows(GuestError.class, () -> js.evalSync("braid.timeout(10, braid.sleep(1), 'fast')", "bad2.js"));
            assertTrue(o.getMessage().contains("braid.timeout: the options must be an object such as {signal}, got a string"), o.getMessage());
        }
    }

    @Test
    void eventTarget_dispatchesToItsListeners_andReportsListenerErrors() {
        try (GuestSession js = fx.host().newSession("js")) {
            Object r = js.evalSync("""
                    const t = new EventTarget();
                    const seen = [];
                    t.addEventListener('ping', () => { throw new Error('listener broke'); });
                    t.addEventListener('ping', { handleEvent: (e) => seen.push('object:' + e.type) });
                    const ac = new AbortController();
                    t.addEventListener('ping', () => seen.push('until-abort'), { signal: ac.signal });
                    const e = new Event('ping', { cancelable: true });
                    t.addEventListener('ping', (ev) => ev.preventDefault());
                    const first = t.dispatchEvent(e);
                    ac.abort();
                    t.dispatchEvent(new Event('ping'));
                    [first, e.defaultPrevented, seen]""", "events.js");
            assertEquals(List.of(false, true, List.of("object:ping", "until-abort", "object:ping")), r);
            String e = fx.err();
            assertTrue(e.contains("uncaught error in a \"ping\" event listener: Error: listener broke"), e);
            assertTrue(e.contains("events.js:3:"), e);
        }
    }
}
