package dev.braid.time;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import dev.braid.future.Waker;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import dev.braid.sync.Oneshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers. Everything that depends on timing runs on a paused clock and takes no real time;
 * the few tests on the real clock check liveness (a bounded wait for something that must
 * happen), never durations.
 */
class TimeTest {
    private static final long MS = 1_000_000;

    private static BraidRuntime paused() {
        return BraidRuntime.builder().currentThread().clock(Clock.paused()).build();
    }

    @Test
    void hundredThousandTimersFireAtTheirDeadlinesInDeadlineOrder() {
        int n = 100_000;
        Random rnd = new Random(42);
        try (BraidRuntime rt = paused()) {
            long start = rt.clock().nanoTime();
            long[] firedAt = new long[n];
            long[] deadline = new long[n];
            List<Integer> order = new ArrayList<>(n);
            Oneshot<Boolean> all = Oneshot.channel();
            for (int i = 0; i < n; i++) {
                int id = i;
                deadline[i] = (1 + rnd.nextInt(100_000)) * MS; // 1 ms .. 100 s
                // Made outside the runtime: each sleep counts from its first poll, and the
                // paused clock stands still until every task has been polled once.
                rt.spawn(Time.sleep(Duration.ofNanos(deadline[i])).map(v -> {
                    firedAt[id] = rt.clock().nanoTime() - start;
                    order.add(id);
                    if (order.size() == n) {
                        all.sender().send(true);
                    }
                    return null;
                }));
            }
            rt.blockOn(all.receiver());
            assertEquals(n, order.size());
            long prev = 0;
            for (int id : order) {
                assertEquals(deadline[id], firedAt[id], "timer " + id + " fired off its deadline");
                assertTrue(deadline[id] >= prev, "timers completed out of deadline order");
                prev = deadline[id];
            }
            assertEquals(0, rt.metrics().registeredTimers());
            assertEquals(n, rt.metrics().firedTimers());
        }
    }

