package dev.braid.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Says once, in one line, that a job busy computing runs its guest code without the
 * optimizing compiler, and how to get it. Short jobs start sooner interpreted, which is why
 * it is the default; a job whose runtime threads have computed for {@link #BUSY} gains from
 * {@code --jit}. Checked every {@link #EVERY} on a daemon thread of its own, outside the
 * runtime: a timer there would keep the runtime from ever looking idle, and so from
 * reporting a job that waits for nothing.
 */
final class InterpreterNotice {
    static final Duration BUSY = Duration.ofSeconds(5);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final LongSupplier cpuNanos;
    private final long baseline;
    private final PrintStream err;
    private final boolean jitAvailable;
    private boolean told;

    InterpreterNotice(LongSupplier cpuNanos, PrintStream err, boolean jitAvailable) {
        this.cpuNanos = cpuNanos;
        this.baseline = cpuNanos.getAsLong();
        this.err = err;
        this.jitAvailable = jitAvailable;
    }

    /** The line it prints. */
    static String text(boolean jitAvailable) {
        return "braid: guest code runs in the interpreter (no optimizing compiler); for CPU-bound jobs "
                + (jitAvailable ? "`braid --jit run ...` compiles it with Graal"
                                : "`braid --jit run ...` with a JDK 25 (BRAID_JDK or JAVA_HOME) compiles it with Graal");
    }

    /** One check: prints the line if the threads have been busy enough. True once it has spoken. */
    synchronized boolean check() {
        if (!told && cpuNanos.getAsLong() - baseline >= BUSY.toNanos()) {
            told = true;
            err.println(text(jitAvailable));
            err.flush();
        }
        return told;
    }

    /** Checks every {@link #EVERY} until it has spoken; what it returns stops the checks. */
    Runnable start() {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "interpreter-notice"); // not "braid-": its own CPU is not the job's
            t.setDaemon(true);
            return t;
        });
        checks.scheduleWithFixedDelay(() -> {
            if (check()) {
                checks.shutdown();
            }
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return checks::shutdownNow; // (the list of checks not run is of no use)
    }

    /** The CPU time of the live threads whose names start with {@code prefix} (the runtime's). */
    static LongSupplier cpuOfThreads(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return () -> {
            long sum = 0;
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
                if (t != null && t.getThreadName().startsWith(prefix)) {
                    long cpu = mx.getThreadCpuTime(t.getThreadId());
                    if (cpu > 0) {
                        sum += cpu;
                    }
                }
            }
            return sum;
        };
    }
}
