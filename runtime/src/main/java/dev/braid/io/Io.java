package dev.braid.io;

import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Futures over {@link AsyncRead} and {@link AsyncWrite}. Each is lazy (nothing happens before
 * its first poll) and keeps its progress in the buffer it was given, so a dropped
 * {@code read} or {@code write} loses nothing that the buffer does not show: what was read is
 * in {@code dst} up to its position, what was written is before {@code src}'s position.
 * {@code read} and {@code write} are cancellation-safe; {@code readExact}, {@code writeAll}
 * and {@code readToEnd} are not (dropped midway, part of the transfer has happened), but the
 * buffer says how far they got.
 */
public final class Io {
    private Io() {
    }

    /** Reads some bytes into {@code dst}: the count, or -1 at the end of the stream. */
    public static Future<Integer> read(AsyncRead r, ByteBuffer dst) {
        Objects.requireNonNull(r, "reader");
        Objects.requireNonNull(dst, "dst");
        return cx -> r.pollRead(cx, dst);
    }

    /** Fills {@code dst} completely; fails with an {@link EOFException} (wrapped) if the stream ends first. */
    public static Future<Void> readExact(AsyncRead r, ByteBuffer dst) {
        Objects.requireNonNull(r, "reader");
        Objects.requireNonNull(dst, "dst");
        return cx -> {
            while (dst.hasRemaining()) {
                Poll<Integer> p = r.pollRead(cx, dst);
                if (p.isPending()) {
                    return Poll.pending();
                }
                if (p.value() < 0) {
                    throw new UncheckedIOException(new EOFException("stream ended with " + dst.remaining()
                            + " of the expected bytes missing"));
                }
            }
            return Poll.ready(null);
        };
    }

    /** Writes all of {@code src}. */
    public static Future<Void> writeAll(AsyncWrite w, ByteBuffer src) {
        Objects.requireNonNull(w, "writer");
        Objects.requireNonNull(src, "src");
        return cx -> {
            while (src.hasRemaining()) {
                if (w.pollWrite(cx, src).isPending()) {
                    return Poll.pending();
                }
            }
            return Poll.ready(null);
        };
    }

    /** Writes some of {@code src}: the number of bytes written. */
    public static Future<Integer> write(AsyncWrite w, ByteBuffer src) {
        Objects.requireNonNull(w, "writer");
        Objects.requireNonNull(src, "src");
        return cx -> w.pollWrite(cx, src);
    }

    public static Future<Void> flush(AsyncWrite w) {
        Objects.requireNonNull(w, "writer");
        return w::pollFlush;
    }

    /** Flushes and closes the writing direction. */
    public static Future<Void> shutdown(AsyncWrite w) {
        Objects.requireNonNull(w, "writer");
        return w::pollShutdown;
    }

    /** Reads until the end of the stream. */
    public static Future<byte[]> readToEnd(AsyncRead r) {
        Objects.requireNonNull(r, "reader");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        return cx -> {
            for (;;) {
                Poll<Integer> p = r.pollRead(cx, buf);
                if (p.isPending()) {
                    return Poll.pending();
                }
                if (p.value() < 0) {
                    return Poll.ready(out.toByteArray());
                }
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        };
    }

    /** A line reader over {@code r}: see {@link LineReader}. */
    public static LineReader lines(AsyncRead r, Charset charset) {
        return new LineReader(r, charset);
    }
}
