package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Oneshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Randomized whole-scheduler runs. Every test prints its seed; rerun one with
 * {@code -Dbraid.seed=<seed>}.
 */
final class SchedulerStressTest {

    /**
     * A random tree of tasks: each spawns 1..3 children while the budget lasts, each child
     * reports its subtree size through a oneshot, and some children send from a thread
     * outside the runtime (remote wake-ups). The roots' totals must add up to every task.
     */
    static final class Node implements Future<Long> {
        private final AtomicLong budget;
        private final AtomicLong spawned;
        private final Oneshot.Sender<Long> parent;
        private final SplittableRandom rnd;
        private final ExecutorService outside;
        private final Set<Thread> pollers;
        private List<Oneshot.Receiver<Long>> children;
        private long sum = 1;
        private int next;

        Node(AtomicLong budget, AtomicLong spawned, Oneshot.Sender<Long> parent, SplittableRandom rnd,
             ExecutorService outside, Set<Thread> pollers) {
            this.pollers = pollers;
            this.budget = budget;
            this.spawned = spawned;
            this.parent = parent;
            this.rnd = rnd;
            this.outside = outside;
        }

        @Override
        public Poll<Long> poll(Context cx) {
            if (children == null) {
                if (rnd.nextInt(256) == 0) {
                    pollers.add(Thread.currentThread()); // sampled: which threads ran the tree
                }
                children = new ArrayList<>(3);
                int k = 1 + rnd.nextInt(3);
                for (int i = 0; i < k && budget.getAndDecrement() > 0; i++) {
                    Oneshot<Long> ch = Oneshot.channel();
                    children.add(ch.receiver());
                    spawned.incrementAndGet();
                    Braid.spawn(new Node(budget, spawned, ch.sender(), rnd.split(), outside, pollers));
                }
            }
            while (next < children.size()) {
                Poll<Long> p = children.get(next).poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                sum += p.value();
                next++;
            }
            if (parent != null) {
                long total = sum;
                if (rnd.nextInt(64) == 0) {
                    outside.execute(() -> parent.send(total));
                } else {
                    parent.send(total);
                }
            }
            return Poll.ready(sum);
        }
    }

