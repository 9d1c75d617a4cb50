package dev.braid.bench;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.sync.Mpsc;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * W6 mpsc_bounded — channel throughput under contention. A port of Tokio's
 * {@code sync_mpsc} {@code contention_bounded_full} with its constants: 5 producers send
 * 1 000 messages each into one consumer through a bounded channel of capacity 100, so the
 * producers spend most of the run waiting for room. An iteration spawns the consumer and the
 * producers and ends when the consumer has received all 5 000. Reported in million messages
 * per second (higher is better).
 *
 * <p>The JDK has no bounded async channel; the peers are an {@link ArrayBlockingQueue} of
 * capacity 100 between platform threads (kept in a pool across iterations) and between
 * virtual threads.
 */
final class W6MpscBounded extends Workload {
    static final int PRODUCERS = 5;
    static final int PER_PRODUCER = 1_000;
    static final int CAPACITY = 100;
    static final int MESSAGES = PRODUCERS * PER_PRODUCER;

    W6MpscBounded() {
        super("W6", "mpsc_bounded", "M msg/s", MESSAGES, 3.05, 7.21);
    }

    @Override
    Set<Peer> peers() {
        return EnumSet.of(Peer.BRAID, Peer.BRAID_NOMON, Peer.BRAID_NOSPIN, Peer.ABQ_THREADS, Peer.ABQ_VT);
    }

    @Override
    double figure(double nanosPerIteration) {
        return MESSAGES / nanosPerIteration * 1_000; // messages per ns → millions per second
    }

    @Override
    boolean higherIsBetter() {
        return true;
    }

    @Override
    String cpuUnit() {
        return "ns/msg";
    }

    @Override
    Iteration braid(BraidRuntime rt) {
        return () -> {
            CountDownLatch done = new CountDownLatch(1);
            Mpsc.Bounded<Integer> ch = Mpsc.bounded(CAPACITY);
            rt.spawn(new Consumer(ch.receiver(), done));
            Mpsc.Sender<Integer> tx = ch.sender();
            for (int p = 0; p < PRODUCERS; p++) {
                rt.spawn(new Producer(p == PRODUCERS - 1 ? tx : tx.clone()));
            }
            Harness.await(done);
        };
    }

    /** {@code for i in 0..1000 { tx.send(i).await }} as a state machine; closes its sender. */
    static final class Producer implements Future<Void> {
        private final Mpsc.Sender<Integer> tx;
        private int i;
        private Future<Void> sending;

        Producer(Mpsc.Sender<Integer> tx) {
            this.tx = tx;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (i < PER_PRODUCER) {
                if (sending == null) {
                    sending = tx.send(i);
                }
                if (sending.poll(cx).isPending()) {
                    return Poll.pending();
                }
                sending = null;
                i++;
            }
            tx.close();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            if (sending != null) {
                sending.drop();
            }
            tx.close();
        }
    }

    /** {@code for _ in 0..5000 { rx.recv().await }}, then the completion signal. */
    static final class Consumer implements Future<Void> {
        private final Mpsc.Receiver<Integer> rx;
        private final CountDownLatch done;
        private int received;
        private Future<Integer> receiving;

        Consumer(Mpsc.Receiver<Integer> rx, CountDownLatch done) {
            this.rx = rx;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (received < MESSAGES) {
                if (receiving == null) {
                    receiving = rx.recv();
                }
                Poll<Integer> p = receiving.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                receiving = null;
                if (p.value() == null) {
                    throw new IllegalStateException("channel ended after " + received + " messages");
                }
                received++;
            }
            done.countDown();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            if (receiving != null) {
                receiving.drop();
            }
        }
    }

    @Override
    Iteration fjp(ForkJoinPool pool) {
        throw new UnsupportedOperationException("W6 has no ForkJoinPool peer");
    }

    @Override
    Iteration vt(ExecutorService vts) {
        throw new UnsupportedOperationException("W6 runs virtual threads through abq-vt");
    }

    @Override
    Iteration abqThreads(ExecutorService threads) {
        return blockingQueue(threads);
    }

    @Override
    Iteration abqVt(ExecutorService vts) {
        return blockingQueue(vts);
    }

    /** The same shape with blocking {@code put}/{@code take}, each side on its own thread. */
    private static Iteration blockingQueue(ExecutorService threads) {
        return () -> {
            CountDownLatch done = new CountDownLatch(1);
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
            threads.execute(() -> {
                try {
                    for (int n = 0; n < MESSAGES; n++) {
                        q.take();
                    }
                    done.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int p = 0; p < PRODUCERS; p++) {
                threads.execute(() -> {
                    try {
                        for (int i = 0; i < PER_PRODUCER; i++) {
                            q.put(i);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            Harness.await(done);
        };
    }
}
