package dev.braid.cli;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.time.Time;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Says once, in one line, that a job busy computing runs its guest code without the
 * optimizing compiler, and how to get it. Short jobs start sooner interpreted, which is why
 * it is the default; a job that has kept the runtime's threads computing for
 * {@link #BUSY} gains from {@code --jit}. The runtime's threads' CPU time is read every
 * {@link #EVERY}; the task ends once it has spoken, and with the runtime.
 */
final class InterpreterNotice implements Future<Void> {
    static final Duration BUSY = Duration.ofSeconds(5);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final LongSupplier cpuNanos;
    private final long baseline;
    private final PrintStream err;
    private final boolean jitAvailable;
    private Future<Void> tick;

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

    @Override
    public Poll<Void> poll(Context cx) {
        while (true) {
            if (tick == null) {
                tick = Time.sleep(EVERY);
            }
            if (tick.poll(cx).isPending()) {
                return Poll.pending();
            }
            tick = null;
            if (cpuNanos.getAsLong() - baseline >= BUSY.toNanos()) {
                err.println(text(jitAvailable));
                err.flush();
                return Poll.ready(null);
            }
        }
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
