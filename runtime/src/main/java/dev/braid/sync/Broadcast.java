package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A multi-producer, multi-consumer channel in which every receiver sees every value sent
 * after it subscribed, kept in a ring of {@code capacity} values.
 *
 * <pre>
 *   var ch = Broadcast.&lt;String&gt;channel(16);
 *   Broadcast.Receiver&lt;String&gt; rx2 = ch.sender().subscribe();
 *   int receivers = ch.sender().send("hi");            // 2: ch.receiver() and rx2
 *   // in a task: String s = await rx2.recv();          // null: every sender closed, all seen
 * </pre>
 *
 * <h2>Design</h2>
 * Values sit in a ring; position {@code p} lives in slot {@code p % capacity}. Each slot
 * counts the receivers that have yet to read it and drops its value when the count reaches
 * zero. A send never waits: it overwrites the oldest value. A receiver whose next position
 * has been overwritten has <em>lagged</em>: its receive fails once with
 * {@link LaggedException} saying how many values it missed, and it continues from the oldest
 * value still in the ring. One lock guards the ring, the counts and the wait list; wakers run
 * after it is released.
 *
 * <p>{@code null} values are rejected: {@link Receiver#recv()} completes with {@code null} at
 * the end of the stream (every sender closed and everything seen). Close every sender and
 * receiver (they are {@link AutoCloseable}); an open receiver that never reads keeps values
 * alive until they are overwritten.
 */
public final class Broadcast<T> {
    private static final AtomicLong SERIALS = new AtomicLong();

    private final long serial = SERIALS.incrementAndGet();
    private final Object lock = new Object();
    private final Object[] ring;
    /** Receivers still to read each slot; guarded by the lock. */
    private final int[] unread;
    private final int capacity;
    private final WaitList waiters = new WaitList();
    /** Next position to write. Written under the lock; read without it for quick checks. */
    private volatile long tail;
    private int receivers; // guarded by the lock
    private int senders = 1; // guarded by the lock
    /** Set under the lock when the last sender closes. */
    private volatile boolean closed;
    private final Sender<T> sender;
    private final Receiver<T> receiver;

    private Broadcast(int capacity) {
        this.capacity = capacity;
        this.ring = new Object[capacity];
        this.unread = new int[capacity];
        this.sender = new Sender<>(this);
        this.receiver = new Receiver<>(this, 0);
        this.receivers = 1;
    }

    /** A channel that keeps the last {@code capacity} values for slow receivers. */
    public static <T> Broadcast<T> channel(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        return new Broadcast<>(capacity);
    }

    /** The first sender; {@link Sender#clone()} makes more. */
    public Sender<T> sender() {
        return sender;
    }

    /** The first receiver, subscribed when the channel was made; {@link Sender#subscribe()} makes more. */
    public Receiver<T> receiver() {
        return receiver;
    }

    private int slot(long pos) {
        return (int) (pos % capacity);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "broadcast#" + serial + "(capacity " + capacity + ", receivers " + receivers
                    + ", waiting " + waiters.size() + (closed ? ", closed)" : ")");
        }
    }

    /** A receive found that values it had not read were overwritten. */
    public static final class LaggedException extends RuntimeException {
        private final long skipped;

        LaggedException(long skipped) {
            // Lagging is ordinary flow control for a slow receiver: no stack trace.
            super("broadcast receiver lagged: " + skipped + " values were overwritten before it read them", null, false, false);
            this.skipped = skipped;
        }

        /** How many values this receiver missed; it continues with the oldest one kept. */
        public long skipped() {
            return skipped;
        }
    }

    /** The sending side. Any thread may send. */
    public static final class Sender<T> implements AutoCloseable {
        private final Broadcast<T> ch;
        private boolean closed; // guarded by ch.lock

        Sender(Broadcast<T> ch) {
            this.ch = ch;
        }

        /**
         * Sends {@code value} to every current receiver, overwriting the oldest value if the
         * ring is full. Never waits. Returns how many receivers will see it; 0 means nobody
         * listens and the value was discarded.
         *
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if this sender was closed
         */
        public int send(T value) {
            Objects.requireNonNull(value, "broadcast values must not be null");
            Broadcast<T> c = ch;
            int n;
            Waker[] wake;
            synchronized (c.lock) {
                checkOpen();
                n = c.receivers;
                if (n == 0) {
                    return 0;
                }
                long pos = c.tail;
                int i = c.slot(pos);
                c.ring[i] = value;
                c.unread[i] = n;
                c.tail = pos + 1; // volatile: read without the lock by Recv's quick check
                wake = c.waiters.takeAll();
            }
            WaitList.wakeAll(wake, this);
            return n;
        }

        /** A new receiver that sees the values sent from now on. */
        public Receiver<T> subscribe() {
            Broadcast<T> c = ch;
            synchronized (c.lock) {
                checkOpen();
                c.receivers++;
                return new Receiver<>(c, c.tail);
            }
        }

        /** Another sender; the stream ends when every sender is closed. */
        @Override
        public Sender<T> clone() {
            synchronized (ch.lock) {
                checkOpen();
                ch.senders++;
                return new Sender<>(ch);
            }
        }

        /** Receivers subscribed now. */
        public int receiverCount() {
            synchronized (ch.lock) {
                return ch.receivers;
            }
        }

        /** Closes this sender; after the last one, receivers drain the ring and then see the end. Idempotent. */
        @Override
        public void close() {
            Broadcast<T> c = ch;
            Waker[] wake = null;
            synchronized (c.lock) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--c.senders == 0) {
                    c.closed = true;
                    wake = c.waiters.takeAll();
                }
            }
            WaitList.wakeAll(wake, this);
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("this sender of " + ch + " is closed");
            }
        }

        @Override
        public String toString() {
            return "sender of " + ch;
        }
    }

    /** One subscription. One task at a time uses it; at most one receive is pending at a time. */
    public static final class Receiver<T> implements AutoCloseable {
        private final Broadcast<T> ch;
        private long next; // guarded by ch.lock
        private boolean closed; // guarded by ch.lock

        Receiver(Broadcast<T> ch, long next) {
            this.ch = ch;
            this.next = next;
        }

        /**
         * A future of the next value; it fails with {@link LaggedException} if values were
         * overwritten before this receiver read them (the next receive continues with the
         * oldest value kept), and completes with {@code null} once every sender is closed and
         * this receiver has seen everything. Consumes one unit of the cooperative budget when
         * it completes. Lazy.
         *
         * <p><b>Cancellation-safe</b>: a value is consumed only by the poll that returns it;
         * dropping a pending receive loses nothing and unregisters its waker.
         */
        public Future<T> recv() {
            return new Recv<>(this);
        }

        /**
         * The next value if there is one now, else {@code null} (also at the end of the stream:
         * see {@link #isTerminated()}).
         *
         * @throws LaggedException if values were overwritten before this receiver read them
         * @throws IllegalStateException if this receiver was closed
         */
        public T tryRecv() {
            synchronized (ch.lock) {
                checkOpen();
                return next < ch.tail ? takeLocked() : null;
            }
        }

        /** Under the lock, with {@code next < tail}: the next value, or the lag. */
        @SuppressWarnings("unchecked")
        private T takeLocked() {
            checkOpen();
            Broadcast<T> c = ch;
            long oldest = c.tail - c.capacity;
            if (next < oldest) {
                long skipped = oldest - next;
                next = oldest;
                throw new LaggedException(skipped);
            }
            int i = c.slot(next++);
            T v = (T) c.ring[i];
            if (--c.unread[i] == 0) {
                c.ring[i] = null;
            }
            return v;
        }

        /** Values sent since this receiver's last read that are still kept (lagged ones excluded). */
        public int len() {
            synchronized (ch.lock) {
                return (int) Math.min(ch.capacity, ch.tail - next);
            }
        }

        /** True once every sender is closed (values may still be waiting). */
        public boolean isClosed() {
            return ch.closed;
        }

        /** True once {@link #recv()} would complete with {@code null}. */
        public boolean isTerminated() {
            synchronized (ch.lock) {
                return ch.closed && next >= ch.tail;
            }
        }

        /** Number of pending receives registered on this channel (for tests and dumps). */
        public int waiterCount() {
            synchronized (ch.lock) {
                return ch.waiters.size();
            }
        }

        /** Unsubscribes: the slots this receiver had not read no longer wait for it. Idempotent. */
        @Override
        public void close() {
            Broadcast<T> c = ch;
            synchronized (c.lock) {
                if (closed) {
                    return;
                }
                closed = true;
                c.receivers--;
                for (long p = Math.max(next, c.tail - c.capacity); p < c.tail; p++) {
                    int i = c.slot(p);
                    if (--c.unread[i] == 0) {
                        c.ring[i] = null;
                    }
                }
                next = c.tail;
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("this receiver of " + ch + " is closed");
            }
        }

        @Override
        public String toString() {
            return "receiver of " + ch;
        }
    }

    /** The future of {@link Receiver#recv()}. */
    private static final class Recv<T> implements Future<T> {
        private final Receiver<T> rx;
        private final WaitList.Node node = new WaitList.Node();

        Recv(Receiver<T> rx) {
            this.rx = rx;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (Coop.mustYield(cx)) {
                return Poll.pending();
            }
            Broadcast<T> c = rx.ch;
            T v = null;
            LaggedException lag = null;
            synchronized (c.lock) {
                if (rx.next >= c.tail) {
                    rx.checkOpen();
                    if (!c.closed) {
                        c.waiters.add(node, cx.waker());
                        cx.waitingOn("broadcast.recv", c);
                        return Poll.pending();
                    }
                } else {
                    try {
                        v = rx.takeLocked();
                    } catch (LaggedException e) {
                        lag = e;
                    }
                }
                c.waiters.remove(node);
            }
            cx.pollProceed(); // the unit checked above; the lag spends it too
            if (lag != null) {
                throw lag;
            }
            return Poll.ready(v);
        }

        @Override
        public void drop() {
            Broadcast<T> c = rx.ch;
            synchronized (c.lock) {
                c.waiters.remove(node);
            }
        }

        @Override
        public String toString() {
            return "recv on " + rx.ch;
        }
    }
}
