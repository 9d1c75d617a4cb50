package dev.braid.net;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.IoDriver;
import dev.braid.runtime.internal.ScheduledIo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening TCP socket on the runtime's I/O driver.
 *
 * <pre>{@code
 * TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
 * // in a task: l.accept() completes with the next connection
 * }</pre>
 */
public final class TcpListener implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final ScheduledIo io;
    private final IoDriver driver;
    private final SocketAddress local;

    private TcpListener(ServerSocketChannel channel, ScheduledIo io, IoDriver driver) throws IOException {
        this.channel = channel;
        this.io = io;
        this.driver = driver;
        this.local = channel.getLocalAddress();
    }

    /** Binds and listens (backlog 1 024). Call it inside a runtime (a task or blockOn). */
    public static TcpListener bind(InetSocketAddress address) {
        IoDriver driver = Net.driver("TcpListener.bind");
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.bind(address, 1024);
            return new TcpListener(ch, driver.register(ch), driver);
        } catch (IOException e) {
            closeQuietly(ch);
            throw Net.error("bind", address, e);
        }
    }

    /**
     * The next incoming connection. Cancellation-safe: a dropped accept takes no connection
     * (the next accept gets it).
     */
    public Future<TcpStream> accept() {
        return new Future<>() {
            @Override
            public Poll<TcpStream> poll(dev.braid.future.Context cx) {
                if (Net.mustYield(cx)) {
                    return Poll.pending();
                }
                for (;;) {
                    int ready = io.pollReady(cx, ScheduledIo.READ);
                    if (ready < 0) {
                        cx.waitingOn("tcp.accept", TcpListener.this);
                        return Poll.pending();
                    }
                    SocketChannel s;
                    try {
                        s = channel.accept();
                    } catch (IOException e) {
                        throw Net.error("accept on", local, e);
                    }
                    if (s == null) {
                        io.clearReadiness(ready, ScheduledIo.READ);
                        continue;
                    }
                    cx.pollProceed();
                    return Poll.ready(TcpStream.wrap(s, driver));
                }
            }

            @Override
            public void drop() {
                io.clearWaiter(ScheduledIo.READ);
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

    @Override
    public void close() {
        io.close(channel);
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing: nothing to report
            }
        }
    }

    @Override
    public String toString() {
        return "TcpListener(" + local + ")";
    }
}
