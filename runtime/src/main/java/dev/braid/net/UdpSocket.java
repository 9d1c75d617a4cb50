package dev.braid.net;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.ScheduledIo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;

/**
 * A UDP socket on the runtime's I/O driver.
 *
 * <pre>{@code
 * UdpSocket s = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
 * // in a task:
 * s.sendTo(ByteBuffer.wrap(bytes), peer)           // -> bytes sent
 * s.recvFrom(buf)                                  // -> the sender's address; the datagram is in buf
 * s.connect(peer); s.send(buf); s.recv(buf)       // one fixed peer
 * }</pre>
 *
 * <p>A datagram is taken whole or not at all: a receive either returns one datagram or takes
 * nothing, so {@link #recvFrom} and {@link #recv} are <em>cancellation-safe</em> (a receive
 * dropped by a {@code select} or a timeout leaves the next datagram for the next receive).
 * A datagram longer than the buffer's remaining room is truncated to it, and the rest is
 * lost (as with {@code recvfrom(2)}). Sends are cancellation-safe too: a datagram is sent
 * whole in the poll that completes, or not at all.
 *
 * <p>Each completed send or receive spends one unit of the task's cooperative budget. One
 * task may receive while another sends; two tasks receiving from one socket at once is not
 * supported (the socket keeps one waiting receiver, like {@link TcpStream}).
 *
 * <p>Errors are the operating system's, as {@link java.io.UncheckedIOException} with the
 * address in the message. On a {@linkplain #connect connected} socket an ICMP "port
 * unreachable" from the peer (nothing listens there) fails the next send or receive with a
 * {@link java.net.PortUnreachableException} cause; Linux reports it, other platforms may
 * drop it silently (then a receive simply waits). An unconnected socket never reports it.
 */
public final class UdpSocket implements AutoCloseable {
    private final DatagramChannel channel;
    private final ScheduledIo io;
    private final SocketAddress local;
    /** The connected peer, or null. Written by {@link #connect}, read by error messages. */
    private volatile SocketAddress peer;

    private UdpSocket(DatagramChannel channel, ScheduledIo io) throws IOException {
        this.channel = channel;
        this.io = io;
        this.local = channel.getLocalAddress();
    }

    /** Binds a socket to {@code address} (port 0: any free port). Call it inside a runtime. */
    public static UdpSocket bind(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        var driver = Net.driver("UdpSocket.bind");
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            ch.bind(address);
            return new UdpSocket(ch, driver.register(ch));
        } catch (IOException e) {
            TcpListener.closeQuietly(ch);
            throw Net.error("bind", address, e);
        }
    }

    /**
     * Sends the remaining bytes of {@code src} as one datagram to {@code target}: the number
     * of bytes sent (all of them). Waits only while the socket's send buffer is full.
     */
    public Future<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        return new Op<>("udp.send") {
            @Override
            Integer attempt() throws IOException {
                int want = src.remaining();
                int n = channel.send(src, target);
                // 0 means "no room" unless the datagram itself was empty (then it went out).
                return n == 0 && want != 0 ? null : n;
            }

            @Override
            String what() {
                return "send to " + target + " from";
            }

            @Override
            int direction() {
                return ScheduledIo.WRITE;
            }
        };
    }

    /**
     * Receives one datagram into {@code dst} (from its position; truncated to its room) and
     * completes with the sender's address. Cancellation-safe.
     */
    public Future<SocketAddress> recvFrom(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new Op<>("udp.recv") {
            @Override
            SocketAddress attempt() throws IOException {
                return channel.receive(dst); // null: nothing queued
            }

            @Override
            String what() {
                return "receive on";
            }

            @Override
            int direction() {
                return ScheduledIo.READ;
            }
        };
    }

    /**
     * Sets the socket's only peer: {@link #send} and {@link #recv} then go to and come from
     * it, datagrams from anyone else are discarded by the operating system, and ICMP errors
     * from the peer are reported. Immediate (UDP has no handshake); {@code target} must be
     * resolved.
     */
    public void connect(SocketAddress target) {
        Objects.requireNonNull(target, "target");
        try {
            channel.connect(target);
            peer = target;
        } catch (IOException e) {
            throw Net.error("connect " + local + " to", target, e);
        }
    }

    /**
     * Sends {@code src} as one datagram to the connected peer: the number of bytes sent. An
     * empty {@code src} sends nothing and completes with 0 (the JDK skips the system call for
     * an empty buffer on a connected channel); send empty datagrams with {@link #sendTo} from
     * an unconnected socket.
     */
    public Future<Integer> send(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        return new Op<>("udp.send") {
            @Override
            Integer attempt() throws IOException {
                int want = src.remaining();
                int n = channel.write(src);
                return n == 0 && want != 0 ? null : n; // want == 0: nothing was sent (see above)
            }

            @Override
            String what() {
                return "send to " + peer + " from";
            }

            @Override
            int direction() {
                return ScheduledIo.WRITE;
            }
        };
    }

    /**
     * Receives one datagram from the connected peer into {@code dst}: its length as stored
     * (truncated to the room in {@code dst}). Cancellation-safe.
     */
    public Future<Integer> recv(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new Op<>("udp.recv") {
            @Override
            Integer attempt() throws IOException {
                int before = dst.position();
                // receive, not read: it tells "no datagram" (null) from an empty datagram (0).
                return channel.receive(dst) == null ? null : dst.position() - before;
            }

            @Override
            String what() {
                return "receive from " + peer + " on";
            }

            @Override
            int direction() {
                return ScheduledIo.READ;
            }
        };
    }

    public SocketAddress localAddress() {
        return local;
    }

    /** The bound port (handy with port 0). */
    public int port() {
        return ((InetSocketAddress) local).getPort();
    }

    /** The connected peer, or null. */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** Closes the socket and releases its registration; waiting operations wake and fail. */
    @Override
    public void close() {
        io.close(channel);
    }

    @Override
    public String toString() {
        SocketAddress p = peer;
        return "UdpSocket(" + local + (p != null ? " -> " + p : "") + ")";
    }

    /**
     * One send or receive: yields before taking anything if the budget is spent, waits for
     * readiness, and makes one attempt per readiness report.
     */
    private abstract class Op<T> implements Future<T> {
        /** What a pending poll records as its wait ({@code "udp.send"} or {@code "udp.recv"}). */
        private final String op;

        Op(String op) {
            this.op = op;
        }

        /** One non-blocking attempt: the result, or null if it would block. */
        abstract T attempt() throws IOException;

        /** The operation, for error messages ("receive on" + local address). */
        abstract String what();

        abstract int direction();

        @Override
        public Poll<T> poll(Context cx) {
            if (Net.mustYield(cx)) {
                return Poll.pending();
            }
            int dir = direction();
            for (;;) {
                int ready = io.pollReady(cx, dir);
                if (ready < 0) {
                    cx.waitingOn(op, UdpSocket.this);
                    return Poll.pending();
                }
                T r;
                try {
                    r = attempt();
                } catch (IOException e) {
                    throw Net.error(what(), local, e);
                }
                if (r != null) {
                    cx.pollProceed();
                    return Poll.ready(r);
                }
                io.clearReadiness(ready, dir);
            }
        }

        @Override
        public void drop() {
            io.clearWaiter(direction());
        }
    }
}
