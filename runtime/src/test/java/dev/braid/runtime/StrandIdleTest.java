package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Strand#whenIdle()}: completes only once every task spawned on the strand has ended,
 * tasks spawned by its own tasks and from other threads included, however they end.
 */
final class StrandIdleTest {

    @Test
    void anIdleStrand_isIdleAtOnce() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("idle-now").build()) {
            Strand s = rt.newStrand();
            assertTrue(s.whenIdle().isDone());
            assertEquals(0, s.liveTasks());
        }
    }

    @Test
    void idleWaitsForEveryTask_finishedFailedOrAborted() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("idle-kinds").build()) {
            Strand s = rt.newStrand();
            CompletableFuture<Void> gate = new CompletableFuture<>();
            JoinHandle<Object> waiting = s.spawn(Future.fromStage(gate).map(v -> null));
            JoinHandle<Object> failing = s.spawn(Future.lazy(() -> {
                throw new IllegalStateException("fails");
            }));
            JoinHandle<Object> forever = s.spawn(Future.never());
            CompletableFuture<Void> idle = s.whenIdle();
            assertThrows(rt, failing);
            assertFalse(idle.isDone(), "two tasks are still live");
            forever.abort();
            assertThrows(rt, forever);
            assertFalse(idle.isDone(), "one task is still live");
            gate.complete(null);
            idle.get(30, TimeUnit.SECONDS);
            assertTrue(waiting.isFinished());
            assertEquals(0, s.liveTasks());
        }
    }

    private static void assertThrows(BraidRuntime rt, JoinHandle<?> h) {
        org.junit.jupiter.api.Assertions.assertThrows(JoinError.class, () -> rt.blockOn(h));
    }

    /**
     * Random trees of tasks: each sleeps or yields, then spawns its children on the same
     * strand and ends. The strand is idle only after the last of them.
     */
    @Test
    void idleComesAfterTheLastTaskOfRandomTrees() throws Exception {
        long seed = Stress.seed();
        System.out.println("idleComesAfterTheLastTaskOfRandomTrees seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < Stress.rounds(20); round++) {
            try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("idle-trees")
                    .seed(rnd.nextLong()).build()) {
                Strand s = rt.newStrand();
                AtomicInteger ended = new AtomicInteger();
                AtomicInteger spawned = new AtomicInteger();
                List<Runnable> roots = new ArrayList<>();
                int trees = 1 + rnd.nextInt(8);
                for (int t = 0; t < trees; t++) {
                    long treeSeed = rnd.nextLong();
                    roots.add(() -> spawnTree(s, new SplittableRandom(treeSeed), 3, spawned, ended));
                }
                roots.forEach(Runnable::run);
                s.whenIdle().get(60, TimeUnit.SECONDS);
                assertEquals(spawned.get(), ended.get(), "seed " + seed + ": idle before every task ended");
            }
        }
    }

    private static void spawnTree(Strand s, SplittableRandom rnd, int depth, AtomicInteger spawned, AtomicInteger ended) {
        spawned.incrementAndGet();
        int children = depth == 0 ? 0 : rnd.nextInt(4);
        long[] seeds = new long[children];
        for (int i = 0; i < children; i++) {
            seeds[i] = rnd.nextLong();
        }
        int pause = rnd.nextInt(3);
        s.spawn((pause == 0 ? Braid.yieldNow() : Time.sleep(Duration.ofMillis(pause))).map(v -> {
            for (long cs : seeds) {
                spawnTree(s, new SplittableRandom(cs), depth - 1, spawned, ended);
            }
            ended.incrementAndGet();
            return null;
        }));
    }
}
