package dev.braid.net;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Selected;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP on loopback. Loopback does not drop datagrams under light load, but no test waits
 * without a bound: every receive that could wait for a lost datagram has a timeout, and every
 * handle is awaited with one.
 */
class UdpTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    /** Long enough never to fire on a healthy run, short enough to end a broken one. */
    private static final Duration LOST = Duration.ofSeconds(10);

    private static BraidRuntime rt() {
        return BraidRuntime.builder().workerThreads(2).build();
    }

    private static <T> T inRuntime(BraidRuntime rt, Supplier<Future<T>> body) throws Exception {
        JoinHandle<T> h = rt.spawn(Future.lazy(body::get).andThen(f -> f));
        return h.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static UdpSocket bind(BraidRuntime rt) throws Exception {
        return inRuntime(rt, () -> Future.ready(UdpSocket.bind(ANY_LOOPBACK)));
    }

    private static InetSocketAddress addr(UdpSocket s) {
        return new InetSocketAddress("127.0.0.1", s.port());
    }

    /** Datagram {@code seq}: its number, then {@code seq % 1200} bytes derived from it. */
    private static ByteBuffer datagram(int seq) {
        ByteBuffer b = ByteBuffer.allocate(4 + seq % 1200);
        b.putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) (seq * 31 + b.position()));
        }
        return b.flip();
    }

    /** Checks a received datagram (flipped) against {@link #datagram} and returns its number. */
    private static int check(ByteBuffer got) {
        int seq = got.getInt(0);
        assertEquals(datagram(seq), got, "content of datagram " + seq);
        return seq;
    }

    private static Throwable rootCause(Exception e) {
        Throwable t = e;
        while (!(t instanceof UncheckedIOException || t instanceof ElapsedException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Echoes {@code count} datagrams back to their senders, checking each; gives up after {@link #LOST}. */
    private static Future<Integer> echo(UdpSocket s, int count) {
        return new Future<>() {
            final ByteBuffer buf = ByteBuffer.allocate(2048);
            Future<SocketAddress> recv;
            Future<Integer> send;
            int echoed;

            @Override
            public Poll<Integer> poll(Context cx) {
                for (;;) {
                    if (send != null) {
                        if (send.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        send = null;
                        if (++echoed == count) {
                            return Poll.ready(echoed);
                        }
                    }
                    if (recv == null) {
                        buf.clear();
                        recv = Time.timeout(LOST, s.recvFrom(buf));
                    }
                    Poll<SocketAddress> p = recv.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    recv = null;
                    buf.flip();
                    check(buf);
                    send = s.sendTo(buf, p.value());
                }
            }

            @Override
            public void drop() {
                if (recv != null) {
                    recv.drop();
                }
            }
        };
    }

    @Test
    void manyDatagramsTravelBothWaysIntact() throws Exception {
        int count = 3000;
        int window = 32; // in flight at once: far below what the socket buffers hold
        try (BraidRuntime rt = rt()) {
            UdpSocket a = bind(rt);
            UdpSocket b = bind(rt);
            JoinHandle<Integer> echoed = rt.spawn(echo(b, count));
            JoinHandle<boolean[]> back = rt.spawn(new Future<boolean[]>() {
                final boolean[] seen = new boolean[count];
                final ByteBuffer buf = ByteBuffer.allocate(2048);
                final InetSocketAddress to = addr(b);
                Future<Integer> send;
                Future<SocketAddress> recv;
                int sent;
                int received;

                @Override
                public Poll<boolean[]> poll(Context cx) {
                    for (;;) {
                        if (send != null) {
                            if (send.poll(cx).isPending()) {
                                return Poll.pending();
                            }
                            send = null;
                            sent++;
                        }
                        if (sent < count && sent - received < window) {
                            send = a.sendTo(datagram(sent), to);
                            continue;
                        }
                        if (received == count) {
                            return Poll.ready(seen);
                        }
                        if (recv == null) {
                            buf.clear();
                            recv = Time.timeout(LOST, a.recvFrom(buf));
                        }
                        Poll<SocketAddress> p = recv.poll(cx);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        recv = null;
                        assertEquals(to, p.value());
                        seen[check(buf.flip())] = true;
                        received++;
                    }
                }
            });
            boolean[] seen = back.toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(count, echoed.toCompletableFuture().get(60, TimeUnit.SECONDS));
            for (int i = 0; i < count; i++) {
                assertTrue(seen[i], "datagram " + i + " came back");
            }
            a.close();
            b.close();
        }
    }

    @Test
    void connectedSocketsSendAndReceiveOnlyFromTheirPeer() throws Exception {
        try (BraidRuntime rt = rt()) {
            UdpSocket a = bind(rt);
            UdpSocket b = bind(rt);
            UdpSocket stranger = bind(rt);
            a.connect(addr(b));
            b.connect(addr(a));
            assertEquals(addr(b), a.peerAddress());
            ByteBuffer buf = ByteBuffer.allocate(64);
            int len = inRuntime(rt, () -> a.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)))
                    .andThen(n -> Time.timeout(LOST, b.recv(buf))));
            assertEquals("ping", new String(buf.array(), 0, len, StandardCharsets.UTF_8));
            // A datagram from anyone but the peer is discarded by the connected socket.
            buf.clear();
            int len2 = inRuntime(rt, () -> stranger.sendTo(ByteBuffer.wrap("intruder".getBytes(StandardCharsets.UTF_8)), addr(a))
                    .andThen(n -> b.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8))))
                    .andThen(n -> Time.timeout(LOST, a.recv(buf))));
            assertEquals("pong", new String(buf.array(), 0, len2, StandardCharsets.UTF_8));
            a.close();
            b.close();
            stranger.close();
        }
    }

    @Test
    void aRecvOnASilentSocketTimesOutAndTheSocketStillWorks() throws Exception {
        try (BraidRuntime rt = rt()) {
            UdpSocket s = bind(rt);
            JoinHandle<SocketAddress> silent = rt.spawn(Time.timeout(Duration.ofMillis(50), s.recvFrom(ByteBuffer.allocate(16))));
            Exception e = assertThrows(Exception.class, () -> silent.toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof JoinError je && je.getCause() instanceof ElapsedException, String.valueOf(e));
            UdpSocket other = bind(rt);
            ByteBuffer buf = ByteBuffer.allocate(16);
            SocketAddress from = inRuntime(rt, () -> other.sendTo(datagram(7), addr(s))
                    .andThen(n -> Time.timeout(LOST, s.recvFrom(buf))));
            assertEquals(addr(other), from);
            assertEquals(7, check(buf.flip()));
            // An empty datagram is a datagram too: it arrives with length 0.
            buf.clear();
            SocketAddress from2 = inRuntime(rt, () -> other.sendTo(ByteBuffer.allocate(0), addr(s))
                    .andThen(n -> Time.timeout(LOST, s.recvFrom(buf))));
            assertEquals(addr(other), from2);
            assertEquals(0, buf.position());
            s.close();
            other.close();
        }
    }

    @Test
    void aRecvDroppedBySelectLosesNoDatagram() throws Exception {
        int count = 200;
        try (BraidRuntime rt = rt()) {
            UdpSocket rx = bind(rt);
            UdpSocket tx = bind(rt);
            // Receiver: every receive races a 1 ms sleep, so most receives are dropped while
            // waiting; the datagrams must all arrive, in order (one sender on loopback), anyway.
            JoinHandle<int[]> got = rt.spawn(new Future<int[]>() {
                final ByteBuffer buf = ByteBuffer.allocate(2048);
                final int[] order = new int[count];
                Future<Selected<Object>> round;
                Future<Void> deadline = Time.sleep(LOST.multipliedBy(3));
                int received;
                int dropped;

                @Override
                public Poll<int[]> poll(Context cx) {
                    if (deadline.poll(cx).isReady()) {
                        throw new AssertionError("only " + received + " of " + count + " datagrams arrived");
                    }
                    for (;;) {
                        if (round == null) {
                            buf.clear();
                            round = Futures.select(rx.recvFrom(buf), Time.sleep(Duration.ofMillis(1)));
                        }
                        Poll<Selected<Object>> p = round.poll(cx);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        round = null;
                        if (p.value().index() == 1) {
                            dropped++; // the receive lost the race and was dropped
                            continue;
                        }
                        order[received++] = check(buf.flip());
                        if (received == count) {
                            assertTrue(dropped > 0, "no receive was ever dropped: the test proved nothing");
                            deadline.drop();
                            return Poll.ready(order);
                        }
                    }
                }
            });
            // Sender: one datagram every ~2 ms, so receivers are often waiting when one arrives.
            rt.spawn(new Future<Void>() {
                Future<?> step;
                int sent;

                @Override
                public Poll<Void> poll(Context cx) {
                    for (;;) {
                        if (step == null) {
                            if (sent == count) {
                                return Poll.ready(null);
                            }
                            int seq = sent;
                            step = Time.sleep(Duration.ofMillis(seq % 3)).andThen(v -> tx.sendTo(datagram(seq), addr(rx)));
                        }
                        if (step.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        step = null;
                        sent++;
                    }
                }
            });
            int[] order = got.toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertEquals(i, order[i], "datagram at position " + i);
            }
            rx.close();
            tx.close();
        }
    }

    @Test
    void aConnectedSocketReportsPortUnreachable() throws Exception {
        try (BraidRuntime rt = rt()) {
            int closedPort;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = probe.getLocalPort();
            }
            InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", closedPort);
            UdpSocket s = bind(rt);
            s.connect(nobody);
            // The first send goes out; the ICMP answer fails the receive (or a later send).
            Exception e = assertThrows(Exception.class, () -> inRuntime(rt, () -> s.send(datagram(1))
                    .andThen(n -> Time.timeout(LOST, s.recv(ByteBuffer.allocate(64))))));
            Throwable cause = rootCause(e);
            if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux") && cause instanceof ElapsedException) {
                return; // this platform drops the ICMP error silently (see UdpSocket's documentation)
            }
            assertInstanceOf(UncheckedIOException.class, cause);
            assertInstanceOf(PortUnreachableException.class, cause.getCause());
            String m = cause.getMessage();
            assertTrue(m.contains("from " + nobody) && m.contains("port unreachable"), m);
            s.close();
        }
    }

    @Test
    void closeWakesAPendingRecvWithAnError() throws Exception {
        try (BraidRuntime rt = rt()) {
            UdpSocket s = bind(rt);
            List<String> steps = new ArrayList<>();
            JoinHandle<SocketAddress> recv = rt.spawn(new Future<SocketAddress>() {
                final Future<SocketAddress> inner = s.recvFrom(ByteBuffer.allocate(16));
                boolean closing;

                @Override
                public Poll<SocketAddress> poll(Context cx) {
                    Poll<SocketAddress> p = inner.poll(cx);
                    if (p.isPending() && !closing) {
                        closing = true; // waiting now: close it from another task
                        steps.add("waiting");
                        rt.spawn(Future.lazy(() -> {
                            s.close();
                            return null;
                        }));
                    }
                    return p;
                }
            });
            Exception e = assertThrows(Exception.class, () -> recv.toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertEquals(List.of("waiting"), steps);
            Throwable cause = rootCause(e);
            assertInstanceOf(UncheckedIOException.class, cause);
            assertTrue(cause.getMessage().contains("receive on " + s.localAddress()), cause.getMessage());
        }
    }

    @Test
    void bindingATakenPortSaysWhere() throws Exception {
        try (BraidRuntime rt = rt()) {
            UdpSocket s = bind(rt);
            Exception e = assertThrows(Exception.class, () -> inRuntime(rt, () -> Future.ready(UdpSocket.bind(addr(s)))));
            String m = rootCause(e).getMessage();
            assertTrue(m.contains("bind " + addr(s)) && m.toLowerCase(Locale.ROOT).contains("in use"), m);
            s.close();
        }
    }
}
