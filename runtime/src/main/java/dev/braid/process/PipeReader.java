package dev.braid.process;

import dev.braid.future.Context;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.io.AsyncRead;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * This process's end of a pipe from a child: its stdout or stderr, as an {@link AsyncRead}.
 * Use it with {@link dev.braid.io.Io} ({@code read}, {@code readToEnd}, {@code lines}).
 *
 * <h2>How it never blocks a worker</h2>
 * The JDK gives a child's output as a blocking {@link InputStream}. A reader that finds no
 * buffered byte starts <em>one</em> blocking {@code read} of up to {@value #CHUNK} bytes on
 * the runtime's blocking pool and returns pending; when that read returns, its bytes (or the
 * end of the stream, or the error) are stored here under the lock and the stored waker is
 * called. Then:
 * <ol>
 *   <li>At most one blocking read is in flight per pipe, and only while a reader has asked for
 *       bytes and found none buffered: the pool thread is held only inside the OS read, never
 *       while waiting for the async side, so it is released as soon as the child writes,
 *       exits or closes the pipe.
 *   <li>The chunk belongs to the blocking read while it is in flight ({@code reading}) and to
 *       readers otherwise; readers copy out of it into their buffer.
 *   <li>Bytes that arrive after the reading future was dropped stay here for the next read:
 *       {@code read} on this pipe is cancellation-safe and loses nothing.
 *   <li>{@link #close()} never closes the descriptor under an in-flight read (the number could
 *       be reused by another file before the read starts); the read closes it when it returns.
 * </ol>
 * Owned by one task at a time (like any reader); {@link #close()} may be called from anywhere.
 * A read from outside any runtime fails: the blocking read needs a runtime's pool.
 */
public final class PipeReader implements AsyncRead, AutoCloseable {
    static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final String what;
    private final Object lock = new Object();
    // All below guarded by lock.
    private byte[] chunk;
    private int pos;
    private int lim;
    private boolean reading;
    private boolean eof;
    private boolean closed;
    private boolean streamClosed;
    private IOException error;
    private Waker waker;

    PipeReader(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    /**
     * Reads what is buffered, or starts a blocking read and returns pending. Spends one unit
     * of the cooperative budget when it returns bytes.
     *
     * @throws UncheckedIOException if the read failed, or after {@link #close()}
     */
    @Override
    public Poll<Integer> pollRead(Context cx, ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return Poll.ready(0);
        }
        boolean start = false;
        synchronized (lock) {
            checkOpen();
            if (pos == lim) {
                if (error != null) {
                    throw new UncheckedIOException("reading " + what + " failed: " + error.getMessage(), error);
                }
                if (eof) {
                    return Poll.ready(-1);
                }
                waker = cx.waker();
                if (!reading) {
                    reading = true;
                    if (chunk == null) {
                        chunk = new byte[CHUNK];
                    }
                    start = true;
                }
                if (!start) {
                    cx.waitingOn("pipe.read", this);
                    return Poll.pending(); // the read in flight will wake the waker just stored
                }
            }
        }
        if (start) {
            startRead();
            cx.waitingOn("pipe.read", this);
            return Poll.pending();
        }
        // Bytes are buffered and only this reader takes them (the blocking read runs only
        // while the chunk is empty), so they are still there after the budget check unless
        // close() discarded them meanwhile.
        if (!cx.pollProceed()) {
            return Poll.pending();
        }
        synchronized (lock) {
            checkOpen();
            int n = Math.min(dst.remaining(), lim - pos);
            dst.put(chunk, pos, n);
            pos += n;
            return Poll.ready(n);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new UncheckedIOException(what + " is closed", new IOException("Stream closed"));
        }
    }

    private void startRead() {
        try {
            Offload.run(what, this::blockingRead, () -> finishRead(0, new IOException("the runtime shut down "
                    + "before the blocking read could run")));
        } catch (RuntimeException e) {
            synchronized (lock) {
                reading = false;
                waker = null;
            }
            throw e;
        }
    }

    /** Runs on the blocking pool: the one call that may block. */
    private void blockingRead() {
        byte[] b;
        synchronized (lock) {
            b = chunk;
        }
        int n;
        IOException err = null;
        try {
            n = in.read(b, 0, b.length);
        } catch (IOException e) {
            n = 0;
            err = e;
        }
        finishRead(n, err);
    }

    private void finishRead(int n, IOException err) {
        Waker w;
        boolean closeNow;
        synchronized (lock) {
            reading = false;
            if (err != null) {
                error = err;
            } else if (n < 0) {
                eof = true;
            } else if (!closed) {
                pos = 0;
                lim = n;
            }
            closeNow = (closed || eof || error != null) && !streamClosed;
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
     * Closes this end of the pipe: later reads fail, buffered bytes are discarded, a pending
     * reader is woken (and then fails). If a blocking read is in flight the descriptor is
     * closed when it returns, i.e. when the child writes, exits or closes its end. Idempotent.
     */
    @Override
    public void close() {
        Waker w;
        boolean closeNow;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pos = lim = 0;
            closeNow = !reading && !streamClosed;
            streamClosed |= closeNow;
            w = waker;
            waker = null;
        }
        if (closeNow) {
            closeQuietly();
        }
        Offload.wake(w, this);
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing a pipe's read end has nothing useful to report.
        }
    }

    @Override
    public String toString() {
        return "PipeReader[" + what + "]";
    }
}