    @Test
    void multiThreadTimersNeverFireEarly() {
        int n = 50_000;
        Random rnd = new Random(7);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).clock(Clock.paused()).build()) {
            AtomicInteger early = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Oneshot<Boolean> all = Oneshot.channel();
            for (int i = 0; i < n; i++) {
                long d = (1 + rnd.nextInt(10_000)) * MS;
                rt.spawn(Future.lazy(() -> {
                    long deadline = rt.clock().nanoTime() + d;
                    return Time.sleep(Duration.ofNanos(d)).map(v -> {
                        if (rt.clock().nanoTime() < deadline) {
                            early.incrementAndGet();
                        }
                        if (done.incrementAndGet() == n) {
                            all.sender().send(true);
                        }
                        return (Void) null;
                    });
                }).andThen(f -> f));
            }
            rt.blockOn(all.receiver());
            assertEquals(n, done.get());
            assertEquals(0, early.get());
        }
    }

    @Test
    void anHourLongSleepOnAPausedClockTakesNoRealTime() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).clock(Clock.paused()).build()) {
            long before = rt.clock().nanoTime();
            JoinHandle<Void> h = rt.spawn(Time.sleep(Duration.ofHours(1)));
            h.toCompletableFuture().get(30, TimeUnit.SECONDS); // hangs for an hour if auto-advance is broken
            assertTrue(rt.clock().nanoTime() - before >= Duration.ofHours(1).toNanos());
        }
    }

    @Test
    void manualClockMovesOnlyWhenAdvanced() {
        Clock clock = Clock.manual();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).clock(clock).build()) {
            Sleep s = rt.blockOn(Future.lazy(() -> Time.sleep(Duration.ofSeconds(5))));
            JoinHandle<Void> h = rt.spawn(s);
            // Wait until the sleep is registered (its first poll ran on a worker).
            while (rt.metrics().registeredTimers() == 0) {
                Thread.onSpinWait();
            }
            clock.advance(Duration.ofMillis(4_999));
            assertFalse(h.isFinished());
            assertEquals(1, rt.metrics().registeredTimers());
            clock.advance(Duration.ofMillis(1));
            rt.blockOn(h);
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    @Test
    void timeoutDropsANeverCompletingFutureAtItsDeadline() {
        try (BraidRuntime rt = paused()) {
            Probe<String> never = Probe.create();
            long start = rt.clock().nanoTime();
            ElapsedException e = assertThrows(ElapsedException.class,
                    () -> rt.blockOn(Future.lazy(() -> Time.timeout(Duration.ofMinutes(10), never)).andThen(f -> f)));
            assertEquals(Duration.ofMinutes(10).toNanos(), rt.clock().nanoTime() - start);
            assertEquals(1, never.drops.get(), "the inner future must be dropped");
            assertTrue(e.getMessage().contains("600 s"), e.getMessage());
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    @Test
    void timeoutOfAReadyFutureRegistersNoTimer() {
        try (BraidRuntime rt = paused()) {
            assertEquals(7, rt.blockOn(Future.ready(7).timeout(Duration.ofSeconds(10))));
            assertEquals(0, rt.metrics().firedTimers());
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    @Test
    void timeoutOfAFutureThatCompletesInTimeCancelsItsTimer() {
        try (BraidRuntime rt = paused()) {
            String v = rt.blockOn(Future.lazy(() -> Time.sleep(Duration.ofSeconds(1)).map(x -> "ok")
                    .timeout(Duration.ofSeconds(2))).andThen(f -> f));
            assertEquals("ok", v);
            assertEquals(0, rt.metrics().registeredTimers());
            assertEquals(1, rt.metrics().firedTimers());
        }
    }

    @Test
    void timeoutStillFiresWhenTheInnerFutureSpendsTheWholeBudget() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            Future<Void> greedy = cx -> {
                while (cx.pollProceed()) {
                    Thread.onSpinWait();
                }
                return Poll.pending(); // pollProceed woke the task
            };
            JoinHandle<Void> h = rt.spawn(Time.timeout(Duration.ofMillis(20), greedy));
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> h.toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getCause() instanceof ElapsedException, String.valueOf(e.getCause()));
        }
    }

    @Test
    void aDroppedSleepLeavesNoTimer() {
        try (BraidRuntime rt = paused()) {
            var won = rt.blockOn(Future.lazy(() -> Futures.select(Time.sleep(Duration.ofHours(1)).map(v -> "sleep"),
                    Future.ready("ready"))).andThen(f -> f));
            assertEquals("ready", won.value());
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    @Test
    void anEarlierDeadlineFromAnotherThreadWakesTheSleepingDriver() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            JoinHandle<Void> far = rt.spawn(Time.sleep(Duration.ofHours(1)));
            while (rt.metrics().registeredTimers() == 0) {
                Thread.onSpinWait();
            }
            // Registered from this thread (outside the runtime) while a worker sleeps until the
            // hour-long deadline: the registration must wake it.
            JoinHandle<Void> near = rt.spawnBlocking(() -> {
                rt.blockOn(Time.sleep(Duration.ofMillis(10)));
                return null;
            });
            near.toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertFalse(far.isFinished());
        }
    }

    @Test
    void timersFireWhileEveryWorkerIsBusy() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            List<JoinHandle<Void>> busy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                busy.add(rt.spawn(cx -> {
                    if (stop.get()) {
                        return Poll.ready(null);
                    }
                    cx.waker().wake(); // a yield: always runnable, so no worker ever parks
                    return Poll.pending();
                }));
            }
            JoinHandle<Void> timer = rt.spawn(Time.sleep(Duration.ofMillis(5)).map(v -> {
                stop.set(true);
                return null;
            }));
            timer.toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (JoinHandle<Void> h : busy) {
                h.toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aMillionConcurrentSleepsOnTheRealClockComplete() {
        int n = 1_000_000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            AtomicInteger left = new AtomicInteger(n);
            Oneshot<Boolean> all = Oneshot.channel();
            rt.spawn(Future.lazy(() -> {
                Random rnd = new Random(1);
                for (int i = 0; i < n; i++) {
                    rt.spawn(Time.sleep(Duration.ofMillis(1 + rnd.nextInt(1000))).map(v -> {
                        if (left.decrementAndGet() == 0) {
                            all.sender().send(true);
                        }
                        return null;
                    }));
                }
                return null;
            }));
            assertTrue(rt.blockOn(all.receiver()));
            // (Sleeps whose deadline passed before their first poll complete without a timer.)
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    @Test
    void racingSleepsAcrossWorkersLeaveNoTimerBehind() {
        int n = 100_000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            AtomicInteger left = new AtomicInteger(n);
            Oneshot<Boolean> all = Oneshot.channel();
            rt.spawn(Future.lazy(() -> {
                Random rnd = new Random(3);
                for (int i = 0; i < n; i++) {
                    // The loser is dropped (cancelled) on whichever worker runs the select,
                    // while the driver may be firing it on the other.
                    rt.spawn(Futures.select(Time.sleep(Duration.ofMillis(rnd.nextInt(4))),
                            Time.sleep(Duration.ofMillis(rnd.nextInt(4)))).map(v -> {
                        if (left.decrementAndGet() == 0) {
                            all.sender().send(true);
                        }
                        return null;
                    }));
                }
                return null;
            }));
            assertTrue(rt.blockOn(all.receiver()));
            assertEquals(0, rt.metrics().registeredTimers());
        }
    }

    // ---- timers racing channel receives ---------------------------------------------------

    @Test
    void aSelectBetweenRecvAndSleepThatLosesToSleepLeavesNoWaiterAndLosesNoMessage() {
        try (BraidRuntime rt = paused()) {
            var ch = dev.braid.sync.Mpsc.<String>unbounded();
            var won = rt.blockOn(Future.lazy(() -> Futures.select(ch.receiver().recv(),
                    Time.sleep(Duration.ofSeconds(5)).map(v -> "slept"))).andThen(f -> f));
            assertEquals("slept", won.value());
            assertEquals(1, won.index());
            assertFalse(ch.receiver().hasWaiter(), "the dropped recv left its waker registered");
            assertEquals(0, rt.metrics().registeredTimers());
            assertTrue(ch.sender().send("after"));
            assertEquals("after", ch.receiver().tryRecv(), "the message sent after the select is there");
        }
    }

    @Test
    void recvRacingSleepOnTwoWorkersNeverLosesAMessage() {
        int messages = 20_000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
            var ch = dev.braid.sync.Mpsc.<Integer>unbounded();
            AtomicInteger timeouts = new AtomicInteger();
            // The consumer: select(recv, sleep of 0..1 ms) in a loop; when the sleep wins the
            // recv is dropped, and no message may vanish with it.
            JoinHandle<Long> consumer = rt.spawn(new Future<Long>() {
                final Random rnd = new Random(11);
                long sum;
                int received;
                Future<dev.braid.future.Selected<Object>> round;

                @Override
                public Poll<Long> poll(Context cx) {
                    for (;;) {
                        if (round == null) {
                            round = Futures.select(ch.receiver().recv().map(v -> (Object) v),
                                    Time.sleep(Duration.ofNanos(rnd.nextInt(1_000_000))).map(v -> (Object) "timeout"));
                        }
                        Poll<dev.braid.future.Selected<Object>> p = round.poll(cx);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        round = null;
                        if (p.value().index() == 0) {
                            sum += (Integer) p.value().value();
                            if (++received == messages) {
                                return Poll.ready(sum);
                            }
                        } else {
                            timeouts.incrementAndGet();
                        }
                    }
                }
            });
            // The producer: bursts separated by short sleeps, so both branches win often.
            rt.spawn(new Future<Void>() {
                final Random rnd = new Random(12);
                int next;
                dev.braid.time.Sleep pause;

                @Override
                public Poll<Void> poll(Context cx) {
                    while (next < messages) {
                        if (pause != null) {
                            if (pause.poll(cx).isPending()) {
                                return Poll.pending();
                            }
                            pause = null;
                        }
                        int burst = 1 + rnd.nextInt(50);
                        for (int i = 0; i < burst && next < messages; i++) {
                            ch.sender().send(next++);
                        }
                        pause = Time.sleep(Duration.ofNanos(rnd.nextInt(2_000_000)));
                    }
                    return Poll.ready(null);
                }
            });
            long expected = (long) messages * (messages - 1) / 2;
            assertEquals(expected, rt.blockOn(consumer), "a message was lost or duplicated");
            assertTrue(timeouts.get() > 0, "the sleep never won: the race was not exercised");
            assertFalse(ch.receiver().hasWaiter());
        }
    }

    // ---- intervals ---------------------------------------------------------------------------

    /** Takes {@code n} ticks; after the first, the task "works" for {@code busy} (the clock jumps). */
    private static List<long[]> ticks(BraidRuntime rt, MissedTickBehavior b, int n, Duration busy) {
        return rt.blockOn(Future.lazy(() -> {
            Interval iv = Time.interval(Duration.ofMillis(100)).missedTickBehavior(b);
            long start = rt.clock().nanoTime();
            List<long[]> out = new ArrayList<>();
            Future<List<long[]>> f = cx -> {
                while (out.size() < n) {
                    Poll<Long> p = iv.pollTick(cx);
                    if (!p.isReady()) {
                        return Poll.pending();
                    }
                    out.add(new long[]{(p.value() - start) / MS, (rt.clock().nanoTime() - start) / MS});
                    if (out.size() == 1) {
                        rt.clock().advance(busy);
                    }
                }
                iv.close();
                return Poll.ready(out);
            };
            return f;
        }).andThen(f -> f));
    }

    private static String show(List<long[]> ticks) {
        StringBuilder b = new StringBuilder();
        for (long[] t : ticks) {
            b.append(t[0]).append('@').append(t[1]).append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void intervalTicksOnScheduleAndTheFirstTickIsImmediate() {
        try (BraidRuntime rt = paused()) {
            assertEquals("0@0 100@100 200@200 300@300", show(ticks(rt, MissedTickBehavior.BURST, 4, Duration.ZERO)));
        }
    }

    @Test
    void burstCatchesUpOnMissedTicksAtOnce() {
        try (BraidRuntime rt = paused()) {
            // Busy until 350: ticks 100, 200 and 300 are taken at once, then back on schedule.
            assertEquals("0@0 100@350 200@350 300@350 400@400 500@500",
                    show(ticks(rt, MissedTickBehavior.BURST, 6, Duration.ofMillis(350))));
        }
    }

    @Test
    void delayStartsANewScheduleFromTheLateTick() {
        try (BraidRuntime rt = paused()) {
            assertEquals("0@0 100@350 450@450 550@550",
                    show(ticks(rt, MissedTickBehavior.DELAY, 4, Duration.ofMillis(350))));
        }
    }

    @Test
    void skipDropsMissedTicksAndKeepsTheOldSchedule() {
        try (BraidRuntime rt = paused()) {
            assertEquals("0@0 100@350 400@400 500@500",
                    show(ticks(rt, MissedTickBehavior.SKIP, 4, Duration.ofMillis(350))));
        }
    }

    @Test
    void aTickLateByLessThanAPeriodIsNotMissed() {
        try (BraidRuntime rt = paused()) {
            assertEquals("0@0 100@150 200@200 300@300",
                    show(ticks(rt, MissedTickBehavior.DELAY, 4, Duration.ofMillis(150))));
        }
    }

    // ---- budget and errors ---------------------------------------------------------------------

    @Test
    void completingASleepSpendsBudget() {
        try (BraidRuntime rt = paused()) {
            rt.blockOn(Future.lazy(() -> {
                Sleep s = Time.sleep(Duration.ZERO);
                Context cx = new Context(Waker.NOOP);
                cx.reset(Waker.NOOP, 0);
                assertFalse(s.poll(cx).isReady(), "an exhausted budget must make a ready sleep yield");
                assertEquals(1, cx.forcedYields());
                cx.reset(Waker.NOOP, 5);
                assertTrue(s.poll(cx).isReady());
                assertEquals(4, cx.remainingBudget());
                return null;
            }));
        }
    }

    @Test
    void aSleepPolledOutsideARuntimeSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Time.sleep(Duration.ofSeconds(1)).poll(new Context(Waker.NOOP)));
        assertTrue(e.getMessage().contains("outside a Braid runtime"), e.getMessage());
    }

    @Test
    void clockMisuseIsRefusedClearly() {
        IllegalStateException sys = assertThrows(IllegalStateException.class,
                () -> Clock.system().advance(Duration.ofSeconds(1)));
        assertTrue(sys.getMessage().contains("paused clock"), sys.getMessage());
        Clock c = Clock.paused();
        try (BraidRuntime a = BraidRuntime.builder().currentThread().clock(c).build()) {
            assertTrue(a.clock() == c);
            IllegalStateException shared = assertThrows(IllegalStateException.class,
                    () -> BraidRuntime.builder().currentThread().clock(c).build());
            assertTrue(shared.getMessage().contains("another runtime"), shared.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.advance(Duration.ofSeconds(-1)));
        }
    }

    @Test
    void aSleepMadeOutsideARuntimeCountsFromItsFirstPoll() {
        Clock clock = Clock.paused();
        Sleep s = Time.sleep(Duration.ofSeconds(3));
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().clock(clock).build()) {
            clock.advance(Duration.ofSeconds(10));
            long before = clock.nanoTime();
            rt.blockOn(s);
            assertEquals(Duration.ofSeconds(3).toNanos(), clock.nanoTime() - before);
        }
    }

    @Test
    void resetMovesTheDeadline() {
        try (BraidRuntime rt = paused()) {
            AtomicLong elapsed = new AtomicLong();
            rt.blockOn(Future.lazy(() -> {
                long start = rt.clock().nanoTime();
                Sleep s = Time.sleep(Duration.ofSeconds(10));
                s.resetAt(start + Duration.ofSeconds(2).toNanos());
                return s.map(v -> {
                    elapsed.set(rt.clock().nanoTime() - start);
                    return v;
                });
            }).andThen(f -> f));
            assertEquals(Duration.ofSeconds(2).toNanos(), elapsed.get());
        }
    }
}