    @Test
    void aMillionTasksSpawningAndWakingEachOther_noneLost() throws Exception {
        long seed = Stress.seed();
        System.out.println("aMillionTasks seed=" + seed);
        int rounds = Stress.rounds(1);
        ExecutorService outside = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("stress-tree")
                        .seed(seed + round).build()) {
                    Set<Thread> pollers = runTree(rt, 1_000_000, seed + round, outside);
                    // Work spread over both worker slots (by stealing or through the global
                    // queue). A slot's thread may have been replaced when the monitor saw a
                    // long poll (this machine is small and shared): "-worker-1.3" is slot 1.
                    long slots = pollers.stream().map(t -> t.getName().replaceAll("\\.\\d+$", "")).distinct().count();
                    assertEquals(2, slots, "threads that ran the tree: " + pollers + ", " + rt.metrics());
                }
            }
        } finally {
            outside.shutdownNow();
        }
    }

    @Test
    @Timeout(120) // a lost wake-up hangs: fail instead
    void idleWorkersThatSpinBeforeParking_loseNoWakeUp() throws Exception {
        long seed = Stress.seed();
        System.out.println("parkSpin seed=" + seed);
        ExecutorService outside = Executors.newFixedThreadPool(2);
        // Spins long enough that most wake-ups, from workers and from the outside threads,
        // arrive while the woken worker still spins; and then the runtime must go idle.
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("stress-spin")
                .parkSpin(Duration.ofMillis(1)).seed(seed).build()) {
            runTree(rt, 200_000, seed, outside);
            // Idle again: work that arrives from outside after the workers parked still runs.
            for (int i = 0; i < 100; i++) {
                assertEquals(i, rt.blockOn(rt.spawn(new Ready<>(i))));
            }
        } finally {
            outside.shutdownNow();
        }
    }

    @Test
    void parkSpin_outsideItsRange_isRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BraidRuntime.builder().parkSpin(Duration.ofMillis(2)));
        assertEquals("parkSpin must be between 0 and 1 ms, got PT0.002S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BraidRuntime.builder().parkSpin(Duration.ofNanos(-1)));
    }

    /** A future that is ready at once with its value. */
    private record Ready<T>(T value) implements Future<T> {
        @Override
        public Poll<T> poll(Context cx) {
            return Poll.ready(value);
        }
    }

    /**
     * Runs a random tree of {@code total} tasks that spawn and wake each other (see
     * {@link Node}), checks that every one was counted and that none is left alive, and returns
     * the threads that polled them.
     */
    private Set<Thread> runTree(BraidRuntime rt, long total, long seed, ExecutorService outside) {
        AtomicLong budget = new AtomicLong(total);
        AtomicLong spawned = new AtomicLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        JoinSet<Long> roots = new JoinSet<>(rt);
        Set<Thread> pollers = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 16 && budget.getAndDecrement() > 0; i++) {
            spawned.incrementAndGet();
            roots.spawn(new Node(budget, spawned, null, rnd.split(), outside, pollers));
        }
        long counted = countAll(rt, roots);
        assertEquals(spawned.get(), counted, "seed " + seed);
        assertEquals(total, spawned.get(), "seed " + seed);
        // A leaf sends its result before its task completes, so the roots can be joined a
        // moment before the last leaves finish: the count must reach 0.
        awaitNoAliveTasks(rt, "seed " + seed);
        return pollers;
    }

    private long countAll(BraidRuntime rt, JoinSet<Long> roots) {
        long sum = 0;
        JoinResult<Long> r;
        while ((r = rt.blockOn(roots.joinNext())) != null) {
            sum += r.get();
        }
        return sum;
    }

    @Test
    void joinSetClosedMidFlight_abortsEveryTask() throws Exception {
        long seed = Stress.seed();
        System.out.println("joinSetClosedMidFlight seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("stress-joinset").build()) {
            for (int round = 0; round < Stress.rounds(20); round++) {
                int n = 2000 + rnd.nextInt(3000);
                CountDownLatch dropped = new CountDownLatch(n);
                AtomicInteger drops = new AtomicInteger();
                JoinSet<Object> set = new JoinSet<>(rt);
                for (int i = 0; i < n; i++) {
                    set.spawn(new Future<>() {
                        @Override
                        public Poll<Object> poll(Context cx) {
                            cx.waker().wake(); // always runnable: aborts race with polls
                            return Poll.pending();
                        }

                        @Override
                        public void drop() {
                            drops.incrementAndGet();
                            dropped.countDown();
                        }
                    });
                }
                // Close after a random amount of progress, from outside the runtime.
                long target = rt.metrics().polls() + rnd.nextInt(20_000);
                while (rt.metrics().polls() < target) {
                    Thread.onSpinWait();
                }
                set.close();
                assertTrue(dropped.await(30, TimeUnit.SECONDS), "seed " + seed + ": " + dropped.getCount() + " tasks not aborted");
                assertEquals(n, drops.get(), "each task dropped exactly once");
            }
            awaitOnlySelfAlive(rt);
        }
    }

    /** Yields until the task doing the waiting is the only live task of the runtime. */
    static void awaitOnlySelfAlive(BraidRuntime rt) {
        long alive = rt.blockOn(rt.spawn(new Future<Long>() {
            int spins;

            @Override
            public Poll<Long> poll(Context cx) {
                long n = rt.metrics().aliveTasks();
                if (n > 1 && spins++ < 1_000_000) {
                    cx.waker().wake();
                    return Poll.pending();
                }
                return Poll.ready(n);
            }
        }));
        assertEquals(1, alive, "tasks still alive: " + rt.metrics());
    }

    @Test
    void shutdownUnderLoad_leavesNoThread_andDropsEverything() {
        long seed = Stress.seed();
        System.out.println("shutdownUnderLoad seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < Stress.rounds(10); round++) {
            String prefix = "stress-sd-" + round;
            BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix(prefix)
                    .blockingKeepAlive(Duration.ofMillis(1 + rnd.nextInt(50))).build();
            AtomicLong live = new AtomicLong();
            for (int i = 0; i < 200; i++) {
                live.incrementAndGet();
                rt.spawn(new Respawner(live, rnd.nextInt(100)));
            }
            for (int i = 0; i < 20; i++) {
                rt.spawnBlocking(() -> 1);
            }
            long target = rt.metrics().polls() + rnd.nextInt(50_000);
            while (rt.metrics().polls() < target) {
                Thread.onSpinWait();
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)), "seed " + seed);
            assertEquals(List.of(), Threads.alive(prefix), "seed " + seed);
            assertEquals(0, rt.metrics().aliveTasks(), "seed " + seed);
            assertEquals(0, live.get(), "every task finished or was dropped; seed " + seed);
        }
    }

    /** Yields a few times, spawns a replacement, finishes; counts itself alive until done or dropped. */
    static final class Respawner implements Future<Void> {
        private final AtomicLong live;
        private int yields;
        private boolean finished;

        Respawner(AtomicLong live, int yields) {
            this.live = live;
            this.yields = yields;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (yields-- > 0) {
                cx.waker().wake();
                return Poll.pending();
            }
            try {
                live.incrementAndGet();
                Braid.spawn(new Respawner(live, 10));
            } catch (RuntimeShutdownException e) {
                live.decrementAndGet(); // the replacement was refused: it never existed
            }
            finished = true;
            live.decrementAndGet();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            if (!finished) {
                live.decrementAndGet();
            }
        }
    }

    static void awaitNoAliveTasks(BraidRuntime rt, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (rt.metrics().aliveTasks() != 0) {
            if (System.nanoTime() > deadline) {
                assertEquals(0, rt.metrics().aliveTasks(), what + ": tasks still alive after 10 s, " + rt.metrics());
            }
            Thread.onSpinWait();
        }
    }
}
