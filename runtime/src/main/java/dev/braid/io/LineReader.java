package dev.braid.io;

import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Reads text line by line from an {@link AsyncRead}. A line ends at {@code \n} (a preceding
 * {@code \r} is removed too); the last line may lack it. Owned by one task.
 * {@link #next()} is cancellation-safe: bytes read by a dropped {@code next()} stay buffered
 * for the following one.
 */
public final class LineReader {
    private final AsyncRead source;
    private final Charset charset;
    private final ByteBuffer buf = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean eof;

    LineReader(AsyncRead source, Charset charset) {
        this.source = Objects.requireNonNull(source, "source");
        this.charset = Objects.requireNonNull(charset, "charset");
        buf.flip(); // empty, in read mode
    }

    /** The next line without its terminator, or {@code null} once the stream has ended. */
    public Future<String> next() {
        return cx -> {
            for (;;) {
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        return Poll.ready(take());
                    }
                    line.write(b);
                }
                if (eof) {
                    return Poll.ready(line.size() > 0 ? take() : null);
                }
                buf.clear();
                Poll<Integer> p;
                try {
                    p = source.pollRead(cx, buf);
                } finally {
                    buf.flip();
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                if (p.value() < 0) {
                    eof = true;
                }
            }
        };
    }

    private String take() {
        byte[] bytes = line.toByteArray();
        line.reset();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        return new String(bytes, 0, n, charset);
    }
}
