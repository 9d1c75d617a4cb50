package dev.braid.io;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Io futures over a scripted reader that hands out random chunks and is pending at random. */
class IoTest {
    /** Reads {@code data} in chunks of 1..max bytes; every other poll (at random) is pending first. */
    static final class Chunked implements AsyncRead {
        final byte[] data;
        final Random rnd;
        final int max;
        int pos;
        int pendings;

        Chunked(byte[] data, long seed, int max) {
            this.data = data;
            this.rnd = new Random(seed);
            this.max = max;
        }

        @Override
        public Poll<Integer> pollRead(Context cx, ByteBuffer dst) {
            if (!dst.hasRemaining()) {
                return Poll.ready(0);
            }
            if (rnd.nextBoolean()) {
                pendings++;
                cx.waker().wake();
                return Poll.pending();
            }
            if (pos == data.length) {
                return Poll.ready(-1);
            }
            int n = Math.min(Math.min(dst.remaining(), data.length - pos), 1 + rnd.nextInt(max));
            dst.put(data, pos, n);
            pos += n;
            return Poll.ready(n);
        }
    }

    static <T> T drive(Future<T> f) {
        Context cx = new Context(Waker.NOOP);
        for (int i = 0; i < 1_000_000; i++) {
            Poll<T> p = f.poll(cx);
            if (p.isReady()) {
                return p.value();
            }
        }
        throw new AssertionError("never completed");
    }

    @Test
    void readToEndAndReadExactReassembleEveryByte() {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        assertArrayEquals(data, drive(Io.readToEnd(new Chunked(data, 2, 5000))));
        ByteBuffer exact = ByteBuffer.allocate(data.length);
        drive(Io.readExact(new Chunked(data, 3, 777), exact));
        assertArrayEquals(data, exact.array());
    }

    @Test
    void readExactPastTheEndFailsWithEof() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> drive(Io.readExact(new Chunked(new byte[10], 4, 3), ByteBuffer.allocate(11))));
        assertTrue(e.getCause() instanceof EOFException);
        assertTrue(e.getMessage().contains("1 of the expected bytes missing"), e.getMessage());
    }

    @Test
    void linesSplitOnNewlinesAcrossChunksAndDropCarriageReturns() {
        String text = "alpha\r\nbeta\n\ngamma-without-newline";
        LineReader lines = Io.lines(new Chunked(text.getBytes(StandardCharsets.UTF_8), 5, 3), StandardCharsets.UTF_8);
        List<String> got = new ArrayList<>();
        for (String l; (l = drive(lines.next())) != null; ) {
            got.add(l);
        }
        assertEquals(List.of("alpha", "beta", "", "gamma-without-newline"), got);
        assertNull(drive(lines.next()));
    }

    @Test
    void aDroppedNextLosesNoBytes() {
        String text = "one\ntwo\nthree\n";
        Chunked src = new Chunked(text.getBytes(StandardCharsets.UTF_8), 6, 2);
        LineReader lines = Io.lines(src, StandardCharsets.UTF_8);
        Context cx = new Context(Waker.NOOP);
        List<String> got = new ArrayList<>();
        // Start many next() futures, poll each once, and abandon the ones still pending.
        while (got.size() < 3) {
            Poll<String> p = lines.next().poll(cx);
            if (p.isReady()) {
                got.add(p.value());
            }
        }
        assertEquals(List.of("one", "two", "three"), got);
    }

    @Test
    void chunksBetweenLines_includeWhatALineLeftBuffered_andWhatADroppedLineHadRead() {
        String text = "head\nrest of it\nmore";
        Chunked src = new Chunked(text.getBytes(StandardCharsets.UTF_8), 7, 2);
        LineReader lines = Io.lines(src, StandardCharsets.UTF_8);
        assertEquals("head", drive(lines.next()));
        // "rest" ... was read with the first line's chunk: a chunk starts with it.
        StringBuilder after = new StringBuilder();
        Context cx = new Context(Waker.NOOP);
        Poll<String> dropped = lines.next().poll(cx); // may take "rest of it" halfway, then is abandoned
        if (dropped.isReady()) {
            after.append(dropped.value()).append('\n');
        }
        for (byte[] b; (b = drive(lines.nextChunk())) != null; ) {
            after.append(new String(b, StandardCharsets.UTF_8));
        }
        assertEquals("rest of it\nmore", after.toString(), "no byte lost or doubled");
        assertNull(drive(lines.next()));
    }

    @Test
    void writeAllWritesEverythingThroughAShortWriter() {
        ByteBuffer sink = ByteBuffer.allocate(50_000);
        Random rnd = new Random(7);
        AsyncWrite w = new AsyncWrite() {
            @Override
            public Poll<Integer> pollWrite(Context cx, ByteBuffer src) {
                if (rnd.nextBoolean()) {
                    cx.waker().wake();
                    return Poll.pending();
                }
                int n = Math.min(src.remaining(), 1 + rnd.nextInt(1000));
                ByteBuffer slice = src.slice(src.position(), n);
                sink.put(slice);
                src.position(src.position() + n);
                return Poll.ready(n);
            }

            @Override
            public Poll<Void> pollFlush(Context cx) {
                return Poll.ready(null);
            }

            @Override
            public Poll<Void> pollShutdown(Context cx) {
                return Poll.ready(null);
            }
        };
        byte[] data = new byte[50_000];
        new Random(8).nextBytes(data);
        drive(Io.writeAll(w, ByteBuffer.wrap(data)));
        assertArrayEquals(data, sink.array());
    }
}
