package dev.braid.bench;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.Braid;
import dev.braid.runtime.BraidRuntime;
import dev.braid.sync.Oneshot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W3 ping_pong — spawn plus wake-up latency between tasks. A port of Tokio's
 * {@code ping_pong} with its constant (1 000): one task spawns 1 000 "ping" tasks; each ping
 * makes two oneshot channels, spawns a "pong" task that awaits the first and answers on the
 * second, sends on the first and awaits the answer; then it decrements a shared counter and
 * the last one signals the benchmark thread. Three task schedules per ping (ping, pong, ping
 * woken again). Reported per iteration (all 1 000 pings).
 */
final class W3PingPong extends Workload {
    static final int NUM_PINGS = 1_000;

    W3PingPong() {
        super("W3", "ping_pong", "µs/iter", 1_000, 1_743, 814);
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(NUM_PINGS);
            CountDownLatch done = new CountDownLatch(1);
            rt.spawn(cx -> {
                for (int i = 0; i < NUM_PINGS; i++) {
                    Braid.spawn(new Ping(rem, done));
                }
                return Poll.ready(null);
            });
            Harness.await(done);
        };
    }

    /** The ping task as a two-state machine: before and after sending on the first channel. */
    static final class Ping implements Future<Void> {
        private final AtomicInteger rem;
        private final CountDownLatch done;
        private Oneshot.Receiver<Void> rx2; // null until the pong is spawned and pinged

        Ping(AtomicInteger rem, CountDownLatch done) {
            this.rem = rem;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (rx2 == null) {
                Oneshot<Void> ch1 = Oneshot.channel();
                Oneshot<Void> ch2 = Oneshot.channel();
                Oneshot.Sender<Void> tx2 = ch2.sender();
                Braid.spawn(ch1.receiver().map(v -> { // pong: rx1.await; tx2.send(())
                    if (!tx2.send(null)) {
                        throw new IllegalStateException("ping went away");
                    }
                    return null;
                }));
                if (!ch1.sender().send(null)) {
                    throw new IllegalStateException("pong went away");
                }
                rx2 = ch2.receiver();
            }
            if (rx2.poll(cx).isPending()) {
                return Poll.pending();
            }
            if (rem.decrementAndGet() == 0) {
                done.countDown();
            }
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            if (rx2 != null) {
                rx2.drop();
            }
        }
    }

    /**
     * CompletableFuture as the oneshot; each await is an async continuation on the pool, so a
     * ping costs the same three task schedules as in Tokio.
     */
    @Override
    Iteration fjp(ForkJoinPool pool) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(NUM_PINGS);
            CountDownLatch done = new CountDownLatch(1);
            CompletableFuture.runAsync(() -> {
                for (int i = 0; i < NUM_PINGS; i++) {
                    CompletableFuture.runAsync(() -> {
                        CompletableFuture<Void> ch1 = new CompletableFuture<>();
                        CompletableFuture<Void> ch2 = new CompletableFuture<>();
                        ch1.thenRunAsync(() -> ch2.complete(null), pool); // pong
                        ch1.complete(null);
                        ch2.thenRunAsync(() -> {
                            if (rem.decrementAndGet() == 0) {
                                done.countDown();
                            }
                        }, pool);
                    }, pool);
                }
            }, pool);
            Harness.await(done);
        };
    }

    /** Virtual threads block on CompletableFuture.join() as their oneshot receive. */
    @Override
    Iteration vt(ExecutorService vts) {
        return () -> {
            AtomicInteger rem = new AtomicInteger(NUM_PINGS);
            CountDownLatch done = new CountDownLatch(1);
            vts.execute(() -> {
                for (int i = 0; i < NUM_PINGS; i++) {
                    vts.execute(() -> {
                        CompletableFuture<Void> ch1 = new CompletableFuture<>();
                        CompletableFuture<Void> ch2 = new CompletableFuture<>();
                        vts.execute(() -> { // pong
                            ch1.join();
                            ch2.complete(null);
                        });
                        ch1.complete(null);
                        ch2.join();
                        if (rem.decrementAndGet() == 0) {
                            done.countDown();
                        }
                    });
                }
            });
            Harness.await(done);
        };
    }
}
