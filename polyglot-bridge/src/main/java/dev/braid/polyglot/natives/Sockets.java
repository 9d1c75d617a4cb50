package dev.braid.polyglot.natives;

import dev.braid.io.Io;
import dev.braid.io.LineReader;
import dev.braid.net.TcpListener;
import dev.braid.net.TcpStream;
import dev.braid.net.UdpSocket;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.Permissions;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code braid.net}'s natives, on Braid's reactor. {@code connect(host, port)} and
 * {@code listen(host, port)} (port 0 picks one; the listener is bound before it returns)
 * need the session's net grant for the host and port. A connection: {@code read} (a host
 * buffer of what arrived, null at the end), {@code readLine} (a line without its end, null at
 * the end), {@code write}/{@code writeBytes}, {@code closeWrite} (half-close), {@code close},
 * {@code remote}. A listener: {@code accept} (a connection, null once closed), {@code port},
 * {@code closeListener}, {@code listenerAddress}. {@code addresses} gives a connection's local
 * and peer host and port; {@code resolve(host)} the host's addresses (under a grant for the
 * host). UDP: {@code udpBind(host, port)} (a null host: a client's socket on a
 * free port, which {@code udpConnect} then connects, checked), {@code udpConnect}, {@code udpSend},
 * {@code udpSendTo(u, data, off, len, host, port)} (each target checked),
 * {@code udpRecv(u, max)} ({@code [bytes, host, port]}), {@code udpAddresses},
 * {@code udpClose}. A session's listeners, connections and UDP sockets close with it.
 */
final class Sockets {
    private Sockets() {
    }

