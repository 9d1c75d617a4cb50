package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomized stress test of the task state machine. In each round, one task (born scheduled
 * and queued, as a spawn makes it, or created idle) is hammered by two threads with wake-ups
 * (one of them sometimes aborts it), two executor threads pop it from its run queue and run
 * it, and the main thread sometimes shuts it down, then wakes it until it completes; the
 * join waker is registered once, by the second waking thread or by the main thread while it
 * drives the task to completion. Invariants, checked as they happen and after each round:
 * <ul>
 *   <li>a poll never overlaps another poll or a drop, and never comes after the drop or
 *       after the future completed; the drop happens at most once;
 *   <li>the task is never scheduled while it is still queued (never twice without a run),
 *       and a wake-up is never lost: once the task settles idle, a poll started after the
 *       last wake-up;
 *   <li>no run that starts after {@code abort()} returned polls the future, and the outcome
 *       is CANCELLED exactly when the future was dropped, which needs an abort or a shutdown;
 *   <li>{@code release} runs once; the join waker is woken at most once, only once the task
 *       is complete, and always when it was registered before completion.
 * </ul>
 * {@code -Dbraid.stress=long} multiplies the rounds by 20; {@code -Dbraid.seed=N} fixes the
 * per-round choices (thread timing stays free).
 */
final class TaskStateStressTest {
    private static final int WAKERS = 2;
    private static final int RUNNERS = 2;
    private static final AtomicLong CLOCK = new AtomicLong();

    private static int rounds() {
        return "long".equals(System.getProperty("braid.stress")) ? 200_000 : 10_000;
    }

