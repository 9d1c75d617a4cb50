package dev.braid.polyglot.natives;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Broadcast;
import dev.braid.sync.Mpsc;
import dev.braid.sync.Oneshot;
import dev.braid.sync.Watch;
import org.graalvm.polyglot.Value;

import java.util.Map;

/**
 * The natives behind {@code braid.channel}, {@code oneshot}, {@code broadcast} and
 * {@code watch} (see {@link Natives} for the rules they follow).
 *
 * <p>A guest channel object holds both ends, so any guest task may send and receive; the
 * runtime's single-consumer receiving ends are shared through {@link SharedEnd}. Values are
 * the guest's own {@link Value}s. {@code undefined} marks the end of a stream, so the prelude
 * refuses to send it on the streaming channels (mpsc, broadcast).
 */
final class Channels {
    private Channels() {
    }

    /** {@code braid.channel(capacity)}: an mpsc channel, bounded or not. */
    static final class Channel {
        final Mpsc.Sender<Value> tx;           // bounded; else null
        final Mpsc.UnboundedSender<Value> utx; // unbounded; else null
        final Mpsc.Receiver<Value> rx;
        final SharedEnd end = new SharedEnd();
        boolean closed;

        Channel(int capacity) {
            if (capacity < 0) {
                Mpsc.Unbounded<Value> ch = Mpsc.unbounded();
                tx = null;
                utx = ch.sender();
                rx = ch.receiver();
            } else {
                Mpsc.Bounded<Value> ch = Mpsc.bounded(capacity);
                tx = ch.sender();
                utx = null;
                rx = ch.receiver();
            }
        }

        /**
         * Closing the receiver stops sends (waiting ones fail) but keeps what was sent;
         * closing our one sender then wakes a pending receive, which drains and sees the end.
         */
        void close() {
            if (!closed) {
                closed = true;
                rx.close();
                if (tx != null) {
                    tx.close();
                } else {
                    utx.close();
                }
            }
        }
    }

    static final class OneshotEnd {
        final Oneshot<Value> ch = Oneshot.channel();
        final SharedEnd end = new SharedEnd();
        boolean sentOrClosed;
        boolean received;
    }

    static final class BroadcastEnd {
        final Broadcast.Sender<Value> tx;
        boolean closed;

        BroadcastEnd(int capacity) {
            Broadcast<Value> b = Broadcast.channel(capacity);
            b.receiver().close(); // guests subscribe() for receivers
            tx = b.sender();
        }
    }

    record Subscription(Broadcast.Receiver<Value> rx, SharedEnd end) {
    }

    static final class WatchEnd {
        final Watch.Sender<Value> tx;
        boolean closed;

        WatchEnd(Value initial) {
            Watch<Value> w = Watch.channel(initial);
            w.receiver().close(); // guests subscribe() for receivers
            tx = w.sender();
        }
    }

    record WatchReceiver(Watch.Receiver<Value> rx, SharedEnd end) {
    }

