package dev.braid.bench;

import dev.braid.runtime.BraidRuntime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The runtimes compared in one process: Braid and its JVM peers. */
enum Peer {
    BRAID("braid"),
    /** Braid with its monitor off (stall detection, coarse clock, deadlock detection):
     *  measures what the monitor costs. Only when asked for with --only. */
    BRAID_NOMON("braid-nomon"),
    /** Braid whose idle workers never spin before they park ({@code parkSpin(0)}): measures
     *  what the default idle spin buys. Only when asked for with --only. */
    BRAID_NOSPIN("braid-nospin"),
    FJP("fjp"),
    VT("vt"),
    /** {@code ArrayBlockingQueue} between platform threads (W6). */
    ABQ_THREADS("abq-threads"),
    /** {@code ArrayBlockingQueue} between virtual threads (W6). */
    ABQ_VT("abq-vt");

    final String key;

    /** The spin limit of braid's and braid-nomon's idle workers ({@code --park-spin-us});
     *  null: the runtime's default. */
    static Integer parkSpinMicros;

    Peer(String key) {
        this.key = key;
    }

    static Peer of(String key) {
        for (Peer p : values()) {
            if (p.key.equalsIgnoreCase(key.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown runtime '" + key + "' (expected braid, braid-nomon, braid-nospin, fjp, vt, abq-threads or abq-vt)");
    }

    /** A fresh runtime of this kind with {@code workers} threads, ready to run {@code w}. */
    Running start(Workload w, int workers) {
        switch (this) {
            case BRAID:
            case BRAID_NOMON:
            case BRAID_NOSPIN: {
                BraidRuntime.Builder b = BraidRuntime.builder().workerThreads(workers).threadNamePrefix("bench-" + w.id)
                        .monitor(this != BRAID_NOMON);
                if (this == BRAID_NOSPIN) {
                    b.parkSpin(Duration.ZERO);
                } else if (parkSpinMicros != null) {
                    b.parkSpin(Duration.ofNanos(parkSpinMicros * 1_000L));
                }
                BraidRuntime rt = b.build();
                return new Running(w.braid(rt), () -> rt.metrics().toString(), () -> rt.shutdown(Duration.ofSeconds(5)));
            }
            case FJP: {
                // asyncMode: local queues are FIFO, as Tokio's are, and as the javadoc recommends
                // for event-style tasks that are never joined.
                ForkJoinPool pool = new ForkJoinPool(workers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
                return new Running(w.fjp(pool), pool::toString, () -> {
                    pool.shutdownNow();
                    return pool.awaitTermination(5, TimeUnit.SECONDS);
                });
            }
            case ABQ_THREADS: {
                // Platform threads are kept across iterations, so an iteration does not pay for
                // starting them.
                ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().name("bench-" + w.id + "-", 0).factory());
                return new Running(w.abqThreads(threads), threads::toString, () -> {
                    threads.shutdownNow();
                    return threads.awaitTermination(5, TimeUnit.SECONDS);
                });
            }
            default: {
                // The carrier count is set once per JVM (Main sets jdk.virtualThreadScheduler.parallelism).
                ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();
                Workload.Iteration it = this == ABQ_VT ? w.abqVt(vts) : w.vt(vts);
                return new Running(it, vts::toString, () -> {
                    vts.shutdownNow();
                    return vts.awaitTermination(5, TimeUnit.SECONDS);
                });
            }
        }
    }

    interface Stopper {
        boolean stop() throws Exception;
    }

    /** A started runtime: the workload's iteration on it, a state dump for hangs, and shutdown. */
    record Running(Workload.Iteration iteration, Supplier<String> state, Stopper stopper) {
        /** Shuts the runtime down; returns false if its threads did not all end in time. */
        boolean stop() {
            try {
                return stopper.stop();
            } catch (Exception e) {
                return false;
            }
        }
    }
}
