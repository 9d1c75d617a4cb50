package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class StrandTest {

    /** A task body that checks nobody else of its strand is inside a poll at the same time. */
    static final class Exclusive implements Future<Integer> {
        private final AtomicInteger inFlight;
        private final AtomicInteger maxSeen;
        private final Set<String> threads;
        private int yieldsLeft;
        private final int[] unsyncCounter;

        Exclusive(AtomicInteger inFlight, AtomicInteger maxSeen, Set<String> threads, int yields, int[] counter) {
            this.inFlight = inFlight;
            this.maxSeen = maxSeen;
            this.threads = threads;
            this.yieldsLeft = yields;
            this.unsyncCounter = counter;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            int now = inFlight.incrementAndGet();
            maxSeen.accumulateAndGet(now, Math::max);
            threads.add(Thread.currentThread().getName());
            unsyncCounter[0]++; // safe only because the strand serialises us
            for (int i = 0; i < 50; i++) {
                Thread.onSpinWait(); // widen the window for an overlap to show
            }
            inFlight.decrementAndGet();
            if (yieldsLeft-- > 0) {
                cx.waker().wake();
                return Poll.pending();
            }
            return Poll.ready(1);
        }
    }

    /** Slice hooks bracket every task's poll, on the task's own thread, balanced. */
    @Test
    void sliceHooks_bracketEveryTask_onItsThread() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("hooks").build()) {
            ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
            java.util.concurrent.atomic.AtomicInteger enters = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger leaves = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger outside = new java.util.concurrent.atomic.AtomicInteger();
            Strand s = rt.newStrand("hooked", new Strand.SliceHooks() {
                @Override
                public void enter() {
                    if (inside.get()) {
                        outside.incrementAndGet(); // entered twice on one thread
                    }
                    inside.set(true);
                    enters.incrementAndGet();
                }

                @Override
                public void leave() {
                    if (!inside.get()) {
                        outside.incrementAndGet(); // left a thread it had not entered
                    }
                    inside.set(false);
                    leaves.incrementAndGet();
                }
            });
            java.util.List<JoinHandle<Integer>> hs = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int v = i;
                hs.add(s.spawn(Braid.yieldNow().map(x -> {
                    if (!inside.get()) {
                        outside.incrementAndGet();
                    }
                    return v;
                })));
            }
            long sum = 0;
            for (JoinHandle<Integer> h : hs) {
                sum += rt.blockOn(h);
            }
            assertEquals(1_999L * 2_000 / 2, sum);
            assertEquals(0, outside.get(), "a task ran outside enter/leave, or hooks nested");
            assertEquals(enters.get(), leaves.get());
            assertTrue(enters.get() >= 2_000 * 2 / 32, "slices: " + enters.get());
        }
    }

    @Test
    void strand_neverRunsTwoOfItsTasksAtOnce_butMovesBetweenWorkers() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("strand-test")
                .strandSliceTasks(8).build()) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            // Which workers a strand lands on is up to the OS scheduler: on a loaded machine one
            // worker may not get a core for a whole round, so allow a few rounds to see both.
            for (int round = 0; round < 5 && workerSlots(threads) < 2; round++) {
                int strands = 8;
                int tasksPerStrand = 200;
                int yields = 20;
                AtomicInteger[] inFlight = new AtomicInteger[strands];
                AtomicInteger[] max = new AtomicInteger[strands];
                int[][] counters = new int[strands][1];
                JoinSet<Integer> set = new JoinSet<>(rt);
                for (int s = 0; s < strands; s++) {
                    inFlight[s] = new AtomicInteger();
                    max[s] = new AtomicInteger();
                    Strand strand = rt.newStrand("s" + s);
                    for (int t = 0; t < tasksPerStrand; t++) {
                        set.spawnOn(strand, new Exclusive(inFlight[s], max[s], threads, yields, counters[s]));
                    }
                }
                // Non-strand noise on the same workers.
                for (int i = 0; i < 2000; i++) {
                    set.spawn(Braid.yieldNow().map(v -> 1));
                }
                long done = 0;
                JoinResult<Integer> r;
                while ((r = rt.blockOn(set.joinNext())) != null) {
                    done += r.get();
                }
                assertEquals(strands * tasksPerStrand + 2000, done);
                for (int s = 0; s < strands; s++) {
                    assertEquals(1, max[s].get(), "strand " + s + " ran two tasks at once");
                    assertEquals(tasksPerStrand * (yields + 1), counters[s][0], "unsynchronised counter of strand " + s);
                }
            }
            assertEquals(2, workerSlots(threads), "strands ran on both workers in 5 rounds: " + threads);
        }
    }

    /**
     * Worker slots, not threads: the monitor may replace a worker whose poll looked stalled on
     * a small shared machine ("-worker-1.2" is slot 1's second thread).
     */
    private static long workerSlots(Set<String> threads) {
        return threads.stream().map(t -> t.replaceAll("\\.\\d+$", "")).distinct().count();
    }

    @Test
    void strand_yieldsAfterASlice_soOtherTasksRun() {
        int slice = 4;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("strand-fair")
                .strandSliceTasks(slice).build()) {
            Strand strand = rt.newStrand("busy");
            AtomicInteger otherRan = new AtomicInteger();
            AtomicInteger strandPolls = new AtomicInteger();
            AtomicInteger pollsAtSpawn = new AtomicInteger(-1);
            AtomicInteger pollsWhenOtherRan = new AtomicInteger(-1);
            Future<Integer> other = Future.lazy(() -> {
                pollsWhenOtherRan.set(strandPolls.get());
                return otherRan.incrementAndGet();
            });
            // A strand full of always-runnable tasks; the first poll spawns an ordinary task
            // (from the worker, so it waits in the worker's LIFO slot). The strand must let
            // it run once its current slice is over, not after the strand's work is done.
            JoinSet<Object> set = new JoinSet<>(rt);
            for (int i = 0; i < 100; i++) {
                set.spawnOn(strand, cx -> {
                    int n = strandPolls.incrementAndGet();
                    if (pollsAtSpawn.compareAndSet(-1, n)) {
                        Braid.spawn(other);
                    }
                    // (n > 2000: a strand that never yields still ends, and fails the assertion.)
                    return otherRan.get() > 0 || n > 2000 ? Poll.ready(null) : yieldOnce(cx);
                });
            }
            while (rt.blockOn(set.joinNext()) != null) {
                // drain
            }
            assertEquals(1, otherRan.get());
            int waited = pollsWhenOtherRan.get() - pollsAtSpawn.get();
            assertTrue(waited < slice, "the other task waited for " + waited + " strand polls (slice " + slice + ")");
            assertTrue(strand.slices() > 1);
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    private static <T> Poll<T> yieldOnce(Context cx) {
        cx.waker().wake();
        return Poll.pending();
    }
}
