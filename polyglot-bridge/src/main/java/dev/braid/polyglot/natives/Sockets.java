package dev.braid.polyglot.natives;

import dev.braid.io.Io;
import dev.braid.io.LineReader;
import dev.braid.net.TcpListener;
import dev.braid.net.TcpStream;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.Permissions;
import org.graalvm.polyglot.Value;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code braid.net}'s natives, on Braid's reactor. {@code connect(host, port)} and
 * {@code listen(host, port)} (port 0 picks one; the listener is bound before it returns)
 * need the session's net grant for the host and port. A connection: {@code read} (a host
 * buffer of what arrived, null at the end), {@code readLine} (a line without its end, null at
 * the end), {@code write}/{@code writeBytes}, {@code closeWrite} (half-close), {@code close},
 * {@code remote}. A listener: {@code accept} (a connection, null once closed), {@code port},
 * {@code closeListener}. A session's listeners and connections close with it.
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
