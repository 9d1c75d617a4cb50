package dev.braid.polyglot.natives;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.io.AsyncRead;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A byte stream (a child's output, a connection) as guests read it: by lines or by chunks,
 * each read starting where the last one ended. Used by one awaiting task at a time.
 */
final class StreamReader {
    private final AsyncRead source;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();
    private boolean ended;

    StreamReader(AsyncRead source) {
        this.source = source;
    }

    /** The next line without its end ({@code \n} or {@code \r\n}), UTF-8; null at the end. */
    Future<String> readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        return cx -> {
            while (true) {
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        return Poll.ready(text(line));
                    }
                    line.write(b);
                }
                if (ended) {
                    return Poll.ready(line.size() > 0 ? text(line) : null);
                }
                if (fill(cx).isPending()) {
                    return Poll.pending();
                }
            }
        };
    }

    /** The bytes available next (what is buffered, or one read); null at the end. */
    Future<ByteBuffer> read() {
        return cx -> {
            while (!buf.hasRemaining()) {
                if (ended) {
                    return Poll.ready(null);
                }
                if (fill(cx).isPending()) {
                    return Poll.pending();
                }
            }
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            return Poll.ready(ByteBuffer.wrap(b));
        };
    }

    private Poll<Integer> fill(Context cx) {
        buf.clear();
        Poll<Integer> p;
        try {
            p = source.pollRead(cx, buf);
        } finally {
            buf.flip();
        }
        if (p.isReady() && p.value() < 0) {
            ended = true;
        }
        return p;
    }

    private static String text(ByteArrayOutputStream line) {
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
