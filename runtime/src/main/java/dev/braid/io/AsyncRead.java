package dev.braid.io;

import dev.braid.future.Context;
import dev.braid.future.Poll;

import java.nio.ByteBuffer;

/**
 * A source of bytes that never blocks its caller: sockets, child process pipes. The futures in
 * {@link Io} ({@code read}, {@code readExact}, {@code readToEnd}, lines) are built on this
 * one method.
 */
public interface AsyncRead {
    /**
     * Reads into {@code dst} (from its position up to its limit).
     *
     * @return ready with the number of bytes read, at least 1, or {@code -1} at the end of
     *     the stream; ready with 0 only if {@code dst} has no room; pending (with the
     *     context's waker registered) when no byte is available yet
     * @throws java.io.UncheckedIOException wrapping the stream's real {@code IOException}
     *     (connection reset, closed, …), with the peer or the resource in the message
     */
    Poll<Integer> pollRead(Context cx, ByteBuffer dst);
}