    static void put(Guest guest, LanguageAdapter lang, Map<String, Object> m) {
        Permissions perms = guest.permissions();
        m.put("connect", guest.function(a -> {
            String host = SystemApi.string(a, 0, "net.connect(host, port)", "host");
            int port = port(a, 1, "net.connect(host, port)", 1);
            return SystemApi.checkedCall(guest, lang, () -> PermissionCheck.connect(perms, host, port), () ->
                    // Name resolution may block: on the blocking pool.
                    guest.runtime().spawnBlocking("resolve " + host, () -> resolve(host, port, "net.connect"))
                            .andThen(TcpStream::connect).map(s -> connection(guest, s)));
        }));
        m.put("listen", guest.function(a -> {
            String host = SystemApi.string(a, 0, "net.listen({host, port})", "host");
            int port = port(a, 1, "net.listen({host, port})", 0);
            PermissionCheck.connect(perms, host, port);
            InetSocketAddress addr = resolve(host, port, "net.listen");
            Listener l = new Listener(TcpListener.bind(addr));
            guest.onCancel(l::close);
            return l;
        }));
        m.put("accept", guest.function(a -> {
            Listener l = Natives.handle(a[0], Listener.class);
            return guest.awaitable(() -> l.closed ? dev.braid.future.Future.ready(null)
                    : l.listener.accept().map(s -> l.closed ? null : connection(guest, s)));
        }));
        m.put("port", guest.function(a -> Natives.handle(a[0], Listener.class).listener.port()));
        m.put("closeListener", guest.function(a -> {
            Natives.handle(a[0], Listener.class).close();
            return null;
        }));
        m.put("read", guest.function(a -> {
            Connection c = Natives.handle(a[0], Connection.class);
            return guest.awaitable(() -> c.reader.nextChunk().map(b -> b == null ? null : ByteBuffer.wrap(b)));
        }));
        m.put("readLine", guest.function(a -> {
            Connection c = Natives.handle(a[0], Connection.class);
            return guest.awaitable(c.reader::next);
        }));
        m.put("write", guest.function(a -> {
            Connection c = Natives.handle(a[0], Connection.class);
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.string(a, 1, "connection.write(data)", "data").getBytes(StandardCharsets.UTF_8));
            return guest.awaitable(() -> Io.writeAll(c.stream, bytes));
        }));
        m.put("writeBytes", guest.function(a -> {
            Connection c = Natives.handle(a[0], Connection.class);
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.bytes(a, 1, "connection.write(data)"));
            return guest.awaitable(() -> Io.writeAll(c.stream, bytes));
        }));
        m.put("closeWrite", guest.function(a -> {
            Connection c = Natives.handle(a[0], Connection.class);
            return guest.awaitable(c.stream::shutdownOutput);
        }));
        m.put("close", guest.function(a -> {
            Natives.handle(a[0], Connection.class).stream.close();
            return null;
        }));
        m.put("remote", guest.function(a -> String.valueOf(Natives.handle(a[0], Connection.class).stream.peerAddress())));
        m.put("addresses", guest.function(a -> {
            TcpStream s = Natives.handle(a[0], Connection.class).stream;
            return addresses(s.localAddress(), s.peerAddress());
        }));
        m.put("listenerAddress", guest.function(a -> addresses(Natives.handle(a[0], Listener.class).listener.localAddress(), null)));
        m.put("resolve", guest.function(a -> {
            String host = SystemApi.string(a, 0, "net.resolve(host)", "host");
            PermissionCheck.resolve(perms, host);
            return guest.awaitable(() -> guest.runtime().spawnBlocking("resolve " + host, () -> {
                java.net.InetAddress[] all;
                try {
                    all = java.net.InetAddress.getAllByName(host);
                } catch (java.net.UnknownHostException e) {
                    throw new java.net.UnknownHostException("unknown host '" + host + "'");
                }
                List<Object> out = new ArrayList<>();
                for (java.net.InetAddress x : all) {
                    out.add(x.getHostAddress());
                }
                return ProxyArray.fromList(out);
            }));
        }));
        // UDP
        m.put("udpBind", guest.function(a -> {
            // A null host: a client's socket, on any free port of every interface, to be
            // connected (checked) to its one peer; otherwise the local address is checked.
            UdpSocket u;
            if (a.length == 0 || a[0].isNull()) {
                u = UdpSocket.bind(new InetSocketAddress(a.length > 1 && a[1].isBoolean() && a[1].asBoolean()
                        ? java.net.InetAddress.getByName("::") : java.net.InetAddress.getByName("0.0.0.0"), 0));
            } else {
                String host = SystemApi.string(a, 0, "udp bind(host, port)", "host");
                int port = port(a, 1, "udp bind(host, port)", 0);
                PermissionCheck.connect(perms, host, port);
                u = UdpSocket.bind(resolve(host, port, "udp bind"));
            }
            guest.onCancel(u::close);
            return u;
        }));
        m.put("udpConnect", guest.function(a -> {
            UdpSocket u = Natives.handle(a[0], UdpSocket.class);
            String host = SystemApi.string(a, 1, "udp connect(host, port)", "host");
            int port = port(a, 2, "udp connect(host, port)", 1);
            PermissionCheck.connect(perms, host, port);
            u.connect(resolve(host, port, "udp connect"));
            return null;
        }));
        m.put("udpSend", guest.function(a -> {
            UdpSocket u = Natives.handle(a[0], UdpSocket.class);
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.bytes(a, 1, "udp send(data)"));
            return guest.awaitable(() -> u.send(bytes));
        }));
        m.put("udpSendTo", guest.function(a -> {
            UdpSocket u = Natives.handle(a[0], UdpSocket.class);
            ByteBuffer bytes = ByteBuffer.wrap(SystemApi.bytes(a, 1, "udp sendto(data, addr)"));
            String host = SystemApi.string(a, 4, "udp sendto(data, addr)", "host");
            int port = port(a, 5, "udp sendto(data, addr)", 1);
            PermissionCheck.connect(perms, host, port);
            InetSocketAddress target = resolve(host, port, "udp sendto");
            return guest.awaitable(() -> u.sendTo(bytes, target));
        }));
        m.put("udpRecv", guest.function(a -> {
            UdpSocket u = Natives.handle(a[0], UdpSocket.class);
            int max = a.length > 1 && a[1].fitsInInt() ? Math.max(1, a[1].asInt()) : 65536;
            ByteBuffer buf = ByteBuffer.allocate(max);
            return guest.awaitable(() -> u.recvFrom(buf).map(from -> {
                buf.flip();
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                InetSocketAddress f = (InetSocketAddress) from;
                return ProxyArray.fromArray(ByteBuffer.wrap(b), f.getAddress().getHostAddress(), f.getPort());
            }));
        }));
        m.put("udpAddresses", guest.function(a -> {
            UdpSocket u = Natives.handle(a[0], UdpSocket.class);
            return addresses(u.localAddress(), u.peerAddress());
        }));
        m.put("udpClose", guest.function(a -> {
            Natives.handle(a[0], UdpSocket.class).close();
            return null;
        }));
    }

    /** {@code [localHost, localPort, peerHost, peerPort]} (the peer's null when there is none). */
    private static Object addresses(java.net.SocketAddress local, java.net.SocketAddress peer) {
        List<Object> out = new ArrayList<>(4);
        for (java.net.SocketAddress x : new java.net.SocketAddress[] {local, peer}) {
            if (x instanceof InetSocketAddress i) {
                out.add(i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString());
                out.add(i.getPort());
            } else {
                out.add(null);
                out.add(null);
            }
        }
        return ProxyArray.fromList(out);
    }

    private static Connection connection(Guest guest, TcpStream s) {
        Connection c = new Connection(s);
        guest.onCancel(s::close);
        return c;
    }

    private static int port(Value[] a, int i, String signature, int min) {
        if (a.length <= i || !a[i].isNumber() || !a[i].fitsInInt() || a[i].asInt() < min || a[i].asInt() > 65535) {
            throw new IllegalArgumentException(signature + ": port must be an integer in " + min + "..65535, got "
                    + (a.length <= i ? "nothing" : a[i]));
        }
        return a[i].asInt();
    }

    private static InetSocketAddress resolve(String host, int port, String what) throws java.net.UnknownHostException {
        InetSocketAddress addr = new InetSocketAddress(host, port);
        if (addr.isUnresolved()) {
            throw new java.net.UnknownHostException(what + ": unknown host '" + host + "'");
        }
        return addr;
    }

    static final class Connection {
        final TcpStream stream;
        final LineReader reader;

        Connection(TcpStream stream) {
            this.stream = stream;
            this.reader = Io.lines(stream, StandardCharsets.UTF_8);
        }
    }

    static final class Listener {
        final TcpListener listener;
        volatile boolean closed;

        Listener(TcpListener listener) {
            this.listener = listener;
        }

        void close() {
            closed = true;
            listener.close();
        }
    }
}
