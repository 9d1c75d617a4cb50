package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code braid.channel}, {@code oneshot}, {@code broadcast}, {@code watch} and
 * {@code interval} in JavaScript. The runtime's clock is paused (it jumps to the next timer
 * when every task waits), so sleeps order events exactly and take no real time.
 */
final class JsChannelsTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-channels").pausedClock();

    @Test
    void channel_forAwait_endsWhenTheProducerCloses() {
        assertEquals(List.of(List.of(1, 2, 3, 4, 5), true, true, true), fx.run("""
                const ch = braid.channel(2);
                braid.spawn(async () => {
                  for (let i = 1; i <= 5; i++) await ch.send(i);
                  ch.close();
                });
                const got = [];
                for await (const v of ch) got.push(v);
                return [got, (await ch.recv()) === undefined, ch.closed, ch.length === 0];
                """, "forawait.js"));
    }

    @Test
    void boundedSend_waitsForRoom() {
        assertEquals(List.of(2, 0, 3, List.of(1, 2, 3, 4)), fx.run("""
                const ch = braid.channel(2);
                let sent = 0;
                const producer = braid.spawn(async () => {
                  for (let i = 0; i < 5; i++) { await ch.send(i); sent++; }
                  ch.close();
                });
                await braid.sleep(10);
                const before = sent;          // two fit, the third waits for room
                const first = await ch.recv();
                await braid.sleep(10);
                const after = sent;           // one slot freed: one more send went through
                const rest = [];
                for await (const v of ch) rest.push(v);
                await producer;
                return [before, first, after, rest];
                """, "bounded.js"));
    }

    @Test
    void selectBetweenRecvAndSleep_losesNoMessage() {
        Object r = fx.run("""
                const ch = braid.channel();
                braid.spawn(async () => {
                  for (let i = 0; i < 20; i++) { await braid.sleep(i % 3 === 0 ? 7 : 3); await ch.send(i); }
                  ch.close();
                });
                const got = [];
                let sleepsWon = 0;
                for (;;) {
                  const r = await braid.select({ msg: ch.recv(), tick: braid.sleep(5) });
                  if (r.key === 'tick') { sleepsWon++; continue; }
                  if (r.value === undefined) break;
                  got.push(r.value);
                }
                // a receive that loses to a timeout takes nothing either
                const late = braid.channel();
                let timedOut = false;
                try { await braid.timeout(5, late.recv()); } catch (e) { timedOut = e.name === 'TimeoutError'; }
                late.send('kept');
                return [got, sleepsWon > 0, timedOut, await late.recv()];
                """, "select.js");
        List<?> l = (List<?>) r;
        List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, l.get(0));
        assertEquals(List.of(true, true, "kept"), l.subList(1, 4));
    }

    @Test
    void sharedChannel_everyValueReachesExactlyOneConsumer() {
        assertEquals(List.of(List.of(List.of("a", 1), List.of("b", 2)), 60, 60, 3), fx.run("""
                // two tasks wait on one channel at once: each gets its own value
                const one = braid.channel();
                const a = braid.spawn(async () => ['a', await one.recv()]);
                const b = braid.spawn(async () => ['b', await one.recv()]);
                await braid.sleep(5);
                await one.send(1);
                await braid.sleep(5);
                await one.send(2);
                const pair = await braid.timeout(1000, braid.join(a, b));

                const ch = braid.channel(4);
                const seen = new Set();
                let count = 0;
                const workers = [0, 1, 2].map((w) => braid.spawn(async () => {
                  let mine = 0;
                  for await (const v of ch) { seen.add(v); count++; mine++; await braid.yieldNow(); }
                  return mine;
                }));
                for (let i = 0; i < 60; i++) await ch.send(i);
                ch.close();
                const mine = await braid.timeout(1000, braid.join(workers));
                return [pair, count, seen.size, mine.filter((m) => m > 0).length];
                """, "workers.js"));
    }

    @Test
    void unboundedChannel_sendsAtOnce_evenWithoutAwait() {
        assertEquals(List.of("a", "b", "c"), fx.run("""
                const ch = braid.channel();
                ch.send('a'); ch.send('b'); ch.send('c'); ch.close();
                const got = [];
                for await (const v of ch) got.push(v);
                return got;
                """, "unbounded.js"));
    }

    @Test
    void closedChannel_rejectsSends_withClosedError() {
        assertEquals(List.of("ClosedError", true, "channel.send(value): the channel is closed", "queued"), fx.run("""
                const ch = braid.channel(1);
                await ch.send('queued');
                const waiting = braid.spawn(async () => { try { await ch.send('no room'); } catch (e) { return e; } });
                await braid.sleep(5);
                ch.close();
                const e = await waiting;
                return [e.name, e instanceof braid.ClosedError, e.message, await ch.recv()];
                """, "closed.js"));
    }

    @Test
    void badArguments_throwAtTheCallersLine() {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError undef = assertThrows(GuestError.class, () -> js.evalSync(
                    "const ch = braid.channel();\n\nch.send(undefined);", "undef.js"));
            assertEquals("TypeError", undef.guestName());
            assertTrue(undef.getMessage().contains("undefined cannot be sent"), undef.getMessage());
            assertEquals("undef.js", undef.file());
            assertEquals(3, undef.line());
            GuestError zero = assertThrows(GuestError.class, () -> js.evalSync("braid.channel(0)", "zero.js"));
            assertEquals("RangeError", zero.guestName());
            assertTrue(zero.getMessage().contains("leave it out for an unbounded channel"), zero.getMessage());
            assertEquals("zero.js", zero.file());
            GuestError str = assertThrows(GuestError.class, () -> js.evalSync("braid.channel('8')", "str.js"));
            assertEquals("TypeError", str.guestName());
            assertTrue(str.getMessage().contains("expected an integer, got \"8\""), str.getMessage());
            GuestError closed = assertThrows(GuestError.class, () -> js.evalSync(
                    "(async () => {\n  const q = braid.channel();\n  q.close();\n  await q.send(1);\n})()", "sendclosed.js"));
            assertEquals("ClosedError", closed.guestName());
            assertEquals("sendclosed.js", closed.file());
            assertEquals(4, closed.line());
            GuestError fake = assertThrows(GuestError.class, () -> js.evalSync(
                    "const c = braid.channel(); new c.constructor(Symbol('braid'), {})", "fake.js"));
            assertEquals("TypeError", fake.guestName());
        }
    }

    @Test
    void oneshot_deliversOnce_andALostSelectDoesNotLoseTheValue() {
        assertEquals(List.of(1, true, "v", "ClosedError", false, "ClosedError", "Error"), fx.run("""
                const o = braid.oneshot();
                const r = await braid.select(o.recv(), braid.sleep(5)); // the sleep wins
                const delivered = o.send('v');
                const value = await o.recv();
                let again;
                try { await o.recv(); } catch (e) { again = e.name; }
                const c = braid.oneshot();
                c.close();
                let closed;
                try { await c.recv(); } catch (e) { closed = e.name; }
                let twice;
                try { o.send('w'); } catch (e) { twice = e.name; }
                return [r.key, delivered, value, again, c.send('late'), closed, twice];
                """, "oneshot.js"));
    }

    @Test
    void broadcast_everySubscriberSeesEveryValue_andALaggardLearnsHowManyItMissed() {
        assertEquals(List.of(2, List.of(0, 1, 2), List.of(0, 1, 2), List.of("LaggedError", 3, true), List.of(3, 4), true), fx.run("""
                const b = braid.broadcast(4);
                const r1 = b.subscribe(), r2 = b.subscribe();
                const both = [r1, r2].map((r) => braid.spawn(async () => { const got = []; for await (const v of r) got.push(v); return got; }));
                const n = b.send(0); b.send(1); b.send(2);
                b.close();
                const [got1, got2] = await braid.join(both);

                const small = braid.broadcast(2);
                const slow = small.subscribe();
                for (let i = 0; i < 5; i++) small.send(i);
                let lag;
                try { await slow.recv(); } catch (e) { lag = [e.name, e.skipped, e instanceof braid.LaggedError]; }
                const after = [await slow.recv(), await slow.recv()];
                small.close();
                return [n, got1, got2, lag, after, (await slow.recv()) === undefined];
                """, "broadcast.js"));
    }

    @Test
    void watch_changedWaitsForANewerValue_andSkipsIntermediateOnes() {
        assertEquals(List.of("v0", false, "v3", "v3", "ClosedError", "v3"), fx.run("""
                const w = braid.watch('v0');
                const rx = w.subscribe();
                const first = rx.borrow();
                const seen = braid.spawn(async () => { await rx.changed(); return rx.borrow(); });
                await braid.sleep(5);
                const early = seen.isFinished();
                w.send('v1'); w.send('v2'); w.send('v3');
                const latest = await seen;
                let closed;
                w.close();
                try { await rx.changed(); } catch (e) { closed = e.name; }
                return [first, early, latest, w.borrow(), closed, rx.borrowAndUpdate()];
                """, "watch.js"));
    }

    @Test
    void interval_ticksOnSchedule_andStopEndsAPendingTick() {
        assertEquals(List.of(List.of(0, 100, 200, 300), "ClosedError", "ClosedError"), fx.run("""
                const iv = braid.interval(100);
                const ticks = [];
                for (let i = 0; i < 4; i++) ticks.push(await iv.tick());
                const pending = braid.spawn(async () => { try { await iv.tick(); } catch (e) { return e.name; } });
                await braid.sleep(10);
                iv.stop();
                let after;
                try { await iv.tick(); } catch (e) { after = e.name; }
                return [ticks, await pending, after];
                """, "interval.js"));
    }
}
