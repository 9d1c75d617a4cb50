package dev.braid.process;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spawning, exit statuses, signals and kill-on-drop, on a real two-worker runtime. */
final class CommandTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("cmd").build();

    @AfterEach
    void shutDown() {
        assertTrue(rt.shutdown(Duration.ofSeconds(5)), "a runtime thread is still stuck: " + rt.metrics());
    }

    /** Runs {@code f} as a task and waits (boundedly) for its value. */
    private <T> T run(Future<T> f) {
        return Tasks.run(rt, f);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits (at most 10 s) until the process is gone, then says whether it is. */
    private static boolean gone(long pid) throws Exception {
        var h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        }
        return !alive(pid);
    }

    @Test
    void status_reportsExitCodesExactly() {
        for (int code : new int[] {0, 1, 42, 255}) {
            ExitStatus s = run(Command.of("sh", "-c", "exit " + code).status());
            assertEquals(code, s.code(), s.toString());
            assertEquals(code == 0, s.success());
            assertTrue(s.signal().isEmpty(), "no signal was sent, yet " + s);
        }
    }

    @Test
    void spawn_ofAMissingProgram_namesItAndGivesTheOsError() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Command.of("braid-no-such-program-7f3a", "x").spawn());
        assertTrue(e.getMessage().contains("braid-no-such-program-7f3a"), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
        // The lazy futures fail the same way, when first polled.
        UncheckedIOException viaFuture = assertThrows(UncheckedIOException.class,
                () -> rt.blockOn(Command.of("braid-no-such-program-7f3a").output()));
        assertTrue(viaFuture.getMessage().contains("braid-no-such-program-7f3a"), viaFuture.getMessage());
    }

    @Test
    void argsEnvironmentAndDirectory_reachTheChild(@TempDir Path dir) throws IOException {
        Output o = run(Command.of("sh", "-c", "printf '%s|%s|%s|%s' \"$BRAID_FOO\" \"${HOME-unset}\" \"$(pwd -P)\" \"$1\"",
                        "sh", "an arg with  spaces")
                .env("BRAID_FOO", "bar").envRemove("HOME").directory(dir).output());
        assertEquals("bar|unset|" + dir.toRealPath() + "|an arg with  spaces", o.stdoutText());
        assertTrue(o.status().success());

        Output cleared = run(Command.of("/usr/bin/env").envClear().env("ONLY", "1").output());
        assertEquals("ONLY=1\n", cleared.stdoutText());
    }

    @Test
    void output_collectsStdoutAndStderrSeparately() {
        Output o = run(Command.of("sh", "-c", "printf out; printf err >&2; exit 3").output());
        assertEquals("out", o.stdoutText());
        assertEquals("err", o.stderrText());
        assertEquals(3, o.status().code());
    }

    @Test
    void aStreamThatIsNotPiped_saysHowToPipeIt() {
        try (Child c = Command.of("true").stdout(Stdio.nullDevice()).spawn()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, c::stdout);
            assertTrue(e.getMessage().contains("stdout of true") && e.getMessage().contains("Stdio.piped()"),
                    e.getMessage());
            assertEquals(0, run(c.waitFor()).code());
        }
    }

    @Test
    void kill_endsASleepingChild_andAnEarlierDroppedWaitLosesNothing() throws Exception {
        Child c = Command.of("sleep", "1000").spawn();
        // A wait that times out is dropped; the status stays available to later waits.
        assertThrows(ElapsedException.class, () -> run(Time.timeout(Duration.ofMillis(50), c.waitFor())));
        assertNull(c.tryWait());
        assertTrue(c.kill());
        ExitStatus s = run(c.waitFor());
        assertEquals(128 + 9, s.code());
        assertEquals(9, s.signal().orElseThrow(), s.toString());
        assertFalse(s.success());
        assertEquals(s, c.tryWait());
        assertFalse(c.kill(), "nothing left to kill");
        assertTrue(gone(c.pid()));
    }

    @Test
    void close_killsOnlyAKillOnDropChild() throws Exception {
        Child doomed = Command.of("sleep", "1000").killOnDrop(true).spawn();
        Child survivor = Command.of("sleep", "1000").spawn();
        doomed.close();
        survivor.close();
        assertTrue(gone(doomed.pid()), "the kill-on-drop child is still alive");
        assertTrue(alive(survivor.pid()), "closing a child without kill-on-drop killed it");
        survivor.kill();
        assertEquals(9, run(survivor.waitFor()).signal().orElseThrow());
    }

    @Test
    void droppingAStatusFuture_killsItsKillOnDropChild() throws Exception {
        Future<ExitStatus> status = Command.of("sleep", "1000").killOnDrop(true).status();
        Set<Long> before = childPids();
        // One poll spawns the child and leaves the future pending.
        boolean pending = rt.blockOn(cx -> Poll.ready(status.poll(cx).isPending()));
        assertTrue(pending);
        Set<Long> spawned = childPids();
        spawned.removeAll(before);
        assertEquals(1, spawned.size(), "expected exactly one new child: " + spawned);
        long pid = spawned.iterator().next();
        assertTrue(alive(pid));
        status.drop();
        assertTrue(gone(pid), "dropping the status future left its kill-on-drop child alive");
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void commandIsReusable() {
        Command echo = Command.of("printf", "%s");
        echo.arg("once");
        List<String> got = List.of(run(echo.output()).stdoutText(), run(echo.output()).stdoutText());
        assertEquals(List.of("once", "once"), got);
    }
}
