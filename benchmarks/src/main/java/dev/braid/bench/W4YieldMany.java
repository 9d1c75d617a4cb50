package dev.braid.bench;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * W4 yield_many — the cost of a task going to the back of the run queue and being polled
 * again. A port of Tokio's {@code yield_many} with its constants: the benchmark thread
 * spawns 200 tasks, each yields 1 000 times ({@code yield_now().await}) and then signals;
 * the iteration ends after all 200 signals. Reported per iteration (200 000 yields).
 */
final class W4YieldMany extends Workload {
    static final int TASKS = 200;
    static final int NUM_YIELD = 1_000;

    W4YieldMany() {
        super("W4", "yield_many", "µs/iter", 1_000, 17_888, 17_646);
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return () -> {
            CountDownLatch done = new CountDownLatch(TASKS);
            for (int i = 0; i < TASKS; i++) {
                rt.spawn(new Yielder(done));
            }
            Harness.await(done);
        };
    }

    /** {@code for _ in 0..NUM_YIELD { yield_now().await } tx.send(())} as a state machine. */
    static final class Yielder implements Future<Void> {
        private final CountDownLatch done;
        private int left = NUM_YIELD;
        private Future<Void> yielding;

        Yielder(CountDownLatch done) {
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (left > 0) {
                if (yielding == null) {
                    yielding = Braid.yieldNow();
                }
                if (yielding.poll(cx).isPending()) {
                    return Poll.pending();
                }
                yielding = null;
                left--;
            }
            done.countDown();
            return Poll.ready(null);
        }
    }

    /**
     * A pool task cannot suspend, so a yield is the task re-submitting itself: on a worker of
     * a FIFO-mode pool that is the back of its own queue, as in Tokio.
     */
    @Override
    Iteration fjp(ForkJoinPool pool) {
        return () -> {
            CountDownLatch done = new CountDownLatch(TASKS);
            for (int i = 0; i < TASKS; i++) {
                pool.execute(new Runnable() {
                    private int left = NUM_YIELD;

                    @Override
                    public void run() {
                        if (left-- > 0) {
                            pool.execute(this);
                        } else {
                            done.countDown();
                        }
                    }
                });
            }
            Harness.await(done);
        };
    }

    @Override
    Iteration vt(ExecutorService vts) {
        return () -> {
            CountDownLatch done = new CountDownLatch(TASKS);
            for (int i = 0; i < TASKS; i++) {
                vts.execute(() -> {
                    for (int y = 0; y < NUM_YIELD; y++) {
                        Thread.yield();
                    }
                    done.countDown();
                });
            }
            Harness.await(done);
        };
    }
}
