package dev.braid.bench;

import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W2 spawn_many_remote — W1, but the 100 000 no-op tasks are spawned by the benchmark
 * thread, which is outside the runtime: every spawn goes through the shared (inject /
 * submission) queue and may wake a parked worker. Tokio's {@code spawn_many} spawns from
 * {@code block_on}, which is such an outside thread. Reported per task.
 */
final class W2SpawnManyRemote extends Workload {
    static final int TASKS = 100_000;

    W2SpawnManyRemote() {
        super("W2", "spawn_many_remote", "ns/task", TASKS, 945, Double.NaN);
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < TASKS; i++) {
                rt.spawn(c -> {
                    if (rem.decrementAndGet() == 0) {
                        done.countDown();
                    }
                    return Poll.ready(null);
                });
            }
            Harness.await(done);
        };
    }

    @Override
    Iteration fjp(ForkJoinPool pool) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < TASKS; i++) {
                pool.execute(() -> { // from outside: the external submission queue
                    if (rem.decrementAndGet() == 0) {
                        done.countDown();
                    }
                });
            }
            Harness.await(done);
        };
    }

    @Override
    Iteration vt(ExecutorService vts) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(TASKS);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < TASKS; i++) {
                vts.execute(() -> {
                    if (rem.decrementAndGet() == 0) {
                        done.countDown();
                    }
                });
            }
            Harness.await(done);
        };
    }
}