    private static long seed() {
        String s = System.getProperty("braid.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }

    private static void spin(int max) {
        int n = ThreadLocalRandom.current().nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    /** The state of one round, shared by all threads. */
    static final class Round {
        final int readyOnPoll;
        final boolean selfWake;
        final int[] wakes = new int[WAKERS];
        /** Waker 0 aborts after this many of its wakes, or never (-1). */
        final int abortAfter;
        /**
         * Waker 1 registers the join waker after this many of its wakes, or (-1) the main
         * thread registers it while it drives the task to completion, so that the
         * registration often races with the completion.
         */
        final int joinAfter;
        final boolean shutdown;
        /** Born scheduled and queued, as a spawn does; otherwise created idle ({@link Task#idle}). */
        final boolean spawned;

        final ConcurrentLinkedQueue<Task<?>> runQueue = new ConcurrentLinkedQueue<>();
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger inFuture = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        final AtomicInteger joinWakes = new AtomicInteger();
        final AtomicInteger wakersDone = new AtomicInteger();
        volatile boolean finished;
        volatile boolean dropped;
        volatile long abortReturnedAt = Long.MAX_VALUE;
        volatile boolean abortCalled;
        /** Latest start, on {@link #CLOCK}, of a wake-up (scripted, self or abort) and of a poll. */
        final AtomicLong lastWakeStart = new AtomicLong();
        final AtomicLong lastPollStart = new AtomicLong();
        volatile int joinRegistered; // 0: not yet, 1: returned false, 2: returned true
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final Task<Integer> task;

        Round(SplittableRandom rnd) {
            readyOnPoll = 1 + rnd.nextInt(4);
            selfWake = rnd.nextBoolean();
            for (int i = 0; i < WAKERS; i++) {
                wakes[i] = 1 + rnd.nextInt(4);
            }
            abortAfter = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(wakes[0] + 1);
            joinAfter = rnd.nextBoolean() ? -1 : rnd.nextInt(wakes[1] + 1);
            shutdown = rnd.nextInt(8) == 0;
            spawned = rnd.nextBoolean();
            Schedule schedule = new RecordingSchedule(this);
            if (spawned) {
                task = new Task<>(new TestFuture(this), schedule, null, null);
                wakeStarts();
                schedule.schedule(task, false); // as Scheduler.spawnOn does
            } else {
                task = Task.idle(new TestFuture(this), schedule, null, null);
            }
        }

        void wakeStarts() {
            lastWakeStart.accumulateAndGet(CLOCK.incrementAndGet(), Math::max);
        }

        void violate(String what) {
            violations.add(what + " [state " + task.stateName() + ", polls " + polls.get() + "]");
        }

        void join() {
            joinRegistered = task.registerJoinWaker(this::joinWake) ? 2 : 1;
        }

        void joinWake() {
            joinWakes.incrementAndGet();
            if (!task.isComplete()) {
                violate("join waker woken before completion");
            }
        }

        String describe() {
            return "spawned=" + spawned + " readyOnPoll=" + readyOnPoll + " selfWake=" + selfWake + " wakes=" + wakes[0] + "," + wakes[1]
                    + " abortAfter=" + abortAfter + " joinAfter=" + joinAfter + " shutdown=" + shutdown;
        }
    }

    /** Puts the task in the round's run queue; it must not be there already. */
    static final class RecordingSchedule implements Schedule {
        private final Round r;

        RecordingSchedule(Round r) {
            this.r = r;
        }

        @Override
        public void schedule(Task<?> task, boolean isYield) {
            if (r.queued.getAndIncrement() != 0) {
                r.violate("scheduled while still queued");
            }
            r.runQueue.add(task);
        }

        @Override
        public void release(Task<?> task) {
            r.releases.incrementAndGet();
        }

        @Override
        public boolean register(Task<?> task) {
            return true;
        }
    }

    /** When the current executor thread's run began, on {@link #CLOCK}. */
    private static final ThreadLocal<long[]> RUN_STARTED = ThreadLocal.withInitial(() -> new long[1]);

    static final class TestFuture implements Future<Integer> {
        private final Round r;

        TestFuture(Round r) {
            this.r = r;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (r.inFuture.incrementAndGet() != 1) {
                r.violate("poll overlaps a poll or a drop");
            }
            if (r.dropped) {
                r.violate("polled after drop");
            }
            r.lastPollStart.accumulateAndGet(CLOCK.incrementAndGet(), Math::max);
            if (RUN_STARTED.get()[0] > r.abortReturnedAt) {
                r.violate("polled in a run that started after abort() returned");
            }
            int n = r.polls.incrementAndGet();
            if (n > r.readyOnPoll) {
                r.violate("polled after it completed");
            }
            spin(40); // widen the window for overlaps
            Poll<Integer> p;
            if (n >= r.readyOnPoll) {
                p = Poll.ready(n);
            } else {
                if (r.selfWake) {
                    r.wakeStarts();
                    cx.waker().wake();
                }
                p = Poll.pending();
            }
            r.inFuture.decrementAndGet();
            return p;
        }

        @Override
        public void drop() {
            if (r.inFuture.incrementAndGet() != 1) {
                r.violate("drop overlaps a poll");
            }
            if (r.drops.incrementAndGet() != 1) {
                r.violate("dropped twice");
            }
            if (r.polls.get() >= r.readyOnPoll) {
                r.violate("dropped after it completed");
            }
            r.dropped = true;
            spin(20);
            r.inFuture.decrementAndGet();
        }
    }

    private volatile Round current;

    private void waker(int id, CyclicBarrier start, CyclicBarrier end) throws Exception {
        for (;;) {
            start.await();
            Round r = current;
            if (r == null) {
                return;
            }
            for (int i = 0; i <= r.wakes[id]; i++) {
                if (id == 0 && i == r.abortAfter) {
                    r.abortCalled = true;
                    r.wakeStarts();
                    r.task.abort();
                    r.abortReturnedAt = CLOCK.incrementAndGet();
                }
                if (id == 1 && i == r.joinAfter) {
                    r.join();
                }
                if (i < r.wakes[id]) {
                    r.wakeStarts();
                    r.task.wake();
                    spin(60);
                }
            }
            r.wakersDone.incrementAndGet();
            end.await();
        }
    }

    private void runner(CyclicBarrier start, CyclicBarrier end) throws Exception {
        Context cx = new Context(Waker.NOOP);
        long[] started = RUN_STARTED.get();
        for (;;) {
            start.await();
            Round r = current;
            if (r == null) {
                return;
            }
            int idle = 0;
            while (!r.finished) {
                r.running.incrementAndGet();
                Task<?> t = r.runQueue.poll();
                if (t != null) {
                    r.queued.decrementAndGet();
                    started[0] = CLOCK.incrementAndGet();
                    t.run(cx, Context.DEFAULT_BUDGET);
                    idle = 0;
                }
                r.running.decrementAndGet();
                if (t == null && ++idle % 64 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            end.await();
        }
    }

    @Test
    void wakeAbortRunShutdownJoin() throws Exception {
        long seed = seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int rounds = rounds();
        int parties = WAKERS + RUNNERS + 1;
        CyclicBarrier start = new CyclicBarrier(parties);
        CyclicBarrier end = new CyclicBarrier(parties);
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < WAKERS; i++) {
            int id = i;
            threads.add(new Thread(() -> guard(errors, () -> waker(id, start, end)), "waker-" + i));
        }
        for (int i = 0; i < RUNNERS; i++) {
            threads.add(new Thread(() -> guard(errors, () -> runner(start, end)), "runner-" + i));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        try {
            for (int round = 0; round < rounds; round++) {
                Round r = new Round(rnd);
                current = r;
                start.await(10, TimeUnit.SECONDS);
                drive(r, round, seed);
                end.await(10, TimeUnit.SECONDS);
                check(r, round, seed);
            }
        } catch (TimeoutException | BrokenBarrierException e) {
            fail("threads stuck (seed " + seed + "); errors: " + errors, e);
        } finally {
            current = null;
            if (!start.isBroken()) {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (TimeoutException | BrokenBarrierException ignored) {
                    // reported below
                }
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        assertTrue(errors.isEmpty(), () -> "worker threads failed (seed " + seed + "): " + errors);
    }

    /**
     * Main thread's part of a round: maybe shut down; once the wakers are done and the task
     * has settled (idle or complete, nothing queued or running), check that the last
     * wake-up was followed by a poll; then wake it until complete and let the runners drain.
     */
    private void drive(Round r, int round, long seed) {
        if (r.shutdown) {
            spin(200);
            r.task.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!settled(r)) {
            Thread.onSpinWait();
            if (System.nanoTime() > deadline) {
                fail("round " + round + " did not settle (seed " + seed + ", " + r.describe() + "): state "
                        + r.task.stateName() + ", queued " + r.queued + ", running " + r.running);
            }
        }
        if (!r.task.isComplete() && r.lastPollStart.get() < r.lastWakeStart.get()) {
            r.violate("lost wake-up: idle, and no poll started after the last wake-up");
        }
        while (!r.task.isComplete()) {
            r.task.wake(); // the future needs more polls: keep it going
            spin(100);
            if (r.joinAfter < 0 && r.joinRegistered == 0) {
                r.join(); // often while the runner is completing it
            }
            if (System.nanoTime() > deadline) {
                fail("round " + round + " never completed (seed " + seed + ", " + r.describe() + "): state "
                        + r.task.stateName() + ", polls " + r.polls + ", queued " + r.queued + ", violations "
                        + r.violations);
            }
        }
        if (r.joinAfter < 0 && r.joinRegistered == 0) {
            r.join();
        }
        // Stale entries (left by shutdown) and re-queues must drain before the round ends.
        while (r.queued.get() != 0 || r.running.get() != 0 || !r.runQueue.isEmpty()) {
            Thread.onSpinWait();
            if (System.nanoTime() > deadline) {
                fail("round " + round + " did not drain (seed " + seed + ", " + r.describe() + ")");
            }
        }
        r.finished = true;
    }

    private static boolean settled(Round r) {
        if (r.wakersDone.get() < WAKERS || r.running.get() != 0 || !r.runQueue.isEmpty()) {
            return false;
        }
        int s = r.task.rawState();
        return TaskState.isComplete(s) || s == 0;
    }

    private static void check(Round r, int round, long seed) {
        String where = "round " + round + " (seed " + seed + ", " + r.describe() + "): ";
        assertTrue(r.violations.isEmpty(), () -> where + r.violations);
        assertTrue(r.task.isComplete(), where + "not complete");
        assertEquals(1, r.releases.get(), where + "release count");
        Task.Outcome outcome = r.task.outcome();
        switch (outcome) {
            case OK -> {
                assertEquals(r.readyOnPoll, r.polls.get(), where + "polls of a completed future");
                assertEquals(0, r.drops.get(), where + "drops of a completed future");
            }
            case CANCELLED -> {
                assertEquals(1, r.drops.get(), where + "drops of a cancelled task");
                assertTrue(r.abortCalled || r.shutdown, where + "cancelled without abort or shutdown");
                assertTrue(r.polls.get() < r.readyOnPoll, where + "cancelled after the future completed");
            }
            case FAILED -> fail(where + "failed: " + r.task.failure());
        }
        if (r.joinRegistered == 1) {
            assertEquals(1, r.joinWakes.get(), where + "join waker registered before completion: wake-ups");
        } else {
            assertTrue(r.joinWakes.get() <= 1, where + "join waker woken " + r.joinWakes.get() + " times");
        }
    }

    /**
     * A narrow race the rounds above hit only rarely: a join waker registered while the task
     * completes. Each iteration, a helper thread runs a born-scheduled task whose future is
     * ready at once, while this thread registers the join waker. When the registration says
     * "not complete", the waker must be woken exactly once (otherwise at most once), and
     * never before the task is complete. Random delays on both sides make the two meet at
     * every point of {@code complete()}.
     */
    @Test
    void joinWakerRegistrationRacesCompletion() throws Exception {
        int iterations = 20 * rounds();
        AtomicReference<Task<Integer>> handoff = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Thread runner = new Thread(() -> guard(errors, () -> {
            Context cx = new Context(Waker.NOOP);
            int done = 0;
            while (!stop.get()) {
                Task<Integer> t = handoff.getAndSet(null);
                if (t == null) {
                    Thread.onSpinWait();
                    continue;
                }
                spin(30);
                t.run(cx, Context.DEFAULT_BUDGET);
                ran.set(++done);
            }
        }), "join-race-runner");
        runner.setDaemon(true);
        runner.start();
        try {
            AtomicInteger wakes = new AtomicInteger();
            AtomicInteger earlyWakes = new AtomicInteger();
            AtomicReference<Task<Integer>> current = new AtomicReference<>();
            Waker waker = () -> {
                wakes.incrementAndGet();
                if (!current.get().isComplete()) {
                    earlyWakes.incrementAndGet();
                }
            };
            for (int i = 0; i < iterations; i++) {
                Task<Integer> t = new Task<>(cx -> Poll.ready(1), TestTasks.NOOP_SCHEDULE, null, null);
                current.set(t);
                wakes.set(0);
                handoff.set(t);
                spin(30);
                boolean complete = t.registerJoinWaker(waker);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (ran.get() != i + 1) {
                    Thread.onSpinWait();
                    if (System.nanoTime() > deadline) {
                        fail("iteration " + i + ": runner stuck; errors " + errors);
                    }
                }
                int w = wakes.get();
                if ((complete ? w > 1 : w != 1) || earlyWakes.get() != 0) {
                    fail("iteration " + i + ": registerJoinWaker returned " + complete + ", the waker was woken "
                            + w + " times, " + earlyWakes.get() + " of them before completion");
                }
            }
        } finally {
            stop.set(true);
            runner.join(10_000);
        }
        assertTrue(errors.isEmpty(), () -> "runner failed: " + errors);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void guard(ConcurrentLinkedQueue<Throwable> errors, Body body) {
        try {
            body.run();
        } catch (BrokenBarrierException e) {
            // the main thread gave up; it reports why
        } catch (Throwable t) {
            errors.add(t);
        }
    }
}
