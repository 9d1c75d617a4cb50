package dev.braid.runtime;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many strands with random slice sizes, task counts and yield counts, mixed with ordinary
 * tasks and with tasks spawned onto strands from inside other strands' tasks: no strand
 * ever has two tasks inside a poll at once (atomic in-flight counter per strand).
 */
final class StrandStressTest {

    @Test
    void strandsUnderStress_neverOverlap() {
        long seed = Stress.seed();
        System.out.println("strandsUnderStress seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < Stress.rounds(5); round++) {
            try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("strand-stress")
                    .strandSliceTasks(1 + rnd.nextInt(64)).seed(rnd.nextLong()).build()) {
                int strands = 2 + rnd.nextInt(30);
                Strand[] ss = new Strand[strands];
                AtomicInteger[] inFlight = new AtomicInteger[strands];
                AtomicInteger[] max = new AtomicInteger[strands];
                int[][] counters = new int[strands][1];
                int[] expected = new int[strands];
                for (int s = 0; s < strands; s++) {
                    ss[s] = rt.newStrand();
                    inFlight[s] = new AtomicInteger();
                    max[s] = new AtomicInteger();
                }
                JoinSet<Integer> set = new JoinSet<>(rt);
                int tasks = 20_000 + rnd.nextInt(20_000);
                for (int i = 0; i < tasks; i++) {
                    int s = rnd.nextInt(strands);
                    int yields = rnd.nextInt(5);
                    expected[s] += yields + 1;
                    if (rnd.nextInt(4) == 0) {
                        // Spawned onto the strand from inside a task running elsewhere.
                        set.spawn(Braid.yieldNow().map(v -> {
                            ss[s].spawn(new StrandTest.Exclusive(inFlight[s], max[s], ConcurrentHashMap.newKeySet(), yields, counters[s]));
                            return 0;
                        }));
                    } else {
                        set.spawnOn(ss[s], new StrandTest.Exclusive(inFlight[s], max[s], ConcurrentHashMap.newKeySet(), yields, counters[s]));
                    }
                }
                while (rt.blockOn(set.joinNext()) != null) {
                    // drain
                }
                // Tasks spawned from inside other tasks are not in the set: wait for them too.
                SchedulerStressTest.awaitOnlySelfAlive(rt);
                for (int s = 0; s < strands; s++) {
                    assertEquals(1, max[s].get(), "seed " + seed + ": strand " + s + " overlapped");
                    assertEquals(expected[s], counters[s][0], "seed " + seed + ": strand " + s + " lost updates");
                }
            }
        }
    }
}
