package dev.braid.bench;

import dev.braid.future.Poll;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W1 spawn_many_local — the cost of spawning and running a trivial task from inside the
 * runtime. Tokio's {@code spawn_many} (rt_multi_threaded.rs) spawns no-op tasks that each
 * do {@code rem.fetch_sub(1)}, the last one sends on a channel the bench thread waits on;
 * Tokio's bench uses 100 000 tasks and spawns them from inside a runtime task. Reported
 * per task.
 */
final class W1SpawnManyLocal extends Workload {
    static final int TASKS = 100_000;

    W1SpawnManyLocal() {
        super("W1", "spawn_many_local", "ns/task", TASKS, 952, 318);
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            rt.spawn(cx -> {
                for (int i = 0; i < TASKS; i++) {
                    Braid.spawn(c -> {
                        if (rem.decrementAndGet() == 0) {
                            done.countDown();
                        }
                        return Poll.ready(null);
                    });
                }
                return Poll.ready(null);
            });
            Harness.await(done);
        };
    }

    @Override
    Iteration fjp(ForkJoinPool pool) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                for (int i = 0; i < TASKS; i++) {
                    new Decrement(rem, done).fork(); // on a worker: a push onto its own queue
                }
            });
            Harness.await(done);
        };
    }

    @Override
    Iteration vt(ExecutorService vts) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            vts.execute(() -> {
                for (int i = 0; i < TASKS; i++) {
                    vts.execute(() -> {
                        if (rem.decrementAndGet() == 0) {
                            done.countDown();
                        }
                    });
                }
            });
            Harness.await(done);
        };
    }

    /** The no-op task for the pool: count down, the last one signals. */
    static final class Decrement extends RecursiveAction {
        private final AtomicInteger rem;
        private final CountDownLatch done;

        Decrement(AtomicInteger rem, CountDownLatch done) {
            this.rem = rem;
            this.done = done;
        }

        @Override
        protected void compute() {
            if (rem.decrementAndGet() == 0) {
                done.countDown();
            }
        }
    }
}
