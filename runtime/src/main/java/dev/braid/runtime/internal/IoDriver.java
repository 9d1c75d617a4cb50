package dev.braid.runtime.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Set;

/**
 * A runtime's I/O driver: one {@link Selector}, created on the first registration. Whoever
 * holds the time driver's role sleeps in {@link #select} instead of parking (timeout: the
 * next timer deadline), so timers and I/O share one sleeping thread; a wake-up for that
 * thread is a {@link Selector#wakeup()}. Busy workers also poll it without blocking
 * ({@code selectNow}) every {@code globalQueueInterval} ticks. Only the role holder
 * selects, so {@link #select} never runs on two threads at once.
 *
 * <p>Readiness goes to the channel's {@link ScheduledIo}, which wakes its waiters. Write
 * interest is taken off when reported; read interest stays on while readers keep coming
 * back for more, so a request/response loop changes no interest and wakes no selector
 * (see {@link ScheduledIo}).
 */
public final class IoDriver {
    private final Selector selector;
    /** True while the role holder is inside a blocking select. */
    private volatile boolean selecting;
    private long dispatched;

    IoDriver() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the runtime's I/O selector", e);
        }
    }

    /** Channels registered (a snapshot; a closed channel counts until the next select). */
    int registrations() {
        try {
            return selector.keys().size();
        } catch (RuntimeException e) {
            return 1; // closed or racing: assume there is I/O
        }
    }

    /** Registers a non-blocking channel with no interest yet. */
    public ScheduledIo register(SelectableChannel ch) throws IOException {
        ch.configureBlocking(false);
        ScheduledIo io = new ScheduledIo(this);
        io.key = ch.register(selector, 0, io);
        return io;
    }

    void addInterest(ScheduledIo io, int direction) {
        SelectionKey k = io.key;
        try {
            int ops = io.toOps(direction);
            if ((k.interestOps() & ops) != ops) {
                k.interestOpsOr(ops);
                if (selecting) {
                    selector.wakeup(); // the new interest counts from the next select
                }
            }
        } catch (CancelledKeyException e) {
            io.dispatch(direction); // closed: let the waiter run and see the channel's error
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (0: without limit, negative: not at all) for readiness
     * and dispatches it. Role holder only.
     */
    int select(long timeoutMillis) {
        int n;
        try {
            if (timeoutMillis < 0) {
                n = selector.selectNow();
            } else {
                selecting = true;
                try {
                    n = selector.select(timeoutMillis);
                } finally {
                    selecting = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime's I/O selector failed", e);
        }
        if (n == 0) {
            return 0;
        }
        Set<SelectionKey> keys = selector.selectedKeys();
        int count = 0;
        for (SelectionKey k : keys) {
            ScheduledIo io = (ScheduledIo) k.attachment();
            try {
                int ready = k.readyOps();
                int oneShot = ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
                if (oneShot != 0) {
                    // Level-triggered: stop reporting until asked again. Atomic, unlike
                    // interestOps(interestOps() & ~x), which could lose a waiter's concurrent add.
                    k.interestOpsAnd(~oneShot);
                }
                io.report(ScheduledIo.toDirections(ready)); // read interest: see ScheduledIo
            } catch (CancelledKeyException e) {
                io.dispatch(ScheduledIo.READ | ScheduledIo.WRITE);
            }
            count++;
        }
        keys.clear();
        dispatched += count;
        return count;
    }

    /** Wakes the role holder out of {@link #select}, or makes its next select return at once. */
    void wakeup() {
        selector.wakeup();
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing to do at shutdown
        }
    }
}
