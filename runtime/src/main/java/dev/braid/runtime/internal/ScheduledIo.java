package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;

/**
 * The readiness of one registered channel, with one read waiter and one write waiter (so a
 * socket's read half and write half can wait from two tasks at once).
 *
 * <h2>Readiness and its tick</h2>
 * {@link #state} packs the readiness bits ({@link #READ}, {@link #WRITE}) with a tick that
 * the driver bumps every time it reports readiness. An operation that would block clears the
 * bit only if the tick is still the one under which it saw the bit set
 * ({@link #clearReadiness}); readiness reported meanwhile therefore survives the clear, and
 * no wake-up is lost between "read returned 0" and "clear".
 *
 * <p>A new registration starts ready both ways: the first operation simply tries, and only
 * one that would block waits (what an edge-triggered driver's first report would say). That
 * saves a round trip through the selector for the first write of every connection.
 *
 * <h2>Interest</h2>
 * {@code java.nio} selectors are level-triggered, so interest must not stay on for an
 * operation nobody waits for, or every select would report it again. A waiter adds interest
 * ({@link #pollReady}); the driver takes it off again ({@link #report}):
 * <ul>
 *   <li>write (and connect) interest as soon as it is reported: a socket usually stays
 *       writable, so the writer rarely waits again soon;</li>
 *   <li>read (and accept) interest only when a report finds the read bit <em>still set</em>,
 *       that is when nobody has run out of data since the last report. A reader that drains
 *       the socket and waits again finds the interest still there and changes nothing: no
 *       {@code interestOps} update and, above all, no selector wake-up per request (W8). A
 *       socket with unread data and no reader is reported at most twice.</li>
 * </ul>
 * The driver removes read interest <em>before</em> it publishes the report (the tick), so a
 * reader that clears the bit under the new tick sees the interest gone and adds it back;
 * one that cleared it under the old tick fails its clear and tries again. The waiter stores
 * its waker (volatile) before it re-reads the state; the driver updates the state before it
 * reads the waker.
 */
public final class ScheduledIo {
    public static final int READ = 1;
    public static final int WRITE = 2;
    private static final int BITS = READ | WRITE;
    private static final int TICK_ONE = 4;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledIo.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IoDriver driver;
    /** Set once, right after registration. */
    SelectionKey key;
    @SuppressWarnings("unused")
    private volatile int state;
    private volatile Waker reader;
    private volatile Waker writer;

    ScheduledIo(IoDriver driver) {
        this.driver = driver;
        state = READ | WRITE; // optimistic: see the class comment
    }

    /**
     * Ready (returns the state word, for {@link #clearReadiness}) if the direction is ready;
     * otherwise registers the waker, adds the interest, and returns -1 (pending).
     */
    public int pollReady(Context cx, int direction) {
        int s = state;
        if ((s & direction) != 0) {
            return s;
        }
        if (!isValid()) {
            throw new java.io.UncheckedIOException("the channel is closed or its runtime shut down",
                    new java.nio.channels.ClosedChannelException());
        }
        if (direction == READ) {
            reader = cx.waker();
        } else {
            writer = cx.waker();
        }
        driver.addInterest(this, direction);
        s = state; // re-check: pairs with dispatch's state update before its waker read
        return (s & direction) != 0 ? s : -1;
    }

    /** An operation found nothing to do: forget the readiness seen in {@code observed}. */
    public void clearReadiness(int observed, int direction) {
        int s = observed;
        for (;;) {
            if ((s & ~BITS) != (observed & ~BITS)) {
                return; // the driver reported readiness since: keep it
            }
            int witness = (int) STATE.compareAndExchange(this, s, s & ~direction);
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    /**
     * Driver: the selector reported {@code ready} (READ/WRITE bits); it has already taken off
     * the write and connect interest. Takes off read interest if the read bit is still set
     * (see the class comment), publishes the readiness with a new tick, and wakes the waiters
     * of the directions that were not ready before (the others have nobody waiting).
     */
    void report(int ready) {
        int s = state;
        boolean readOff = false;
        int next;
        for (;;) {
            if (!readOff && (ready & s & READ) != 0) {
                readOff = true; // before the CAS below: pairs with the reader's clear under the new tick
                try {
                    key.interestOpsAnd(~(SelectionKey.OP_READ | SelectionKey.OP_ACCEPT));
                } catch (CancelledKeyException e) {
                    // closed meanwhile: close() wakes everyone
                }
            }
            next = ((s & ~BITS) + TICK_ONE) | (s & BITS) | ready;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        int fresh = ready & ~s;
        if ((fresh & READ) != 0) {
            wake(reader);
        }
        if ((fresh & WRITE) != 0) {
            wake(writer);
        }
    }

    /** Marks {@code ready} and wakes both waiters whatever the state was (close, cancelled keys). */
    void dispatch(int ready) {
        int s = state;
        for (;;) {
            int next = ((s & ~BITS) + TICK_ONE) | (s & BITS) | ready;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if ((ready & READ) != 0) {
            wake(reader);
        }
        if ((ready & WRITE) != 0) {
            wake(writer);
        }
    }

    /**
     * Closes the registration and the channel, and marks it ready both ways so that waiters
     * wake and see the error. A registered channel's file descriptor is only released when
     * the selector deregisters the cancelled key in its next selection, so the driver is
     * woken for that: otherwise the close (a socket's FIN or RST) would wait for the next
     * unrelated I/O event.
     */
    public void close(java.nio.channels.Channel channel) {
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        try {
            channel.close();
        } catch (java.io.IOException e) {
            // closing: nothing useful to report
        }
        driver.wakeup();
        dispatch(READ | WRITE);
    }

    /** Removes a dropped waiter's waker (its interest lapses after the next report). */
    public void clearWaiter(int direction) {
        if (direction == READ) {
            reader = null;
        } else {
            writer = null;
        }
    }

    /** Guarded: the driver dispatches a whole set of selected keys and must finish it. */
    private static void wake(Waker w) {
        Diagnostics.wakeGuarded(w, "I/O readiness");
    }

    static int toDirections(int readyOps) {
        int d = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            d |= READ;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            d |= WRITE;
        }
        return d;
    }

    int toOps(int direction) {
        int valid = key.channel().validOps();
        int ops = 0;
        if ((direction & READ) != 0) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((direction & WRITE) != 0) {
            boolean connecting = key.channel() instanceof java.nio.channels.SocketChannel sc && sc.isConnectionPending();
            ops |= valid & (connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
        }
        return ops;
    }

    boolean isValid() {
        try {
            return key != null && key.isValid();
        } catch (CancelledKeyException e) {
            return false;
        }
    }
}
