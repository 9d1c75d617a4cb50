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
 */
final class W5ChainedSpawn extends Workload {
    static final int ITER = 1_000;

    W5ChainedSpawn() {
        super("W5", "chained_spawn", "µs/iter", 1_000, 282, 251);
    }

    @Override
    Iteration braid(BraidRuntime rt) {
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

    @Override
    Iteration fjp(ForkJoinPool pool) {
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

    @Override
    Iteration vt(ExecutorService vts) {
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
}
