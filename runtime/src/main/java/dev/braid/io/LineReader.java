package dev.braid.io;

import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Reads text line by line from an {@link AsyncRead}, and raw bytes between lines
 * ({@link #nextChunk()}). A line ends at {@code \n} (a preceding {@code \r} is removed too);
 * the last line may lack it. Owned by one task.
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
                if (fill(cx).isPending()) {
                    return Poll.pending();
                }
            }
        };
    }

    /**
     * The bytes available next, for a reader that mixes lines and raw bytes: what a line
     * left buffered (a partly read line's bytes first), else the bytes of one read; null
     * once the stream has ended. Cancellation-safe as {@link #next()} is.
     */
    public Future<byte[]> nextChunk() {
        return cx -> {
            for (;;) {
                if (line.size() > 0 || buf.hasRemaining()) {
                    byte[] out = new byte[line.size() + buf.remaining()];
                    byte[] head = line.toByteArray();
                    line.reset();
                    System.arraycopy(head, 0, out, 0, head.length);
                    buf.get(out, head.length, out.length - head.length);
                    return Poll.ready(out);
                }
                if (eof) {
                    return Poll.ready(null);
                }
                if (fill(cx).isPending()) {
                    return Poll.pending();
                }
            }
        };
    }

    /** One read into the empty buffer; marks the end of the stream. */
    private Poll<Integer> fill(dev.braid.future.Context cx) {
        buf.clear();
        Poll<Integer> p;
        try {
            p = source.pollRead(cx, buf);
        } finally {
            buf.flip();
        }
        if (p.isReady() && p.value() < 0) {
            eof = true;
        }
        return p;
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
