package dev.braid.bench;

import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./dev bench idle}: what idle workers cost and what a hand-off into them takes. A
 * thread outside the runtime spawns one tiny task at a time at a fixed rate; for each rate
 * and each {@code parkSpin} limit this reports the workers' CPU (their own thread CPU time,
 * so the spawning thread is not counted) and the spawn-to-first-poll latency. Rates up to
 * 10 kHz are paced by sleeping; faster ones by spinning, which takes one of the cores.
 * Not a BENCHMARKS.md workload: it measures the trade-off of {@code Builder.parkSpin}.
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
        System.out.println("| interval | pacing | parkSpin | rate /s | workers' CPU, % of a core | µs CPU per task "
                + "| spawn to first poll p50 / p99 µs |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        for (long limit : LIMITS_US) {
            try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("idle-bench")
                    .parkSpin(Duration.ofNanos(limit * 1_000)).build()) {
                for (long interval : SLEEP_INTERVALS) {
                    sample(rt, interval, false, limit);
                }
                for (long interval : SPIN_INTERVALS) {
                    sample(rt, interval, true, limit);
                }
            }
        }
        return 0;
    }

    private static void sample(BraidRuntime rt, long interval, boolean spinPaced, long limitUs) {
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
                rt.spawn(cx -> {
                    int i = polled.getAndIncrement(); // two workers may run two of them at once
                    if (i < latency.length) {
                        latency[i] = System.nanoTime() - spawned;
                    }
                    return Poll.ready(null);
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
            row = String.format(Locale.ROOT, "| %d µs | %s | %d µs | %.0f | %.1f | %.2f | %.1f / %.1f |",
                    interval / 1_000, spinPaced ? "spin" : "sleep", limitUs, n * 1e9 / wall, 100.0 * cpu / wall,
                    cpu / 1e3 / n, l[l.length / 2] / 1e3, l[l.length * 99 / 100] / 1e3);
        }
        System.out.println(row);
    }

    private static long workerCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith("idle-bench-worker")) {
                sum += Math.max(0, threads.getThreadCpuTime(ti.getThreadId()));
            }
        }
        return sum;
    }
}