    static void natives(Natives s, Map<String, Object> n) {
        // mpsc
        s.put(n, "chNew", a -> new Channel(a[0].asInt()));
        s.put(n, "chSend", a -> send(s, Natives.handle(a[0], Channel.class), a[1]));
        s.put(n, "chRecv", a -> {
            Channel c = Natives.handle(a[0], Channel.class);
            return s.awaitable(() -> c.end.next(() -> c.rx.recv().map(v -> v == null ? s.nothing : v), () -> s.nothing));
        });
        s.put(n, "chNext", a -> {
            Channel c = Natives.handle(a[0], Channel.class);
            return s.awaitable(() -> c.end.next(() -> c.rx.recv().map(s::iterResult), () -> s.iterResult(null)));
        });
        s.put(n, "chClose", a -> {
            Natives.handle(a[0], Channel.class).close();
            return null;
        });
        s.put(n, "chClosed", a -> Natives.handle(a[0], Channel.class).closed);
        s.put(n, "chLen", a -> Natives.handle(a[0], Channel.class).rx.len());

        // oneshot
        s.put(n, "osNew", a -> new OneshotEnd());
        s.put(n, "osSend", a -> {
            OneshotEnd o = Natives.handle(a[0], OneshotEnd.class);
            if (o.sentOrClosed) {
                return false; // closed before: the prelude refuses a second send itself
            }
            o.sentOrClosed = true;
            return o.ch.sender().send(a[1]);
        });
        s.put(n, "osClose", a -> {
            OneshotEnd o = Natives.handle(a[0], OneshotEnd.class);
            if (!o.sentOrClosed) {
                o.sentOrClosed = true;
                o.ch.sender().close();
            }
            return null;
        });
        s.put(n, "osRecv", a -> {
            OneshotEnd o = Natives.handle(a[0], OneshotEnd.class);
            return s.awaitable(() -> o.end.next(() -> new OneshotRecv(s, o), () -> null));
        });

        // broadcast
        s.put(n, "bcNew", a -> new BroadcastEnd(a[0].asInt()));
        s.put(n, "bcSend", a -> {
            BroadcastEnd b = Natives.handle(a[0], BroadcastEnd.class);
            return b.closed ? -1 : b.tx.send(a[1]);
        });
        s.put(n, "bcSubscribe", a -> {
            BroadcastEnd b = Natives.handle(a[0], BroadcastEnd.class);
            return b.closed ? null : new Subscription(b.tx.subscribe(), new SharedEnd());
        });
        s.put(n, "bcClose", a -> {
            BroadcastEnd b = Natives.handle(a[0], BroadcastEnd.class);
            b.closed = true;
            b.tx.close();
            return null;
        });
        s.put(n, "bcReceivers", a -> Natives.handle(a[0], BroadcastEnd.class).tx.receiverCount());
        s.put(n, "bcRecv", a -> {
            Subscription sub = Natives.handle(a[0], Subscription.class);
            return s.awaitable(() -> sub.end.next(() -> broadcastRecv(s, sub).map(v -> v == null ? s.nothing : v),
                    () -> s.nothing));
        });
        s.put(n, "bcNext", a -> {
            Subscription sub = Natives.handle(a[0], Subscription.class);
            return s.awaitable(() -> sub.end.next(() -> broadcastRecv(s, sub).map(s::iterResult), () -> s.iterResult(null)));
        });
        s.put(n, "bcUnsubscribe", a -> {
            Subscription sub = Natives.handle(a[0], Subscription.class);
            sub.end.close();
            sub.rx.close();
            return null;
        });

        // watch
        s.put(n, "wNew", a -> new WatchEnd(a[0]));
        s.put(n, "wSend", a -> {
            WatchEnd w = Natives.handle(a[0], WatchEnd.class);
            return w.closed ? -1 : w.tx.send(a[1]) ? 1 : 0;
        });
        s.put(n, "wBorrow", a -> Natives.handle(a[0], WatchEnd.class).tx.borrow());
        s.put(n, "wSubscribe", a -> new WatchReceiver(Natives.handle(a[0], WatchEnd.class).tx.subscribe(), new SharedEnd()));
        s.put(n, "wClose", a -> {
            WatchEnd w = Natives.handle(a[0], WatchEnd.class);
            w.closed = true;
            w.tx.close();
            return null;
        });
        s.put(n, "wChanged", a -> {
            WatchReceiver r = Natives.handle(a[0], WatchReceiver.class);
            String closed = "watch receiver.changed(): the watch channel is closed";
            return s.awaitable(() -> r.end.next(() -> r.rx.changed().<Object>map(x -> s.nothing).recover(t -> {
                throw t instanceof Watch.ClosedException ? s.closedError(closed) : Natives.rethrow(t);
            }), () -> {
                throw s.closedError("watch receiver.changed(): this receiver was closed");
            }));
        });
        s.put(n, "wRxBorrow", a -> Natives.handle(a[0], WatchReceiver.class).rx.borrow());
        s.put(n, "wRxBorrowAndUpdate", a -> Natives.handle(a[0], WatchReceiver.class).rx.borrowAndUpdate());
        s.put(n, "wRxClose", a -> {
            WatchReceiver r = Natives.handle(a[0], WatchReceiver.class);
            r.end.close();
            r.rx.close();
            return null;
        });
    }

    /**
     * A send: at once if there is room (so a send that is not awaited still happens when it
     * can), else an awaitable that waits for room once awaited. Not cancellation-safe, as in
     * the runtime: a send dropped while it waits for room was not made.
     */
    private static Value send(Natives s, Channel c, Value v) {
        String closed = "channel.send(value): the channel is closed";
        if (c.closed) {
            return s.rejected(s.closedError(closed));
        }
        if (c.utx != null) {
            return c.utx.send(v) ? s.resolved() : s.rejected(s.closedError(closed));
        }
        return switch (c.tx.trySend(v)) {
            case SENT -> s.resolved();
            case CLOSED -> s.rejected(s.closedError(closed));
            case FULL -> s.awaitable(() -> c.closed ? Future.failed(s.closedError(closed))
                    : c.tx.send(v).<Object>map(x -> s.nothing).recover(t -> {
                        // closed while waiting for room: a ClosedException, or the sender's own check
                        throw c.closed ? s.closedError(closed) : Natives.rethrow(t);
                    }));
        };
    }

    private static Future<Value> broadcastRecv(Natives s, Subscription sub) {
        return sub.rx.recv().recover(t -> {
            if (t instanceof Broadcast.LaggedException e) {
                throw s.laggedError("broadcast receiver lagged: " + e.skipped()
                        + " values were overwritten before it read them", e.skipped());
            }
            throw Natives.rethrow(t);
        });
    }

    /**
     * Receives a oneshot's value without closing its receiving side when dropped (the
     * runtime's receive does), so that a receive that lost a {@code select} can be retried.
     */
    private static final class OneshotRecv implements Future<Object> {
        private final Natives s;
        private final OneshotEnd o;

        OneshotRecv(Natives s, OneshotEnd o) {
            this.s = s;
            this.o = o;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            if (o.received) {
                throw s.closedError("oneshot.recv(): the value was already received");
            }
            Poll<Value> p;
            try {
                p = o.ch.receiver().poll(cx);
            } catch (Oneshot.ClosedException e) {
                throw s.closedError("oneshot.recv(): the oneshot was closed without a value");
            }
            if (p.isPending()) {
                return Poll.pending();
            }
            o.received = true;
            return Poll.ready(p.value());
        }
    }
}
