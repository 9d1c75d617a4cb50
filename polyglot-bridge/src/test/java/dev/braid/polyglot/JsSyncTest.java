package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code braid.Semaphore}, {@code Mutex}, {@code JoinSet} and {@code spawnBlocking} in
 * JavaScript, on a runtime with a paused clock (sleeps order events exactly, in no real time).
 */
final class JsSyncTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-sync").pausedClock()
            .host(b -> b
                    .hostFunction("threadName", args -> Thread.currentThread().getName())
                    .hostFunction("describe", args -> Map.of("args", args, "thread", Thread.currentThread().getName()))
                    .hostFunction("fail", args -> {
                        throw new IllegalStateException("disk on fire");
                    }));

    /** {signal} on the waits of channels and locks: an abort rejects with AbortError and loses nothing. */
    @Test
    void signal_abortsChannelAndLockWaits_withoutLosingAValue() {
        assertEquals(List.of("AbortError", "AbortError", "AbortError", "AbortError", "late", 1, "TypeError"), fx.run("""
                const out = [];
                const ch = braid.channel(1);
                const c1 = new AbortController();
                const r = ch.recv({signal: c1.signal});
                braid.spawn(async () => { await braid.sleep(5); c1.abort(); });
                try { await r; } catch (e) { out.push(e.name); }
                const sem = new braid.Semaphore(0);
                try { await sem.acquire(1, {signal: AbortSignal.timeout(5)}); } catch (e) { out.push(e.name); }
                const m = new braid.Mutex();
                const g = await m.lock();
                try { await m.lock({signal: AbortSignal.timeout(5)}); } catch (e) { out.push(e.name); }
                g.unlock();
                await ch.send('first');
                try { await ch.send('blocked', {signal: AbortSignal.timeout(5)}); } catch (e) { out.push(e.name); }
                await ch.recv();
                await ch.send('late');
                out.push(await ch.recv());
                out.push(sem.available + 1);
                try { ch.recv({signal: 'nope'}); } catch (e) { out.push(e.name); }
                return out;
                """, "signals.js"));
    }

    @Test
    void semaphore_limitsHowManyRunAtOnce() {
        assertEquals(List.of(2, 8, 2, 0), fx.run("""
                const sem = new braid.Semaphore(2);
                let active = 0, max = 0, done = 0;
                const work = async () => {
                  active++; max = Math.max(max, active);
                  await braid.sleep(10);
                  active--; done++;
                };
                await braid.join([...Array(8)].map(() => braid.spawn(() => sem.withPermit(work))));
                return [max, done, sem.available, active];
                """, "limit.js"));
    }

    @Test
    void semaphore_servesWaitersInArrivalOrder_andABigRequestIsNotOvertaken() {
        assertEquals(List.of(List.of(0, 1, 2, 3, 4), List.of(0, false), List.of("big", "small"), 2), fx.run("""
                const sem = new braid.Semaphore(1);
                const held = await sem.acquire();
                const order = [];
                const waiters = [];
                for (let i = 0; i < 5; i++) {
                  waiters.push(braid.spawn(async () => { const p = await sem.acquire(); order.push(i); p.release(); }));
                }
                await braid.sleep(5);
                held.release();
                await braid.join(waiters);

                const two = new braid.Semaphore(2);
                const p1 = await two.acquire(), p2 = await two.acquire();
                const got = [];
                const big = braid.spawn(async () => { const p = await two.acquire(2); got.push('big'); await braid.sleep(5); p.release(); });
                await braid.sleep(1);
                const small = braid.spawn(async () => { const p = await two.acquire(); got.push('small'); p.release(); });
                await braid.sleep(1);
                p1.release(); // the big request at the head still needs another: the small one may not pass it
                await braid.sleep(1);
                const partial = [two.available, small.isFinished()];
                p2.release();
                await braid.join(big, small);
                return [order, partial, got, two.available];
                """, "fair.js"));
    }

    @Test
    void withPermit_releasesWhenTheFunctionRejects_orIsCancelled() {
        assertEquals(List.of("boom", 1, "tick", 1, 41), fx.run("""
                const sem = new braid.Semaphore(1);
                let error;
                try { await sem.withPermit(async () => { await braid.yieldNow(); throw new Error('boom'); }); }
                catch (e) { error = e.message; }
                const afterReject = sem.available;
                let resumed = false;
                const r = await braid.select({
                  slow: sem.withPermit(async () => { await braid.sleep(1000); resumed = true; }),
                  tick: braid.sleep(10),
                });
                const afterCancel = sem.available;
                await braid.sleep(2000);
                if (resumed) throw new Error('the cancelled function resumed');
                return [error, afterReject, r.key, afterCancel, await sem.withPermit((x) => x + 1, 40)];
                """, "withpermit.js"));
    }

    @Test
    void mutex_excludesSpawnedTasks() {
        assertEquals(List.of(50, 1, 50, false, "Error"), fx.run("""
                const m = new braid.Mutex();
                let counter = 0, inside = 0, maxInside = 0;
                const bump = async () => {
                  for (let i = 0; i < 5; i++) {
                    const g = await m.lock();
                    inside++; maxInside = Math.max(maxInside, inside);
                    const v = counter;
                    await braid.yieldNow();   // without the lock, other tasks would interleave here
                    counter = v + 1;
                    inside--;
                    g.unlock();
                  }
                };
                await braid.join([...Array(10)].map(() => braid.spawn(bump)));

                const boxed = new braid.Mutex(0);
                let kept;
                await braid.join([...Array(10)].map(() => braid.spawn(async () => {
                  for (let i = 0; i < 5; i++) {
                    await boxed.withLock(async (g) => { const v = g.value; await braid.yieldNow(); g.value = v + 1; kept = g; });
                  }
                })));
                const g = await boxed.lock();
                const total = g.value;
                g.unlock();
                let stale;
                try { kept.value; } catch (e) { stale = e.name; }
                return [counter, maxInside, total, boxed.locked, stale];
                """, "mutex.js"));
    }

    @Test
    void joinSet_joinsInFinishingOrder_andPassesErrorsOn() {
        assertEquals(List.of(3, List.of("b", "c", "a"), true, 0, List.of("TypeError", "bad c")), fx.run("""
                const set = new braid.JoinSet();
                const wait = async (ms, v) => { await braid.sleep(ms); return v; };
                set.spawn(wait, 30, 'a'); set.spawn(wait, 10, 'b'); set.spawn(wait, 20, 'c');
                const size = set.size;
                const order = [];
                while (set.size > 0) order.push(await set.joinNext());
                const empty = (await set.joinNext()) === undefined;

                const failing = new braid.JoinSet();
                failing.spawn(async () => { await braid.sleep(5); throw new TypeError('bad c'); });
                let error;
                try { await failing.joinNext(); } catch (e) { error = [e.name, e.message]; }
                return [size, order, empty, set.size, error];
                """, "joinset.js"));
    }

    @Test
    void joinSet_abortAll_cancelsEveryTask() {
        assertEquals(List.of(List.of("AbortError", "AbortError", "AbortError"), 0, 0, true), fx.run("""
                const set = new braid.JoinSet();
                let ran = 0;
                for (let i = 0; i < 3; i++) set.spawn(async () => { await braid.sleep(1000); ran++; });
                await braid.yieldNow();
                set.abortAll();
                const outcomes = [];
                while (set.size > 0) {
                  try { await set.joinNext(); outcomes.push('value'); } catch (e) { outcomes.push(e.name); }
                }
                const other = new braid.JoinSet();
                const h = other.spawn(async () => { await braid.sleep(1000); ran++; });
                await other.shutdown();
                await braid.sleep(2000);
                return [outcomes, ran, other.size, h.isFinished()];
                """, "abortall.js"));
    }

    @Test
    void spawnBlocking_runsAHostFunctionOnTheBlockingPool() {
        Object r = fx.run("""
                const name = await braid.spawnBlocking(threadName);
                const d = await braid.spawnBlocking(describe, 1, 'two', [3], {four: 4});
                let failed;
                try { await braid.spawnBlocking(fail); } catch (e) { failed = [e.name, e.message]; }
                return [name, d.args, d.thread, failed];
                """, "blocking.js");
        List<?> l = (List<?>) r;
        assertTrue(((String) l.get(0)).contains("-blocking-"), String.valueOf(l.get(0)));
        assertEquals(List.of(1, "two", List.of(3), Map.of("four", 4)), l.get(1));
        assertTrue(((String) l.get(2)).contains("-blocking-"), String.valueOf(l.get(2)));
        assertEquals(List.of("IllegalStateException", "disk on fire"), l.get(3));
    }

    @Test
    void spawnBlocking_refusesGuestFunctions() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError plain = assertThrows(GuestError.class, () -> js.evalSync(
                    "\nbraid.spawnBlocking(() => 42)", "plain.js"));
            assertEquals("TypeError", plain.guestName());
            assertTrue(plain.getMessage().contains("fn is a JavaScript function"), plain.getMessage());
            assertTrue(plain.getMessage().contains("describe, fail, threadName"), plain.getMessage());
            assertEquals("plain.js", plain.file());
            assertEquals(2, plain.line());
            GuestError arg = assertThrows(GuestError.class, () -> js.evalSync(
                    "braid.spawnBlocking(describe, 1, {cb: () => 1})", "arg.js"));
            assertTrue(arg.getMessage().contains("argument 2 holds a function"), arg.getMessage());
            GuestError notFn = assertThrows(GuestError.class, () -> js.evalSync("braid.spawnBlocking('threadName')", "str.js"));
            assertTrue(notFn.getMessage().contains("expected a host function"), notFn.getMessage());
        }
    }

    @Test
    void constructors_checkTheirArguments() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(List.of("[object Semaphore]", 3, true, false), js.evalSync("""
                    const s = new braid.Semaphore(3);
                    [String(s), s.available, s instanceof braid.Semaphore, new braid.Mutex().locked]""", "ok.js"));
            GuestError noNew = assertThrows(GuestError.class, () -> js.evalSync("braid.Semaphore(1)", "nonew.js"));
            assertEquals("TypeError", noNew.guestName());
            GuestError negative = assertThrows(GuestError.class, () -> js.evalSync("new braid.Semaphore(-1)", "neg.js"));
            assertEquals("RangeError", negative.guestName());
            assertEquals("neg.js", negative.file());
            GuestError notFn = assertThrows(GuestError.class, () -> js.evalSync("new braid.Mutex().withLock(42)", "fn.js"));
            assertEquals("TypeError", notFn.guestName());
            assertTrue(notFn.getMessage().contains("mutex.withLock(fn): expected a function, got 42"), notFn.getMessage());
        }
    }
}
