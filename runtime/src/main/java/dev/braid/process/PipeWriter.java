package dev.braid.process;

import dev.braid.future.Context;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.io.AsyncWrite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * This process's end of the pipe to a child's stdin, as an {@link AsyncWrite}. Use it with
 * {@link dev.braid.io.Io} ({@code writeAll}, {@code flush}, {@code shutdown}); shutting it
 * down or {@linkplain #close() closing} it is how the child sees the end of its input.
 *
 * <h2>How it never blocks a worker</h2>
 * {@code pollWrite} copies up to {@value #CHUNK} bytes into this writer's buffer, starts one
 * blocking {@code write} + {@code flush} of them on the runtime's blocking pool, and returns
 * ready with the count: the bytes are now on their way, as with a file in Tokio. While that
 * transfer is in flight further writes, flushes and shutdowns are pending; the transfer wakes
 * them when the child has taken the bytes (or the pipe broke). So:
 * <ol>
 *   <li>At most one blocking write is in flight per pipe; its pool thread waits only inside
 *       the OS write, i.e. only while the child does not read.
 *   <li>A write error (the child closed its stdin or exited: "Broken pipe") is reported by
 *       the next {@code pollWrite}, {@code pollFlush} or {@code pollShutdown}.
 *   <li>{@code pollFlush} is ready once no transfer is in flight, which means every byte
 *       written so far has been handed to the operating system.
 *   <li>The descriptor is never closed under an in-flight write; a {@link #close()} during one
 *       closes it when the write returns.
 * </ol>
 * A pending {@code pollWrite} has taken nothing, so {@code Io.write} over this writer is
 * cancellation-safe ({@code Io.writeAll} is not: its buffer's position says how far it got);
 * a dropped flush or shutdown that was pending has done nothing.
 *
 * <p>Once the JDK has noticed that the child exited it silently discards later writes (it
 * swaps the pipe for a null stream), so writing to a dead child may succeed instead of
 * failing with a broken pipe.
 */
public final class PipeWriter implements AsyncWrite, AutoCloseable {
    static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private final String what;
    private final Object lock = new Object();
    // All below guarded by lock.
    private byte[] buf;
    private boolean writing;
    private boolean closed;
    private boolean streamClosed;
    private IOException error;
    private Waker waker;

    PipeWriter(OutputStream out, String what) {
        this.out = out;
        this.what = what;
    }

    /**
     * Hands up to {@value #CHUNK} bytes of {@code src} to a blocking write, or returns pending
     * while the previous one is in flight. Spends one unit of the cooperative budget when it
     * takes bytes.
     *
     * @throws UncheckedIOException if an earlier transfer failed, or after shutdown or close
     */
    @Override
    public Poll<Integer> pollWrite(Context cx, ByteBuffer src) {
        synchronized (lock) {
            checkUsable();
            if (!src.hasRemaining()) {
                return Poll.ready(0);
            }
            if (writing) {
                waker = cx.waker();
                cx.waitingOn("pipe.write", this); // the transfer in flight
                return Poll.pending();
            }
        }
        // Idle, and only the owner starts transfers: still idle after the budget check.
        if (!cx.pollProceed()) {
            return Poll.pending();
        }
        int n;
        int start = src.position();
        synchronized (lock) {
            checkUsable();
            if (buf == null) {
                buf = new byte[CHUNK];
            }
            n = Math.min(src.remaining(), CHUNK);
            src.get(buf, 0, n);
            writing = true;
        }
        int len = n;
        try {
            Offload.run(what, () -> blockingWrite(len), () -> finishWrite(
                    new IOException("the runtime shut down before the blocking write could run")));
        } catch (RuntimeException e) {
            synchronized (lock) {
                writing = false;
            }
            src.position(start);
            throw e;
        }
        return Poll.ready(n);
    }

    /** Ready once no transfer is in flight; throws the error of a failed one. */
    @Override
    public Poll<Void> pollFlush(Context cx) {
        synchronized (lock) {
            if (error != null) {
                throw failure();
            }
            if (writing) {
                waker = cx.waker();
                cx.waitingOn("pipe.write", this); // the transfer in flight
                return Poll.pending();
            }
            return Poll.ready(null);
        }
    }

    /** Flushes, then closes the pipe: the child reads end of file. Idempotent once done. */
    @Override
    public Poll<Void> pollShutdown(Context cx) {
        boolean closeNow;
        synchronized (lock) {
            if (error != null) {
                throw failure();
            }
            if (writing) {
                waker = cx.waker();
                cx.waitingOn("pipe.write", this); // the transfer in flight
                return Poll.pending();
            }
            closed = true;
            closeNow = !streamClosed;
            streamClosed = true;
        }
        if (closeNow) {
            try {
                out.close(); // nothing is buffered in the JDK stream: each transfer flushed
            } catch (IOException e) {
                throw new UncheckedIOException("closing " + what + " failed: " + e.getMessage(), e);
            }
        }
        return Poll.ready(null);
    }

    /** Runs on the blocking pool: the one call that may block. */
    private void blockingWrite(int len) {
        byte[] b;
        synchronized (lock) {
            b = buf;
        }
        IOException err = null;
        try {
            out.write(b, 0, len);
            out.flush();
        } catch (IOException e) {
            err = e;
        }
        finishWrite(err);
    }

    private void finishWrite(IOException err) {
        Waker w;
        boolean closeNow;
        synchronized (lock) {
            writing = false;
            if (err != null && error == null) {
                error = err;
            }
            closeNow = closed && !streamClosed;
            streamClosed |= closeNow;
            w = waker;
            waker = null;
        }
        if (closeNow) {
            closeQuietly();
        }
        Offload.wake(w, this);
    }

    /**
     * Closes the pipe without waiting: the child sees end of file once any transfer in flight
     * has returned. Later writes fail. Idempotent.
     */
    @Override
    public void close() {
        Waker w;
        boolean closeNow;
        synchronized (lock) {
            if (closed && streamClosed) {
                return;
            }
            closed = true;
            closeNow = !writing && !streamClosed;
            streamClosed |= closeNow;
            w = waker;
            waker = null;
        }
        if (closeNow) {
            closeQuietly();
        }
        Offload.wake(w, this);
    }

    private void checkUsable() {
        if (error != null) {
            throw failure();
        }
        if (closed) {
            throw new UncheckedIOException(what + " is closed", new IOException("Stream closed"));
        }
    }

    private UncheckedIOException failure() {
        return new UncheckedIOException("writing to " + what + " failed: " + error.getMessage(), error);
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // The child may be gone; there is nobody to tell.
        }
    }

    @Override
    public String toString() {
        return "PipeWriter[" + what + "]";
    }
}
