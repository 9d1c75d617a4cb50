package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java host API over a JavaScript session: evaluation, the braid API core, errors. */
final class JsBridgeTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-bridge");

    @Test
    void plainAndAsyncValues_crossAsJavaData() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(42, js.evalSync("6 * 7", "a.js"));
            assertEquals("slept", js.evalSync("(async () => { await braid.sleep(10); return 'slept'; })()", "b.js"));
            assertEquals(List.of(1, "two", Map.of("three", 3)), js.evalSync("[1, 'two', {three: 3}]", "c.js"));
        }
    }

    @Test
    void topLevelAwait_inAClassicScript_settlesToTheLastExpression() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(42, js.evalSync("const base = 6;\nawait braid.sleep(5);\nbase * 7", "tla.js"));
            assertEquals(43, js.evalSync("base * 7 + 1", "later.js"), "declarations stay global");
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync("await braid.sleep(1);\nlet = ;", "bad.js"));
            assertEquals("SyntaxError", e.guestName());
        }
    }

    @Test
    void spawn_runsTheFunctionAsATask_andTheHandleIsAwaitable() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(42, js.evalSync("""
                    (async () => {
                      const h = braid.spawn(async (x) => { await braid.yieldNow(); return x * 2; }, 21);
                      if (typeof h.id !== 'number' || typeof h.abort !== 'function') throw new Error('bad handle');
                      return await h;
                    })()""", "spawn.js"));
        }
    }

    @Test
    void join_select_timeout() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(List.of(1, 2, 3, 4), js.evalSync(
                    "(async () => await braid.join(braid.sleep(5).then(() => 1), 2, Promise.resolve(3), braid.task(async () => 4)))()", "join.js"));
            assertEquals(Map.of("key", "fast", "value", "f"), js.evalSync(
                    "(async () => await braid.select({slow: braid.sleep(60000), fast: braid.task(async () => 'f')}))()", "select.js"));
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(
                    "(async () => { await braid.timeout(10, braid.sleep(60000)); })()", "timeout.js"));
            assertEquals("TimeoutError", e.guestName());
        }
    }

    @Test
    void errors_keepTheGuestMessageAndPosition() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(
                    "\nfunction bad() { null.x; }\n(async () => { await braid.spawn(async () => bad()); })()", "g.js"));
            assertEquals("TypeError", e.guestName());
            assertEquals("g.js", e.file());
            assertEquals(2, e.line());
            assertTrue(e.guestStack().contains("bad"), e.guestStack());
            GuestError syntax = assertThrows(GuestError.class, () -> js.evalSync("let x = ;", "h.js"));
            assertEquals("SyntaxError", syntax.guestName());
            assertTrue(syntax.getMessage().contains("h.js:1:8"), syntax.getMessage());
        }
    }

    @Test
    void cancel_stopsPendingAwaits_andTheSessionStaysUsable() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("0", "ready.js"); // the session is set up
            var pending = js.eval("(async () => { await braid.sleep(60000); return 'never'; })()", "long.js");
            js.cancel();
            // The cancelled wait never settles; a later evaluation awaits normally.
            assertEquals("after", js.evalSync("(async () => { await braid.sleep(1); return 'after'; })()", "after.js"));
            assertTrue(!pending.isFinished() || pending.toCompletableFuture().isCompletedExceptionally());
            pending.abort();
        }
    }

    @Test
    void taskDump_showsOnlyTheSessionsOwnTasks() {
        try (GuestSession a = fx.host().newSession("js"); GuestSession b = fx.host().newSession("js")) {
            a.evalSync("braid.spawn(async function tenantSecretJob() { await braid.sleep(60000); }); 0", "a.js");
            Object mine = a.evalSync("(async () => { await braid.yieldNow(); return braid.taskDump().map((t) => t.name); })()", "a2.js");
            Object theirs = b.evalSync("braid.taskDump().map((t) => t.name)", "b.js");
            assertTrue(((List<?>) mine).contains("tenantSecretJob"), String.valueOf(mine));
            assertTrue(!((List<?>) theirs).contains("tenantSecretJob"), String.valueOf(theirs));
        }
    }

    @Test
    void console_formatsLikeNode() {
        try (GuestSession js = fx.host().newSession("js")) {
            fx.resetOutput();
            js.evalSync("console.log('hello %s, %d items', 'world', 3, {a: 1})", "log.js");
            assertEquals("hello world, 3 items { a: 1 }\n", fx.out());
        }
    }
}
