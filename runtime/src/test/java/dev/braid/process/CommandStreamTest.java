package dev.braid.process;

import dev.braid.future.Futures;
import dev.braid.io.Io;
import dev.braid.io.LineReader;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child's pipes as async streams, on a real two-worker runtime. Each test ends by shutting
 * the runtime down and checking that no thread was left behind (a blocking read or write still
 * stuck on a pipe would keep its pool thread).
 */
final class CommandStreamTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("cmd-io").build();

    @AfterEach
    void shutDownWithoutStuckThreads() {
        assertTrue(rt.shutdown(Duration.ofSeconds(5)), "a runtime thread is still stuck: " + rt.metrics());
    }

    @Test
    void stdout_streamsAHundredThousandLinesExactly() {
        int n = 100_000;
        Child c = Command.of("seq", "1", String.valueOf(n)).stdout(Stdio.piped()).spawn();
        LineReader lines = Io.lines(c.stdout(), StandardCharsets.UTF_8);
        AtomicLong expected = new AtomicLong(1);
        long count = Tasks.run(rt, Tasks.forEach(lines::next, line -> {
            long want = expected.getAndIncrement();
            if (!line.equals(Long.toString(want))) {
                throw new AssertionError("line " + want + " was '" + line + "'");
            }
        }));
        assertEquals(n, count);
        assertTrue(Tasks.run(rt, c.waitFor()).success());
        c.close();
    }

    @Test
    void stdin_throughCat_roundTripsTenMegabytes_whileStdoutIsReadConcurrently() {
        byte[] payload = new byte[10 << 20];
        new Random(20240601).nextBytes(payload);
        Child cat = Command.of("cat").stdin(Stdio.piped()).stdout(Stdio.piped()).spawn();
        // Two tasks: the pipes hold 64 KiB each, so writing everything before reading would deadlock.
        JoinHandle<Void> writer = rt.spawn(Io.writeAll(cat.stdin(), ByteBuffer.wrap(payload))
                .andThen(v -> Io.shutdown(cat.stdin())));
        JoinHandle<byte[]> reader = rt.spawn(Io.readToEnd(cat.stdout()));
        byte[] echoed = Tasks.run(rt, Futures.join(writer, reader, (w, r) -> r));
        assertEquals(payload.length, echoed.length);
        assertArrayEquals(payload, echoed);
        assertEquals(0, Tasks.run(rt, cat.waitFor()).code());
        cat.close();
    }

    @Test
    void aReadDroppedByATimeout_losesNoData_andTheNextReadGetsIt() {
        // The child says nothing until it has read a line: the first read must time out.
        Child c = Command.of("sh", "-c", "read line; echo \"got $line\"; read rest; exit 7")
                .stdin(Stdio.piped()).stdout(Stdio.piped()).spawn();
        ByteBuffer first = ByteBuffer.allocate(64);
        assertThrows(ElapsedException.class,
                () -> Tasks.run(rt, Time.timeout(Duration.ofMillis(100), Io.read(c.stdout(), first))));
        assertEquals(0, first.position(), "the timed-out read returned bytes");
        // The dropped read's blocking call is still in flight; its bytes must reach the next read.
        Tasks.run(rt, Io.writeAll(c.stdin(), ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.UTF_8)))
                .andThen(v -> Io.flush(c.stdin())));
        LineReader lines = Io.lines(c.stdout(), StandardCharsets.UTF_8);
        assertEquals("got hi", Tasks.run(rt, lines.next()));
        Tasks.run(rt, Io.shutdown(c.stdin()));
        assertEquals(null, Tasks.run(rt, lines.next()));
        assertEquals(7, Tasks.run(rt, c.waitFor()).code());
        c.close();
    }

    @Test
    void readsAfterKill_returnWhatTheChildWroteThenEndOfFile() {
        Child c = Command.of("sh", "-c", "echo before; exec sleep 1000").stdout(Stdio.piped()).spawn();
        LineReader lines = Io.lines(c.stdout(), StandardCharsets.UTF_8);
        assertEquals("before", Tasks.run(rt, lines.next()));
        c.kill();
        assertEquals(null, Tasks.run(rt, lines.next()));
        assertEquals(9, Tasks.run(rt, c.waitFor()).signal().orElseThrow());
        c.close();
    }

    @Test
    void aClosedPipe_failsNamingTheStreamAndTheChild() {
        Child c = Command.of("cat").stdin(Stdio.piped()).stdout(Stdio.piped()).killOnDrop(true).spawn();
        c.close();
        UncheckedIOException read = assertThrows(UncheckedIOException.class,
                () -> Tasks.run(rt, Io.read(c.stdout(), ByteBuffer.allocate(8))));
        assertTrue(read.getMessage().contains("stdout of cat (pid " + c.pid() + ") is closed"), read.getMessage());
        UncheckedIOException write = assertThrows(UncheckedIOException.class,
                () -> Tasks.run(rt, Io.write(c.stdin(), ByteBuffer.allocate(8))));
        assertTrue(write.getMessage().contains("stdin of cat"), write.getMessage());
        assertEquals(9, Tasks.run(rt, c.waitFor()).signal().orElseThrow());
    }
}
