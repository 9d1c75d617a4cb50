package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Cancelled guest code never resumes, even where it awaits a plain JS promise settled later
 * (the CancelledAwaits instrument): across contexts of one engine, and for a cancelled
 * session. The single-context cases are in {@code src/test/js/braid/cancel.js}.
 */
final class JsCancelTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-cancel");

    /** A gate to open from outside, and a function that waits for it with a finally. */
    static final String SETUP = """
            globalThis.progress = [];
            globalThis.gate = new Promise((r) => { globalThis.open = r; });
            globalThis.work = async () => {
              try {
                progress.push('before');
                const v = await gate;
                progress.push('after ' + v);
              } finally {
                progress.push('finally');
              }
            };
            globalThis.started = async () => { while (progress.length === 0) await braid.yieldNow(); };
            globalThis.settled = async () => {
              await braid.sleep(50);
              for (let i = 0; i < 20; i++) await braid.yieldNow();
              return progress;
            };
            """;

    @Test
    void aCancelledTask_stopsInItsContext_whileAnotherContextOfTheEngineRunsTheSameCodeToTheEnd() {
        try (GuestSession a = fx.host().newSession("js"); GuestSession b = fx.host().newSession("js")) {
            a.evalSync(SETUP, "setup.js");
            b.evalSync(SETUP, "setup.js");
            b.evalSync("globalThis.h = braid.spawn(work); undefined", "spawn.js");
            b.evalSync("started()", "started.js");
            assertEquals("w", a.evalSync("""
                    (async () => (await braid.select({ loser: braid.task(work), w: braid.sleep(1).then(() => 'w') })).value)()
                    """, "select.js"));
            a.evalSync("open(1)", "open.js");
            b.evalSync("open(2)", "open.js");
            assertEquals(List.of("before"), a.evalSync("settled()", "settled.js"));
            assertEquals(List.of("before", "after 2", "finally"), b.evalSync("(async () => { await h; return settled(); })()", "settled.js"));
        }
    }

    @Test
    void aCancelledSession_neverResumesTopLevelCodeThatAwaitsAPlainPromise() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync(SETUP, "setup.js");
            CompletableFuture<Object> waiting = js.evalAsync("await work();\n'done'", "waiting.js");
            js.evalSync("started()", "started.js");
            js.cancel();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
            assertEquals("Cancelled", assertInstanceOf(GuestError.class, Guest.hostError(e.getCause())).guestName());
            js.evalSync("open(1)", "open.js"); // the session stays usable
            assertEquals(List.of("before"), js.evalSync("settled()", "settled.js"));
            js.evalSync(SETUP, "again.js"); // and new code in it awaits plain promises as usual
            assertEquals(List.of("before", "after 3", "finally"), js.evalSync("""
                    (async () => { const w = work(); open(3); await w; return progress; })()
                    """, "again.js"));
        }
    }

    @Test
    void aCancelledSession_neverResumesAModuleWaitingAtTopLevel() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync(SETUP, "setup.js");
            CompletableFuture<Object> waiting = js.evalAsync("""
                    progress.push('module before');
                    try {
                      await gate;
                      progress.push('module after');
                    } finally {
                      progress.push('module finally');
                    }
                    export const done = true;
                    """, "waiting.mjs");
            js.evalSync("started()", "started.js");
            js.cancel();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
            assertEquals("Cancelled", assertInstanceOf(GuestError.class, Guest.hostError(e.getCause())).guestName());
            js.evalSync("open(1)", "open.js");
            assertEquals(List.of("module before"), js.evalSync("settled()", "settled.js"));
        }
    }
    /**
     * A session's first cancellation, from another thread, in an engine that never cancelled
     * anything before (its instrument not yet in use): a Ctrl-C on a job. This once hung in
     * one run of six, the cancelling task stuck in Truffle.
     */
    @Test
    void theFirstCancellationOfAFreshEngine_endsTheWaitingCode() throws Exception {
        for (int i = 0; i < 6; i++) {
            CompletableFuture<Object> ready = new CompletableFuture<>();
            try (ScriptHost host = ScriptHost.builder(fx.rt()).hostFunction("ready", a -> ready.complete(null)).build();
                 GuestSession js = host.newSession("js")) {
                CompletableFuture<Object> waiting = js.evalAsync("ready();\nfor (let i = 0; i < 1e5; i++) {}\nawait braid.sleep(60000);", "waits.js");
                ready.get(30, TimeUnit.SECONDS);
                js.cancel(); // most often while the loop runs: an interrupt, then the cancellation
                ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
                assertEquals("Cancelled", assertInstanceOf(GuestError.class, Guest.hostError(e.getCause())).guestName());
            }
        }
    }
}
