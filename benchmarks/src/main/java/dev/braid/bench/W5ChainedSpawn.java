package dev.braid.bench;

import dev.braid.future.Poll;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * W5 chained_spawn — spawn-to-first-poll latency when there is exactly one runnable task at
 * a time. A port of Tokio's {@code chained_spawn} with its constant: a task spawns a task
 * that spawns a task … 1 000 deep, and the last one signals the benchmark thread. Reported
 * per iteration (the whole chain).
 *
 * <p>With {@code --split} ({@link #split}) each iteration also records where its time goes
 * ({@link HopSplit}): the first and the last link stamp the clock, in every runtime alike.
 */
final class W5ChainedSpawn extends Workload {
    static final int ITER = 1_000;

    /** Set by {@code --split}: iterations record a {@link HopSplit}. */
    static boolean split;

    W5ChainedSpawn() {
        super("W5", "chained_spawn", "µs/iter", 1_000, 282, 251);
    }

    /** Starts one chain: {@code first} runs in the first link, {@code last} in the last. */
    interface Chain {
        void start(Runnable first, Runnable last);
    }

    /**
     * One iteration: start the chain and wait for its signal. With {@code --split} the first
     * and the last link also stamp the clock ({@link HopSplit}); the same in every runtime.
     */
    private static Iteration iteration(Chain chain) {
        if (!split) {
            Runnable nothing = () -> { };
            return () -> {
                CountDownLatch done = new CountDownLatch(1);
                chain.start(nothing, done::countDown);
                Harness.await(done);
            };
        }
        HopSplit hops = new HopSplit();
        Runnable first = () -> hops.firstRan = System.nanoTime();
        return new SplitIteration(hops) {
            @Override
            public void run() throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                long spawned = System.nanoTime();
                chain.start(first, () -> {
                    hops.lastRan = System.nanoTime();
                    done.countDown();
                });
                Harness.await(done);
                hops.record(spawned, System.nanoTime());
            }
        };
    }

    /** An iteration that records where its time goes; the harness reports {@link #split}. */
    abstract static class SplitIteration implements Iteration {
        final HopSplit split;

        SplitIteration(HopSplit split) {
            this.split = split;
        }
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return iteration((first, last) -> rt.spawn(cx -> {
            first.run();
            braidIter(last, ITER);
            return Poll.ready(null);
        }));
    }

    private static void braidIter(Runnable last, int n) {
        if (n == 0) {
            last.run();
        } else {
            Braid.spawn(cx -> {
                braidIter(last, n - 1);
                return Poll.ready(null);
            });
        }
    }

    @Override
    Iteration fjp(ForkJoinPool pool) {
        return iteration((first, last) -> pool.execute(new RecursiveAction() {
            @Override
            protected void compute() {
                first.run();
                new Link(last, ITER).compute();
            }
        }));
    }

    /** One link of the chain: forks the next one (a push onto the worker's own queue). */
    static final class Link extends RecursiveAction {
        private final Runnable last;
        private final int n;

        Link(Runnable last, int n) {
            this.last = last;
            this.n = n;
        }

        @Override
        protected void compute() {
            if (n == 0) {
                last.run();
            } else {
                new Link(last, n - 1).fork();
            }
        }
    }

    @Override
    Iteration vt(ExecutorService vts) {
        return iteration((first, last) -> vts.execute(() -> {
            first.run();
            vtIter(vts, last, ITER);
        }));
    }

    private static void vtIter(ExecutorService vts, Runnable last, int n) {
        if (n == 0) {
            last.run();
        } else {
            vts.execute(() -> vtIter(vts, last, n - 1));
        }
    }
}
