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

        // 1. Fan out 200 000 tasks from inside tasks: 1 000 batch tasks, each spawning 200
        //    tasks into its own JoinSet and draining it. (One poll spawning all 200 000 would
        //    hold its worker for tens of milliseconds: the monitor would report a stall.)
        AtomicLong sum = new AtomicLong();
        JoinSet<Long> batches = new JoinSet<>(rt);
        for (int b = 0; b < 1_000; b++) {
            long base = b * 200L;
            batches.spawn(Future.lazy(() -> {
                JoinSet<Void> set = new JoinSet<>();
                for (long i = base; i < base + 200; i++) {
                    long v = i;
                    set.spawn(c -> {
                        sum.addAndGet(v);
                        return Poll.ready(null);
                    });
                }
                return set;
            }).andThen(Demo::drain));
        }
        rt.blockOn(drain(batches));
        long total = sum.get();
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

        // 6. A task that wrongly blocks its worker (a JDK queue read inside a poll). Its child
        //    sits in the blocked worker's LIFO slot; the monitor notices the stall, logs a
        //    report with the task and its stack, and hands the child to another worker.
        java.util.concurrent.BlockingQueue<String> handoff = new java.util.concurrent.LinkedBlockingQueue<>();
        long b0 = System.nanoTime();
        String reply = rt.blockOn(rt.spawn("blocks-its-worker", Future.lazy(() -> {
            Braid.spawn("child", Future.lazy(() -> {
                handoff.add("hello from the child");
                return null;
            }));
            try {
                String m = handoff.poll(10, java.util.concurrent.TimeUnit.SECONDS); // blocks the worker!
                return m + " after " + (System.nanoTime() - b0) / 1_000_000 + " ms";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        })));
        System.out.printf("blocking tolerance: %s (stalls detected: %d)%n", reply, rt.metrics().stalls());

        // 7. A task dump: what each live task is doing.
        var inbox = dev.braid.sync.Mpsc.<String>unbounded();
        rt.spawn("inbox-reader", inbox.receiver().recv());
        rt.spawn("napper", Time.sleep(Duration.ofSeconds(30)));
        rt.blockOn(Time.sleep(Duration.ofMillis(5)));
        System.out.println(rt.taskDump());

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
