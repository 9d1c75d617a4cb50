package dev.braid.net;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.io.Io;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP on loopback: echo under load, a large transfer, half-close, timeouts and real errors. */
class TcpTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private static BraidRuntime rt() {
        return BraidRuntime.builder().workerThreads(2).build();
    }

    /** Runs {@code body} inside the runtime (so binds and connects find the I/O driver). */
    private static <T> T inRuntime(BraidRuntime rt, Supplier<Future<T>> body) throws Exception {
        JoinHandle<T> h = rt.spawn(Future.lazy(body::get).andThen(f -> f));
        return h.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** An echo server: each connection is read to its end, written back, and closed. */
    private static void serveEcho(BraidRuntime rt, TcpListener l, int connections) {
        rt.spawn(new Future<Void>() {
            int accepted;
            Future<TcpStream> next;

            @Override
            public Poll<Void> poll(Context cx) {
                while (accepted < connections) {
                    if (next == null) {
                        next = l.accept();
                    }
                    Poll<TcpStream> p = next.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    next = null;
                    accepted++;
                    TcpStream s = p.value();
                    rt.spawn(Io.readToEnd(s).andThen(bytes -> s.writeAll(ByteBuffer.wrap(bytes)))
                            .andThen(v -> s.shutdownOutput()).map(v -> {
                                s.close();
                                return null;
                            }));
                }
                return Poll.ready(null);
            }
        });
    }

    /** Connects, sends {@code payload} and half-closes while reading the echo to its end. */
    private static Future<byte[]> echoClient(InetSocketAddress addr, byte[] payload) {
        return TcpStream.connect(addr).andThen(s -> Futures.join(
                        s.writeAll(ByteBuffer.wrap(payload)).andThen(v -> s.shutdownOutput()),
                        Io.readToEnd(s), (v, bytes) -> {
                            s.close();
                            return bytes;
                        }));
    }

    @Test
    void aThousandConcurrentEchoClientsGetEveryByteBack() throws Exception {
        int clients = 1000;
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            serveEcho(rt, l, clients);
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            Random rnd = new Random(5);
            List<byte[]> payloads = new ArrayList<>();
            List<JoinHandle<byte[]>> handles = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] p = new byte[rnd.nextInt(20_000)];
                rnd.nextBytes(p);
                payloads.add(p);
                handles.add(rt.spawn(echoClient(addr, p)));
            }
            for (int i = 0; i < clients; i++) {
                assertArrayEquals(payloads.get(i), handles.get(i).toCompletableFuture().get(60, TimeUnit.SECONDS),
                        "client " + i);
            }
            l.close();
        }
    }

    @Test
    void aHundredMegabytesThroughOneConnectionKeepTheirChecksum() throws Exception {
        long total = 100L << 20;
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            // Receiver: CRC of everything until the end of the stream.
            JoinHandle<Long> received = rt.spawn(l.accept().andThen(s -> new Future<Long>() {
                final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                final CRC32 crc = new CRC32();
                long n;

                @Override
                public Poll<Long> poll(Context cx) {
                    for (;;) {
                        Poll<Integer> p = s.pollRead(cx, buf);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        if (p.value() < 0) {
                            assertEquals(total, n);
                            s.close();
                            return Poll.ready(crc.getValue());
                        }
                        buf.flip();
                        crc.update(buf);
                        n += p.value();
                        buf.clear();
                    }
                }
            }));
            // Sender: 100 chunks of 1 MB of seeded random bytes.
            CRC32 sentCrc = new CRC32();
            JoinHandle<Void> sent = rt.spawn(TcpStream.connect(addr).andThen(s -> new Future<Void>() {
                final Random rnd = new Random(9);
                final byte[] chunk = new byte[1 << 20];
                ByteBuffer out;
                int chunks;

                @Override
                public Poll<Void> poll(Context cx) {
                    for (;;) {
                        if (out == null || !out.hasRemaining()) {
                            if (chunks == 100) {
                                s.close();
                                return Poll.ready(null);
                            }
                            rnd.nextBytes(chunk);
                            sentCrc.update(chunk);
                            out = ByteBuffer.wrap(chunk);
                            chunks++;
                        }
                        if (s.pollWrite(cx, out).isPending()) {
                            return Poll.pending();
                        }
                    }
                }
            }));
            sent.toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(sentCrc.getValue(), received.toCompletableFuture().get(120, TimeUnit.SECONDS));
            l.close();
        }
    }

    /**
     * Request/response on one keep-alive connection: the reader drains the socket and waits
     * again every round while the read interest stays registered (ScheduledIo's lazy removal);
     * a lost wake-up would end a round in its timeout.
     */
    @Test
    void twoThousandRoundTripsOnOneConnectionNeverStall() throws Exception {
        int rounds = 2000;
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            // Server: answers each 4-byte number with the number plus one.
            rt.spawn(l.accept().andThen(s -> new Future<Void>() {
                final ByteBuffer buf = ByteBuffer.allocate(4);
                Future<Void> step;

                @Override
                public Poll<Void> poll(Context cx) {
                    for (;;) {
                        if (step == null) {
                            buf.clear();
                            step = Io.readExact(s, buf).andThen(v -> s.writeAll(ByteBuffer.allocate(4).putInt(0, buf.getInt(0) + 1)));
                        }
                        if (step.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        step = null;
                    }
                }
            }));
            int last = inRuntime(rt, () -> TcpStream.connect(addr).andThen(c -> new Future<Integer>() {
                final ByteBuffer in = ByteBuffer.allocate(4);
                Future<Void> step;
                int n;

                @Override
                public Poll<Integer> poll(Context cx) {
                    for (;;) {
                        if (step == null) {
                            if (n == rounds) {
                                c.close();
                                return Poll.ready(n);
                            }
                            in.clear();
                            step = c.writeAll(ByteBuffer.allocate(4).putInt(0, n))
                                    .andThen(v -> Time.timeout(Duration.ofSeconds(10), c.readExact(in)));
                        }
                        if (step.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        step = null;
                        assertEquals(n + 1, in.getInt(0), "answer in round " + n);
                        n++;
                    }
                }
            }));
            assertEquals(rounds, last);
            l.close();
        }
    }

    @Test
    void halfCloseWorksInBothDirections() throws Exception {
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            // Server: reads the client's whole message (the client half-closed), then answers.
            JoinHandle<String> server = rt.spawn(l.accept().andThen(s -> Io.readToEnd(s).andThen(req ->
                    s.writeAll(ByteBuffer.wrap(("got " + new String(req)).getBytes()))
                            .andThen(v -> s.shutdownOutput())
                            .andThen(v -> Io.readToEnd(s)) // the client's side is at its end already
                            .map(rest -> {
                                s.close();
                                return new String(req) + "|" + rest.length;
                            }))));
            String reply = inRuntime(rt, () -> TcpStream.connect(addr).andThen(c ->
                    c.writeAll(ByteBuffer.wrap("hello".getBytes())).andThen(v -> c.shutdownOutput())
                            .andThen(v -> Io.readToEnd(c)).map(bytes -> {
                                c.close();
                                return new String(bytes);
                            })));
            assertEquals("got hello", reply);
            assertEquals("hello|0", server.toCompletableFuture().get(30, TimeUnit.SECONDS));
            l.close();
        }
    }

    @Test
    void aReadFromASilentPeerTimesOut() throws Exception {
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            JoinHandle<TcpStream> server = rt.spawn(l.accept()); // accepts and says nothing
            JoinHandle<Integer> read = rt.spawn(TcpStream.connect(addr)
                    .andThen(c -> Time.timeout(Duration.ofMillis(50), c.read(ByteBuffer.allocate(16)))));
            Exception e = assertThrows(Exception.class, () -> read.toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof JoinError je && je.getCause() instanceof ElapsedException, String.valueOf(e));
            server.toCompletableFuture().get(30, TimeUnit.SECONDS).close();
            l.close();
        }
    }

    @Test
    void aPeerResetGivesThatStreamAClearErrorAndNothingElse() throws Exception {
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", l.port());
            // First connection: the server resets it (linger 0, then close) after sending a byte.
            rt.spawn(l.accept().andThen(s -> s.writeAll(ByteBuffer.wrap(new byte[] {1})).map(v -> {
                resetHard(s);
                return null;
            })));
            JoinHandle<Integer> victim = rt.spawn(TcpStream.connect(addr).andThen(c -> new Future<Integer>() {
                final ByteBuffer buf = ByteBuffer.allocate(16);
                int got;

                @Override
                public Poll<Integer> poll(Context cx) {
                    for (;;) {
                        buf.clear();
                        Poll<Integer> p = c.pollRead(cx, buf);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        if (p.value() < 0) {
                            return Poll.ready(got); // a FIN instead of RST is also possible on some stacks
                        }
                        got += p.value();
                    }
                }
            }));
            Exception e = assertThrows(Exception.class, () -> victim.toCompletableFuture().get(30, TimeUnit.SECONDS));
            Throwable cause = e.getCause().getCause();
            assertTrue(cause instanceof UncheckedIOException, String.valueOf(cause));
            // The reset may even beat the client's finishing of the connect: either way the error
            // names the operation and the peer.
            String m = cause.getMessage();
            assertTrue((m.startsWith("read from ") || m.startsWith("connect ")) && m.contains("/127.0.0.1:" + l.port())
                    && m.toLowerCase().contains("reset"), m);
            // Meanwhile another connection through the same listener works normally.
            serveEcho(rt, l, 1);
            byte[] payload = "still fine".getBytes();
            assertArrayEquals(payload, inRuntime(rt, () -> echoClient(addr, payload)));
            l.close();
        }
    }

    private static void resetHard(TcpStream s) {
        try {
            java.lang.reflect.Field f = TcpStream.class.getDeclaredField("channel");
            f.setAccessible(true);
            java.nio.channels.SocketChannel ch = (java.nio.channels.SocketChannel) f.get(s);
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new AssertionError(e);
        }
        s.close();
    }

    @Test
    void connectionRefusedAndAddressInUseSayWhere() throws Exception {
        try (BraidRuntime rt = rt()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            int port = l.port();
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", port);
            Exception inUse = assertThrows(Exception.class, () -> inRuntime(rt, () -> Future.ready(TcpListener.bind(taken))));
            String m = inUse.getCause().getCause().getMessage();
            assertTrue(m.contains("bind /127.0.0.1:" + port) && m.toLowerCase().contains("in use"), m);
            l.close();
            // A port nobody listens on: closed synchronously (a closed TcpListener's socket is
            // released by the selector a moment later, when a connect may still be reset).
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", free);
            Exception refused = assertThrows(Exception.class, () -> inRuntime(rt, () -> TcpStream.connect(nobody)));
            String r = refused.getCause().getCause().getMessage();
            assertTrue(r.contains("connect /127.0.0.1:" + free) && r.toLowerCase().contains("refused"), r);
        }
    }

    @Test
    void theCurrentThreadFlavourServesConnectionsToo() {
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().build()) {
            byte[] payload = new byte[300_000];
            new Random(3).nextBytes(payload);
            byte[] back = rt.blockOn(Future.lazy(() -> {
                TcpListener l = TcpListener.bind(ANY_LOOPBACK);
                serveEcho(rt, l, 1);
                return echoClient(new InetSocketAddress("127.0.0.1", l.port()), payload).map(b -> {
                    l.close();
                    return b;
                });
            }).andThen(f -> f));
            assertTrue(Arrays.equals(payload, back));
        }
    }

    @Test
    void aPausedClockDoesNotJumpWhileDataIsWaitingToBeRead() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).clock(dev.braid.time.Clock.paused()).build()) {
            TcpListener l = inRuntime(rt, () -> Future.ready(TcpListener.bind(ANY_LOOPBACK)));
            // A plain blocking client outside the runtime has already sent its bytes when the
            // server starts reading: whenever the runtime looks idle, data is ready to read.
            try (java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), l.port())) {
                client.getOutputStream().write("ping".getBytes());
                long before = rt.clock().nanoTime();
                String got = inRuntime(rt, () -> l.accept().andThen(s -> {
                    ByteBuffer buf = ByteBuffer.allocate(4);
                    return Time.timeout(Duration.ofHours(1), s.readExact(buf)).map(v -> {
                        s.close();
                        return new String(buf.array());
                    });
                }));
                assertEquals("ping", got);
                assertTrue(rt.clock().nanoTime() - before < Duration.ofHours(1).toNanos(), "the paused clock jumped");
            }
            l.close();
        }
    }
}
