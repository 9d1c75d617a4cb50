package dev.braid.bench;

import dev.braid.runtime.BraidRuntime;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * One workload (docs/performance.md lists them), written once per runtime. An {@link Iteration} does the
 * whole work once (e.g. all 100 000 spawns) and returns when the last task has signalled;
 * the harness times many iterations and divides by {@link #perIteration} to get the unit.
 */
abstract class Workload {
    /** One complete run of the workload; returns after the completion signal arrived. */
    interface Iteration {
        void run() throws Exception;
    }

    final String id;
    final String name;
    /** Unit of the reported figure, e.g. "ns/task" or "µs/iter". */
    final String unit;
    /** Nanoseconds per iteration are divided by this to give {@link #unit}. */
    final double perIteration;
    /** Tokio 1.24.2 (multi-thread, 2 workers) and Tokio single-thread medians from
     *  docs/performance.md, measured on this machine on 2026-11-22; NaN if not given. */
    final double tokio;
    final double tokioSingle;

    Workload(String id, String name, String unit, double perIteration, double tokio, double tokioSingle) {
        this.id = id;
        this.name = name;
        this.unit = unit;
        this.perIteration = perIteration;
        this.tokio = tokio;
        this.tokioSingle = tokioSingle;
    }

    abstract Iteration braid(BraidRuntime rt);

    /** {@code pool} is a ForkJoinPool with the requested parallelism, in async (FIFO) mode. */
    abstract Iteration fjp(ForkJoinPool pool);

    /** {@code vts} is {@code Executors.newVirtualThreadPerTaskExecutor()}. */
    abstract Iteration vt(ExecutorService vts);

    /** The runtimes this workload is written for (W6 has its own peers). */
    Set<Peer> peers() {
        return EnumSet.of(Peer.BRAID, Peer.BRAID_NOMON, Peer.BRAID_NOSPIN, Peer.FJP, Peer.VT);
    }

    /** {@code ArrayBlockingQueue} with platform threads from {@code threads}, a cached pool. */
    Iteration abqThreads(ExecutorService threads) {
        throw new UnsupportedOperationException(id + " has no ArrayBlockingQueue peer");
    }

    /** {@code ArrayBlockingQueue} with virtual threads from {@code vts}. */
    Iteration abqVt(ExecutorService vts) {
        throw new UnsupportedOperationException(id + " has no ArrayBlockingQueue peer");
    }

    /**
     * The reported figure for one sample of {@code nanosPerIteration}: by default nanoseconds
     * divided by {@link #perIteration} (lower is better); a throughput workload overrides this
     * and {@link #higherIsBetter()}.
     */
    double figure(double nanosPerIteration) {
        return nanosPerIteration / perIteration;
    }

    /** CPU nanoseconds per iteration in the unit of a time figure ({@link #unit} for the
     *  workloads timed per task or iteration; per message for a throughput workload). */
    double cpuFigure(double cpuNanosPerIteration) {
        return cpuNanosPerIteration / perIteration;
    }

    /** The unit of {@link #cpuFigure}. */
    String cpuUnit() {
        return unit;
    }

    boolean higherIsBetter() {
        return false;
    }

    String label() {
        return id + " " + name;
    }
}
