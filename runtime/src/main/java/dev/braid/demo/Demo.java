package dev.braid.demo;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinResult;
import dev.braid.runtime.JoinSet;
import dev.braid.runtime.Strand;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tour of the runtime core, run by the README's first command: a work-stealing fan-out,
 * a strand, a JoinSet, select, timers, blocking work, and the metrics that show what happened.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        BraidRuntime rt = BraidRuntime.builder().workerThreads(workers).threadNamePrefix("demo").build();
        long t0 = System.nanoTime();

        // 1. Fan out 200 000 tasks from inside a task; each adds its index.
        AtomicLong sum = new AtomicLong();
        long total = rt.blockOn(rt.spawn("fan-out", cx -> {
            JoinSet<Void> set = new JoinSet<>();
            for (int i = 0; i < 200_000; i++) {
                long v = i;
                set.spawn(c -> {
                    sum.addAndGet(v);
                    return Poll.ready(null);
                });
            }
            return Poll.ready(set);
        }).andThen(Demo::drain).map(n -> sum.get()));
        System.out.printf("fan-out: 200000 tasks, sum=%d (expected %d)%n", total, 199_999L * 200_000 / 2);

        // 2. A strand: 1 000 tasks bump a plain (unsynchronised) counter; the strand makes it safe.
        Strand strand = rt.newStrand("counter");
        int[] counter = {0};
        JoinSet<Void> strandTasks = new JoinSet<>(rt);
        for (int i = 0; i < 1_000; i++) {
            strandTasks.spawnOn(strand, Braid.yieldNow().map(v -> {
                counter[0]++;
                return null;
            }));
        }
        rt.blockOn(drain(strandTasks));
        System.out.printf("strand: counter=%d after 1000 tasks in %d slices%n", counter[0], strand.slices());

        // 3. select: a task that yields 10 times against one that yields 1000 times.
        var winner = rt.blockOn(Futures.select(yields(10, "quick"), yields(1_000, "slow")));
        System.out.printf("select: winner=%s (index %d); the loser was dropped%n", winner.value(), winner.index());

        // 4. Timers: 10 000 concurrent sleeps of 1..100 ms, then a timeout that elapses.
        JoinSet<Void> sleepers = new JoinSet<>(rt);
        java.util.Random rnd = new java.util.Random(1);
        long s0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            sleepers.spawn(Time.sleep(Duration.ofMillis(1 + rnd.nextInt(100))));
        }
        rt.blockOn(drain(sleepers));
        System.out.printf("timers: 10000 sleeps of up to 100 ms done in %.1f ms%n", (System.nanoTime() - s0) / 1e6);
        try {
            rt.blockOn(Future.never().timeout(Duration.ofMillis(20)));
        } catch (ElapsedException e) {
            System.out.println("timeout: " + e.getMessage() + "; the inner future was dropped");
        }

        // 5. Blocking work goes to the blocking pool, not to a worker.
        String who = rt.blockOn(rt.spawnBlocking(() -> Thread.currentThread().getName()));
        System.out.printf("spawnBlocking ran on %s%n", who);

        System.out.printf("elapsed %.1f ms on %d workers%n", (System.nanoTime() - t0) / 1e6, workers);
        System.out.println(rt.metrics());
        boolean clean = rt.shutdown(Duration.ofSeconds(5));
        System.out.println("shutdown " + (clean ? "clean: every runtime thread ended" : "timed out"));
    }

    private static <T> Future<Long> drain(JoinSet<T> set) {
        long[] n = {0};
        return new Future<>() {
            private Future<JoinResult<T>> next;

            @Override
            public Poll<Long> poll(dev.braid.future.Context cx) {
                for (;;) {
                    if (next == null) {
                        next = set.joinNext();
                    }
                    Poll<JoinResult<T>> p = next.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    next = null;
                    if (p.value() == null) {
                        return Poll.ready(n[0]);
                    }
                    p.value().get();
                    n[0]++;
                }
            }
        };
    }

    private static Future<String> yields(int times, String label) {
        Future<Void> f = Braid.yieldNow();
        for (int i = 1; i < times; i++) {
            f = f.andThen(v -> Braid.yieldNow());
        }
        return f.map(v -> label);
    }
}
