package dev.braid.cli;

import dev.braid.runtime.BraidRuntime;
import dev.braid.time.Clock;
import dev.braid.time.ElapsedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interpreter notice on a paused clock, with the CPU time it reads made up. */
@Timeout(60)
class InterpreterNoticeTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void aJobComputingFor5sOfCpu_isToldOnce_aboutJit() {
        AtomicLong cpu = new AtomicLong(3_000_000_000L); // start-up's share before the job: not counted
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().clock(Clock.paused()).build()) {
            long start = rt.clock().nanoTime();
            // Each check finds the threads one more second busier.
            InterpreterNotice notice = new InterpreterNotice(() -> cpu.getAndAdd(1_000_000_000L), errStream, true);
            rt.blockOn(rt.spawn(notice));
            long took = rt.clock().nanoTime() - start;
            assertEquals(Duration.ofSeconds(5).toNanos(), took, "five checks, a second apart");
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(InterpreterNotice.text(true) + System.lineSeparator(), said);
        assertTrue(said.contains("`braid --jit run ...` compiles it with Graal"), said);
        assertTrue(InterpreterNotice.text(false).contains("with a JDK 25"), "says what --jit needs when it is missing");
    }

    @Test
    void aJobThatWaits_isNeverTold() {
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().clock(Clock.paused()).build()) {
            InterpreterNotice notice = new InterpreterNotice(() -> 4_000_000_000L, errStream, true);
            assertThrows(ElapsedException.class, () -> rt.blockOn(rt.spawn(notice).timeout(Duration.ofHours(1))));
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
