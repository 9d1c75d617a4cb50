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

    /** An iteration that also records its {@link HopSplit}. */
    abstract static class SplitIteration implements Iteration {
        final HopSplit split = new HopSplit();

        @Override
        public void run() throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            long spawned = System.nanoTime();
            start(done);
            Harness.await(done);
            split.record(spawned, System.nanoTime());
        }

        /** Starts the chain's first link, which stamps {@link HopSplit#firstRan}. */
        abstract void start(CountDownLatch done);

        /** The last link: stamps {@link HopSplit#lastRan}, then signals. */
        final Runnable last(CountDownLatch done) {
            return () -> {
                split.lastRan = System.nanoTime();
                done.countDown();
            };
        }
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        if (split) {
            return new SplitIteration() {
                @Override
                void start(CountDownLatch done) {
                    Runnable last = last(done);
                    rt.spawn(cx -> {
                        split.firstRan = System.nanoTime();
                        braidIter(last, ITER);
                        return Poll.ready(null);
                    });
                }
            };
        }
        return () -> {
            CountDownLatch done = new CountDownLatch(1);
            rt.spawn(cx -> {
                braidIter(done, ITER);
                return Poll.ready(null);
            });
            Harness.await(done);
        };
    }

    private static void braidIter(CountDownLatch done, int n) {
        if (n == 0) {
            done.countDown();
        } else {
            Braid.spawn(cx -> {
                braidIter(done, n - 1);
                return Poll.ready(null);
            });
        }
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
        if (split) {
            return new SplitIteration() {
                @Override
                void start(CountDownLatch done) {
                    Runnable last = last(done);
                    pool.execute(new RecursiveAction() {
                        @Override
                        protected void compute() {
                            split.firstRan = System.nanoTime();
                            new SplitLink(last, ITER).compute();
                        }
                    });
                }
            };
        }
        return () -> {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(new Link(done, ITER));
            Harness.await(done);
        };
    }

    /** One link of the chain: forks the next one (a push onto the worker's own queue). */
    static final class Link extends RecursiveAction {
        private final CountDownLatch done;
        private final int n;

        Link(CountDownLatch done, int n) {
            this.done = done;
            this.n = n;
        }

        @Override
        protected void compute() {
            if (n == 0) {
                done.countDown();
            } else {
                new Link(done, n - 1).fork();
            }
        }
    }

    /** {@link Link} whose last link runs {@code last}. */
    static final class SplitLink extends RecursiveAction {
        private final Runnable last;
        private final int n;

        SplitLink(Runnable last, int n) {
            this.last = last;
            this.n = n;
        }

        @Override
        protected void compute() {
            if (n == 0) {
                last.run();
            } else {
                new SplitLink(last, n - 1).fork();
            }
        }
    }

    @Override
    Iteration vt(ExecutorService vts) {
        if (split) {
            return new SplitIteration() {
                @Override
                void start(CountDownLatch done) {
                    Runnable last = last(done);
                    vts.execute(() -> {
                        split.firstRan = System.nanoTime();
                        vtIter(vts, last, ITER);
                    });
                }
            };
        }
        return () -> {
            CountDownLatch done = new CountDownLatch(1);
            vts.execute(() -> vtIter(vts, done, ITER));
            Harness.await(done);
        };
    }

    private static void vtIter(ExecutorService vts, CountDownLatch done, int n) {
        if (n == 0) {
            done.countDown();
        } else {
            vts.execute(() -> vtIter(vts, done, n - 1));
        }
    }

    private static void vtIter(ExecutorService vts, Runnable last, int n) {
        if (n == 0) {
            last.run();
        } else {
            vts.execute(() -> vtIter(vts, last, n - 1));
        }
    }
}
