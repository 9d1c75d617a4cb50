package dev.braid.bench;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.net.TcpListener;
import dev.braid.net.TcpStream;
import dev.braid.runtime.BraidRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The W8 servers: the same minimal HTTP/1.1 keep-alive responder four times. Each reads
 * whatever arrives, counts the requests in it by their ending {@code \r\n\r\n} (a request may
 * be split across reads, and several may arrive pipelined in one), writes one fixed response
 * per request, and keeps the connection open. No HTTP library anywhere; TCP_NODELAY on every
 * connection (Netty's default). Two threads each: Braid's 2 workers, Netty's 2 event loops
 * (which also accept), 2 carrier threads under the virtual threads.
 */
final class HttpServers {
    static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);

    private HttpServers() {
    }

    /**
     * Finds request ends in a byte stream: a tiny matcher for {@code \r\n\r\n} that keeps its
     * progress across reads.
     */
    static final class RequestEnds {
        private int matched;

        /** Feeds one byte; true if it ended a request. */
        boolean feed(byte b) {
            if (b == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (b == '\n' && (matched == 1 || matched == 3)) {
                matched++;
                if (matched == 4) {
                    matched = 0;
                    return true;
                }
            } else {
                matched = 0;
            }
            return false;
        }
    }

    /** A running server: its port, and how to stop it. */
    interface Running extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    static Running start(String impl) throws Exception {
        return switch (impl) {
            case "braid" -> braid();
            case "netty-nio" -> netty(new NioEventLoopGroup(2), NioServerSocketChannel.class);
            case "netty-epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new UnsupportedOperationException("epoll unavailable: " + Epoll.unavailabilityCause());
                }
                yield netty(new EpollEventLoopGroup(2), EpollServerSocketChannel.class);
            }
            case "vt" -> virtualThreads();
            default -> throw new IllegalArgumentException("unknown server " + impl);
        };
    }

    // ---- Braid ---------------------------------------------------------------------------------

    static Running braid() {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("w8-braid").build();
        TcpListener l = rt.blockOn(Future.lazy(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))));
        rt.spawn(new Future<Void>() { // the accept loop
            Future<TcpStream> next;

            @Override
            public Poll<Void> poll(Context cx) {
                for (;;) {
                    if (next == null) {
                        next = l.accept();
                    }
                    Poll<TcpStream> p = next.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    next = null;
                    TcpStream s = p.value();
                    s.setNoDelay(true);
                    rt.spawn(new BraidConnection(s));
                }
            }
        });
        return new Running() {
            @Override
            public int port() {
                return l.port();
            }

            @Override
            public void close() {
                l.close();
                rt.shutdown(Duration.ofSeconds(5));
            }
        };
    }

    /** One keep-alive connection: read, answer every complete request, write it all, repeat. */
    static final class BraidConnection implements Future<Void> {
        private final TcpStream s;
        private final ByteBuffer in = ByteBuffer.allocateDirect(4096);
        private ByteBuffer out = ByteBuffer.allocateDirect(RESPONSE.length * 16).flip();
        private final RequestEnds ends = new RequestEnds();

        BraidConnection(TcpStream s) {
            this.s = s;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    while (out.hasRemaining()) {
                        if (s.pollWrite(cx, out).isPending()) {
                            return Poll.pending();
                        }
                    }
                    in.clear();
                    Poll<Integer> r = s.pollRead(cx, in);
                    if (r.isPending()) {
                        return Poll.pending();
                    }
                    if (r.value() < 0) {
                        s.close();
                        return Poll.ready(null);
                    }
                    in.flip();
                    int requests = 0;
                    while (in.hasRemaining()) {
                        if (ends.feed(in.get())) {
                            requests++;
                        }
                    }
                    respond(requests);
                }
            } catch (RuntimeException e) { // reset by the client at the end of a run
                s.close();
                return Poll.ready(null);
            }
        }

        private void respond(int requests) {
            if (requests == 0) {
                return;
            }
            int need = requests * RESPONSE.length;
            if (out.capacity() < need) {
                out = ByteBuffer.allocateDirect(Integer.highestOneBit(need) * 2);
            }
            out.clear();
            for (int i = 0; i < requests; i++) {
                out.put(RESPONSE);
            }
            out.flip();
        }

        @Override
        public void drop() {
            s.close();
        }
    }

    // ---- Netty ---------------------------------------------------------------------------------

    static Running netty(EventLoopGroup group, Class<? extends ServerChannel> channel) throws InterruptedException {
        ByteBuf response = Unpooled.unreleasableBuffer(Unpooled.directBuffer(RESPONSE.length).writeBytes(RESPONSE));
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel ch) {
                        ch.pipeline().addLast(new NettyHandler(response));
                    }
                });
        io.netty.channel.Channel server = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return new Running() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() throws InterruptedException {
                server.close().sync();
                group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        };
    }

    /** Counts request ends in what arrives; one response each; flushes when the read burst ends. */
    static final class NettyHandler extends ChannelInboundHandlerAdapter {
        private final ByteBuf response;
        private final RequestEnds ends = new RequestEnds();

        NettyHandler(ByteBuf response) {
            this.response = response;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
                    if (ends.feed(in.getByte(i))) {
                        ctx.write(response.duplicate(), ctx.voidPromise());
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // reset by the client at the end of a run
        }
    }

    // ---- virtual thread per connection -----------------------------------------------------------

    static Running virtualThreads() throws IOException {
        ServerSocket ss = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = Thread.ofVirtual().name("w8-vt-accept").start(() -> {
            try {
                for (;;) {
                    Socket c = ss.accept();
                    Thread.ofVirtual().start(() -> serve(c));
                }
            } catch (IOException e) {
                // closed: the run is over
            }
        });
        return new Running() {
            @Override
            public int port() {
                return ss.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                ss.close();
                acceptor.join(5_000);
            }
        };
    }

    private static void serve(Socket c) {
        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
            c.setTcpNoDelay(true);
            byte[] buf = new byte[4096];
            byte[] answer = new byte[RESPONSE.length * 16];
            RequestEnds ends = new RequestEnds();
            for (int n; (n = in.read(buf)) >= 0; ) {
                int requests = 0;
                for (int i = 0; i < n; i++) {
                    if (ends.feed(buf[i])) {
                        requests++;
                    }
                }
                if (requests == 0) {
                    continue;
                }
                if (answer.length < requests * RESPONSE.length) {
                    answer = new byte[Integer.highestOneBit(requests * RESPONSE.length) * 2];
                }
                for (int i = 0; i < requests; i++) {
                    System.arraycopy(RESPONSE, 0, answer, i * RESPONSE.length, RESPONSE.length);
                }
                out.write(answer, 0, requests * RESPONSE.length);
            }
        } catch (IOException e) {
            // reset by the client at the end of a run
        }
    }
}
