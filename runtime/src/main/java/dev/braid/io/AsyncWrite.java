package dev.braid.io;

import dev.braid.future.Context;
import dev.braid.future.Poll;

import java.nio.ByteBuffer;

/** A sink of bytes that never blocks its caller: sockets, a child process's stdin. */
public interface AsyncWrite {
    /**
     * Writes from {@code src} (its position up to its limit).
     *
     * @return ready with the number of bytes written, at least 1 (0 only if {@code src} is
     *     empty); pending, with the waker registered, while the sink has no room
     * @throws java.io.UncheckedIOException wrapping the sink's real {@code IOException}
     *     (broken pipe, reset, closed, …), with the peer or the resource in the message
     */
    Poll<Integer> pollWrite(Context cx, ByteBuffer src);

    /** Completes once everything written so far has been handed to the operating system. */
    Poll<Void> pollFlush(Context cx);

    /** Flushes, then closes the writing direction (a socket's write half, a pipe). */
    Poll<Void> pollShutdown(Context cx);
}
