package dev.braid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interpreter notice, with the CPU time it reads made up. */
@Timeout(30)
class InterpreterNoticeTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void aJobComputingFor5sOfCpu_isToldOnce_aboutJit() {
        AtomicLong cpu = new AtomicLong(3_000_000_000L); // start-up's share before the job: not counted
        InterpreterNotice notice = new InterpreterNotice(cpu::get, errStream, true);
        cpu.addAndGet(4_900_000_000L);
        assertFalse(notice.check(), "4.9 s of computing: not yet");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        cpu.addAndGet(100_000_000L);
        assertTrue(notice.check(), "5 s: told");
        cpu.addAndGet(60_000_000_000L);
        assertTrue(notice.check());
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(InterpreterNotice.text(true) + System.lineSeparator(), said, "once");
        assertTrue(said.contains("`braid --jit run ...` compiles it with Graal"), said);
        assertTrue(InterpreterNotice.text(false).contains("with a JDK 25"), "says what --jit needs when it is missing");
    }

    @Test
    void theThreadsCpuTime_growsWhileTheyCompute() throws Exception {
        AtomicLong spins = new AtomicLong();
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < end) {
                spins.incrementAndGet();
            }
        }, "notice-test-busy");
        long before = InterpreterNotice.cpuOfThreads("notice-test-").getAsLong();
        busy.start();
        long during = 0;
        while (busy.isAlive()) {
            during = Math.max(during, InterpreterNotice.cpuOfThreads("notice-test-").getAsLong());
            busy.join(20);
        }
        assertTrue(during > before, "the busy thread's CPU time was counted: " + before + " -> " + during);
        assertEquals(0, InterpreterNotice.cpuOfThreads("no-such-thread-").getAsLong());
    }
}
