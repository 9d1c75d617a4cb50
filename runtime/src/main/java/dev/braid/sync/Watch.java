package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A single-value channel: one sender publishes new versions of a value, any number of
 * receivers read the latest one and wait for the next change. Intermediate values a receiver
 * did not look at are simply skipped.
 *
 * <pre>
 *   var ch = Watch.channel(config);
 *   ch.sender().send(newConfig);
 *   // in a task: await rx.changed(); Config c = rx.borrowAndUpdate();
 * </pre>
 *
 * <h2>Design</h2>
 * The value and its version (0 for the initial value, +1 per send) are published together
 * as one immutable {@link Versioned} in a volatile field, so reads take no lock. Each receiver
 * remembers the version it has seen. Sends are serialised by a lock, which also guards the
 * list of waiting {@link Receiver#changed()} futures; a waiting future re-checks the version
 * under the lock before it registers, and a send publishes, then takes the list, under the
 * same lock, so no change is missed. Wakers run after the lock is released.
 *
 * <p>The value may be {@code null}.
 */
public final class Watch<T> {
    private static final AtomicLong SERIALS = new AtomicLong();

    /** A value with its version. */
    private record Versioned<T>(T value, long version) {
    }

    private final long serial = SERIALS.incrementAndGet();
    private final Object lock = new Object();
    private final WaitList waiters = new WaitList();
    private volatile Versioned<T> current;
    /** Set under the lock when the sender closes. */
    private volatile boolean senderClosed;
    private int receivers = 1; // guarded by the lock
    private final Sender<T> sender;
    private final Receiver<T> receiver;

    private Watch(T initial) {
        this.current = new Versioned<>(initial, 0);
        this.sender = new Sender<>(this);
        this.receiver = new Receiver<>(this, 0);
    }

    /** A channel holding {@code initial} (version 0), which its first receiver counts as seen. */
    public static <T> Watch<T> channel(T initial) {
        return new Watch<>(initial);
    }

    public Sender<T> sender() {
        return sender;
    }

    /** The first receiver; {@link Sender#subscribe()} and {@link Receiver#clone()} make more. */
    public Receiver<T> receiver() {
        return receiver;
    }

    /** Publishes {@code next}, wakes the waiters; returns whether anybody listens. */
    private boolean publish(UnaryOperator<T> next) {
        Waker[] wake;
        boolean listened;
        synchronized (lock) {
            if (senderClosed) {
                throw new IllegalStateException("the sender of " + this + " is closed");
            }
            Versioned<T> c = current;
            current = new Versioned<>(next.apply(c.value), c.version + 1); // volatile publish
            wake = waiters.takeAll();
            listened = receivers > 0;
        }
        WaitList.wakeAll(wake, this);
        return listened;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "watch#" + serial + "(version " + current.version + ", receivers " + receivers
                    + ", waiting " + waiters.size() + (senderClosed ? ", closed)" : ")");
        }
    }

    /** Raised by {@link Receiver#changed()} when the sender is closed and no change is left unseen. */
    public static final class ClosedException extends RuntimeException {
        ClosedException(Watch<?> ch) {
            super("the sender of " + ch + " is closed");
        }
    }

    /** The single sender. Any thread may send. */
    public static final class Sender<T> implements AutoCloseable {
        private final Watch<T> ch;

        Sender(Watch<T> ch) {
            this.ch = ch;
        }

        /**
         * Publishes {@code value} as the next version and wakes every waiting receiver. The value
         * is stored even when no receiver is subscribed (a later {@link #subscribe()} sees it).
         * Returns whether at least one receiver is subscribed.
         *
         * @throws IllegalStateException if the sender was closed
         */
        public boolean send(T value) {
            return ch.publish(old -> value);
        }

        /**
         * Publishes {@code modify.apply(current)} as the next version. {@code modify} runs
         * exactly once, under the channel's lock: keep it short and do not touch this channel
         * from it. Returns whether at least one receiver is subscribed.
         */
        public boolean sendModify(UnaryOperator<T> modify) {
            return ch.publish(modify);
        }

        /** The latest value. */
        public T borrow() {
            return ch.current.value;
        }

        /** The version of the latest value: 0 for the initial one, then +1 per send. */
        public long version() {
            return ch.current.version;
        }

        /** A new receiver that has seen the current value. */
        public Receiver<T> subscribe() {
            synchronized (ch.lock) {
                ch.receivers++;
                return new Receiver<>(ch, ch.current.version);
            }
        }

        public int receiverCount() {
            synchronized (ch.lock) {
                return ch.receivers;
            }
        }

        /** Closes the sender: pending and later {@code changed()} calls fail once every change is seen. Idempotent. */
        @Override
        public void close() {
            Waker[] wake;
            synchronized (ch.lock) {
                if (ch.senderClosed) {
                    return;
                }
                ch.senderClosed = true;
                wake = ch.waiters.takeAll();
            }
            WaitList.wakeAll(wake, this);
        }

        @Override
        public String toString() {
            return "sender of " + ch;
        }
    }

    /** A reader of the latest value. One task at a time uses it; at most one {@code changed()} is pending at a time. */
    public static final class Receiver<T> implements AutoCloseable {
        private final Watch<T> ch;
        private volatile long seen;
        private boolean closed; // guarded by ch.lock

        Receiver(Watch<T> ch, long seen) {
            this.ch = ch;
            this.seen = seen;
        }

        /** The latest value; does not mark it seen. */
        public T borrow() {
            return ch.current.value;
        }

        /** The latest value, marked seen: {@link #changed()} then waits for a newer one. */
        public T borrowAndUpdate() {
            Versioned<T> c = ch.current;
            seen = c.version;
            return c.value;
        }

        /**
         * True if a version newer than the last seen one is there.
         *
         * @throws ClosedException if not, and the sender is closed
         */
        public boolean hasChanged() {
            boolean closedBefore = ch.senderClosed; // read first: a send cannot follow a close
            if (ch.current.version != seen) {
                return true;
            }
            if (closedBefore) {
                throw new ClosedException(ch);
            }
            return false;
        }

        /** The version this receiver has seen last. */
        public long seenVersion() {
            return seen;
        }

        /**
         * A future that completes when a version newer than the last seen one is published,
         * and marks it seen (read it with {@link #borrow()}). It fails with
         * {@link ClosedException} if the sender closes with no unseen change. Consumes one unit
         * of the cooperative budget when it completes. Lazy.
         *
         * <p><b>Cancellation-safe</b>: the seen version moves only in the poll that completes,
         * so dropping a pending {@code changed()} loses no change, and unregisters its waker.
         */
        public Future<Void> changed() {
            return new Changed<>(this);
        }

        /** Another receiver of the same channel, having seen what this one has seen. */
        @Override
        public Receiver<T> clone() {
            synchronized (ch.lock) {
                ch.receivers++;
                return new Receiver<>(ch, seen);
            }
        }

        /** Number of pending {@code changed()} futures on this channel (for tests and dumps). */
        public int waiterCount() {
            synchronized (ch.lock) {
                return ch.waiters.size();
            }
        }

        /** Unsubscribes. Idempotent. */
        @Override
        public void close() {
            synchronized (ch.lock) {
                if (!closed) {
                    closed = true;
                    ch.receivers--;
                }
            }
        }

        @Override
        public String toString() {
            return "receiver of " + ch + " (seen " + seen + ")";
        }
    }

    /** The future of {@link Receiver#changed()}. */
    private static final class Changed<T> implements Future<Void> {
        private final Receiver<T> rx;
        private final WaitList.Node node = new WaitList.Node();

        Changed(Receiver<T> rx) {
            this.rx = rx;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (Coop.mustYield(cx)) {
                return Poll.pending();
            }
            Watch<T> ch = rx.ch;
            boolean closed;
            synchronized (ch.lock) {
                long v = ch.current.version;
                closed = ch.senderClosed;
                if (v == rx.seen && !closed) {
                    ch.waiters.add(node, cx.waker());
                    cx.waitingOn("watch.changed", ch);
                    return Poll.pending();
                }
                ch.waiters.remove(node);
                if (v != rx.seen) {
                    rx.seen = v;
                    closed = false;
                }
            }
            cx.pollProceed(); // the unit checked above
            if (closed) {
                throw new ClosedException(ch);
            }
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            synchronized (rx.ch.lock) {
                rx.ch.waiters.remove(node);
            }
        }

        @Override
        public String toString() {
            return "changed on " + rx.ch;
        }
    }
}
