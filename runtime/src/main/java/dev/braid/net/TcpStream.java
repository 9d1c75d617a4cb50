package dev.braid.net;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.io.AsyncRead;
import dev.braid.io.AsyncWrite;
import dev.braid.io.Io;
import dev.braid.runtime.internal.IoDriver;
import dev.braid.runtime.internal.ScheduledIo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP connection on the runtime's I/O driver: an {@link AsyncRead} and {@link AsyncWrite}
 * (so every future of {@link Io} works on it). Reads and writes wait independently: one task
 * may read while another writes ({@link #split()} makes that explicit). Each successful read
 * or write spends one unit of the task's cooperative budget.
 *
 * <p>Errors are the operating system's (connection refused, reset, broken pipe), thrown as
 * {@link java.io.UncheckedIOException} with the peer's address in the message; a failing
 * connection affects only itself.
 */
public final class TcpStream implements AsyncRead, AsyncWrite, AutoCloseable {
    private final SocketChannel channel;
    private final ScheduledIo io;
    private final SocketAddress peer;
    private final SocketAddress local;

    private TcpStream(SocketChannel channel, ScheduledIo io) throws IOException {
        this.channel = channel;
        this.io = io;
        this.peer = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    static TcpStream wrap(SocketChannel ch, IoDriver driver) {
        try {
            return new TcpStream(ch, driver.register(ch));
        } catch (IOException e) {
            TcpListener.closeQuietly(ch);
            throw Net.error("register accepted connection", null, e);
        }
    }

    /**
     * Connects to {@code address}. Lazy: the connection attempt starts at the first poll.
     * Dropping the future before it completes closes the half-open socket.
     */
    public static Future<TcpStream> connect(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        return new Future<>() {
            private SocketChannel ch;
            private ScheduledIo io;

            @Override
            public Poll<TcpStream> poll(Context cx) {
                try {
                    if (ch == null) {
                        IoDriver driver = Net.driver("TcpStream.connect");
                        ch = SocketChannel.open();
                        io = driver.register(ch);
                        if (ch.connect(address)) {
                            return done();
                        }
                    }
                    for (;;) {
                        int ready = io.pollReady(cx, ScheduledIo.WRITE);
                        if (ready < 0) {
                            cx.waitingOn("tcp.connect", address);
                            return Poll.pending();
                        }
                        if (ch.finishConnect()) {
                            return done();
                        }
                        io.clearReadiness(ready, ScheduledIo.WRITE);
                    }
                } catch (IOException e) {
                    drop();
                    throw Net.error("connect", address, e);
                }
            }

            private Poll<TcpStream> done() throws IOException {
                TcpStream s = new TcpStream(ch, io);
                ch = null; // ours no more
                return Poll.ready(s);
            }

            @Override
            public void drop() {
                if (io != null && ch != null) {
                    io.close(ch);
                } else {
                    TcpListener.closeQuietly(ch);
                }
                ch = null;
            }
        };
    }

    // ---- AsyncRead / AsyncWrite ----------------------------------------------------------------

    @Override
    public Poll<Integer> pollRead(Context cx, ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return Poll.ready(0);
        }
        if (Net.mustYield(cx)) {
            return Poll.pending();
        }
        for (;;) {
            int ready = io.pollReady(cx, ScheduledIo.READ);
            if (ready < 0) {
                cx.waitingOn("tcp.read", this);
                return Poll.pending();
            }
            int n;
            try {
                n = channel.read(dst);
            } catch (IOException e) {
                throw Net.error("read from", peer, e);
            }
            if (n != 0) {
                cx.pollProceed();
                return Poll.ready(n); // bytes, or -1 at the end of the stream
            }
            io.clearReadiness(ready, ScheduledIo.READ);
        }
    }

    @Override
    public Poll<Integer> pollWrite(Context cx, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return Poll.ready(0);
        }
        if (Net.mustYield(cx)) {
            return Poll.pending();
        }
        for (;;) {
            int ready = io.pollReady(cx, ScheduledIo.WRITE);
            if (ready < 0) {
                cx.waitingOn("tcp.write", this);
                return Poll.pending();
            }
            int n;
            try {
                n = channel.write(src);
            } catch (IOException e) {
                throw Net.error("write to", peer, e);
            }
            if (n > 0) {
                cx.pollProceed();
                return Poll.ready(n);
            }
            io.clearReadiness(ready, ScheduledIo.WRITE);
        }
    }

    /** Nothing is buffered above the socket: always ready. */
    @Override
    public Poll<Void> pollFlush(Context cx) {
        return Poll.ready(null);
    }

    /** Closes the write half: the peer reads the end of the stream; reading here goes on. */
    @Override
    public Poll<Void> pollShutdown(Context cx) {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw Net.error("shut down the write half to", peer, e);
        }
        return Poll.ready(null);
    }

    // ---- conveniences -------------------------------------------------------------------------

    /** Some bytes into {@code dst}: the count, or -1 at the end of the stream (cancellation-safe). */
    public Future<Integer> read(ByteBuffer dst) {
        return Io.read(this, dst);
    }

    /** Fills {@code dst}; not cancellation-safe (see {@link Io}). */
    public Future<Void> readExact(ByteBuffer dst) {
        return Io.readExact(this, dst);
    }

    /** Some bytes of {@code src}: the count (cancellation-safe). */
    public Future<Integer> write(ByteBuffer src) {
        return Io.write(this, src);
    }

    /** All of {@code src}; not cancellation-safe (see {@link Io}). */
    public Future<Void> writeAll(ByteBuffer src) {
        return Io.writeAll(this, src);
    }

    public Future<Void> flush() {
        return Io.flush(this);
    }

    /** Closes the write half. */
    public Future<Void> shutdownOutput() {
        return Io.shutdown(this);
    }

    public void setNoDelay(boolean on) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (IOException e) {
            throw Net.error("set TCP_NODELAY on the connection to", peer, e);
        }
    }

    public SocketAddress peerAddress() {
        return peer;
    }

    public SocketAddress localAddress() {
        return local;
    }

    /**
     * The two directions as separate objects, for a reading task and a writing task. They
     * share this connection (closing either half's stream closes both).
     */
    public Split split() {
        return new Split(new ReadHalf(this), new WriteHalf(this));
    }

    public record Split(ReadHalf read, WriteHalf write) {
    }

    /** The reading direction of a {@link TcpStream}. */
    public record ReadHalf(TcpStream stream) implements AsyncRead {
        @Override
        public Poll<Integer> pollRead(Context cx, ByteBuffer dst) {
            return stream.pollRead(cx, dst);
        }
    }

    /** The writing direction of a {@link TcpStream}. */
    public record WriteHalf(TcpStream stream) implements AsyncWrite {
        @Override
        public Poll<Integer> pollWrite(Context cx, ByteBuffer src) {
            return stream.pollWrite(cx, src);
        }

        @Override
        public Poll<Void> pollFlush(Context cx) {
            return stream.pollFlush(cx);
        }

        @Override
        public Poll<Void> pollShutdown(Context cx) {
            return stream.pollShutdown(cx);
        }
    }

    /** Closes the connection and releases its registration; waiters wake and see the error. */
    @Override
    public void close() {
        io.close(channel);
    }

    @Override
    public String toString() {
        return "TcpStream(" + local + " -> " + peer + ")";
    }
}
