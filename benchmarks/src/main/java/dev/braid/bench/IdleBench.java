package dev.braid.bench;

import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./dev bench idle}: what idle workers cost and what a hand-off into them takes. A
 * thread outside the runtime spawns one tiny task at a time at a fixed rate; for each rate
 * and each {@code parkSpin} limit this reports the workers' CPU (their own thread CPU time,
 * so the spawning thread is not counted) and the spawn-to-first-poll latency. Rates up to
 * 10 kHz are paced by sleeping; faster ones by spinning, which takes one of the cores.
 * ForkJoinPool (2 workers) runs the same rows as the peer: its workers spin briefly before
 * they park. Not one of the W workloads: it measures the trade-off of
 * {@code Builder.parkSpin}.
 */
final class IdleBench {
    private static final long[] SLEEP_INTERVALS = {1_000_000, 100_000};
    private static final long[] SPIN_INTERVALS = {100_000, 50_000, 30_000, 15_000};
    private static final long[] LIMITS_US = {0, 20, 50};
    private static final long SAMPLE_NANOS = 2_000_000_000L;

    private IdleBench() {
    }

    static boolean wants(String[] args) {
        return args.length > 0 && args[0].equalsIgnoreCase("idle");
    }

    static int run(String[] args) {
        System.out.println("Idle workers: an outside thread spawns one tiny task per interval; 2 workers; "
                + "each cell is the second of two 2 s samples (the first warms up)");
        System.out.println("| interval | pacing | pool | rate /s | workers' CPU, % of a core | µs CPU per task "
                + "| spawn to first poll p50 / p99 µs |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|");
        for (long limit : LIMITS_US) {
            try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix(WORKERS)
                    .parkSpin(Duration.ofNanos(limit * 1_000)).build()) {
                rows("Braid, parkSpin " + limit + " µs", task -> rt.spawn(cx -> {
                    task.run();
                    return Poll.ready(null);
                }));
            }
        }
        ForkJoinPool fjp = new ForkJoinPool(2, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName(WORKERS + "-worker-fjp-" + t.getPoolIndex());
            return t;
        }, null, false);
        try {
            rows("ForkJoinPool", fjp::execute);
        } finally {
            fjp.shutdownNow();
        }
        return 0;
    }

    private static final String WORKERS = "idle-bench";

    private static void rows(String pool, Consumer<Runnable> submit) {
        for (long interval : SLEEP_INTERVALS) {
            sample(submit, interval, false, pool);
        }
        for (long interval : SPIN_INTERVALS) {
            sample(submit, interval, true, pool);
        }
    }

    private static void sample(Consumer<Runnable> submit, long interval, boolean spinPaced, String pool) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String row = null;
        for (int round = 0; round < 2; round++) {
            long[] latency = new long[(int) (2 * SAMPLE_NANOS / interval) + 16];
            java.util.concurrent.atomic.AtomicInteger polled = new java.util.concurrent.atomic.AtomicInteger();
            long cpu0 = workerCpu(threads);
            long t0 = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - t0 < SAMPLE_NANOS) {
                long spawned = System.nanoTime();
                submit.accept(() -> {
                    int i = polled.getAndIncrement(); // two workers may run two of them at once
                    if (i < latency.length) {
                        latency[i] = System.nanoTime() - spawned;
                    }
                });
                n++;
                if (spinPaced) {
                    long next = t0 + n * interval;
                    while (System.nanoTime() - next < 0) {
                        Thread.onSpinWait();
                    }
                } else {
                    LockSupport.parkNanos(interval);
                }
            }
            long wall = System.nanoTime() - t0;
            long cpu = workerCpu(threads) - cpu0;
            long[] l = Arrays.copyOf(latency, Math.min(polled.get(), latency.length));
            Arrays.sort(l);
            row = String.format(Locale.ROOT, "| %d µs | %s | %s | %.0f | %.1f | %.2f | %.1f / %.1f |",
                    interval / 1_000, spinPaced ? "spin" : "sleep", pool, n * 1e9 / wall, 100.0 * cpu / wall,
                    cpu / 1e3 / n, l[l.length / 2] / 1e3, l[l.length * 99 / 100] / 1e3);
        }
        System.out.println(row);
    }

    private static long workerCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith(WORKERS + "-worker")) {
                sum += Math.max(0, threads.getThreadCpuTime(ti.getThreadId()));
            }
        }
        return sum;
    }
}
