package dev.braid.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code braid repl} on a real pseudo-terminal: tmux runs the launcher, the test types with
 * {@code send-keys} and reads the screen with {@code capture-pane}, waiting (with a deadline)
 * for what it expects to appear.
 */
final class ReplIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A tmux server of the test's own, away from any the person runs. */
    private final String socket = "braid-repl-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    /** The tmux session the REPL now runs in (a second run gets a session of its own). */
    private String session;
    private int sessions;

    @TempDir
    Path home;

    @org.junit.jupiter.api.BeforeAll
    static void needsTmux() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("these tests drive the REPL through tmux, which is not installed: apt-get install tmux", e);
        }
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tmux -V failed: is tmux installed?");
    }

    @AfterEach
    void stopTmux() throws Exception {
        tmux("kill-server");
    }

    @Test
    void multiLineInput_topLevelAwait_declarationsThatStay_andUnderscore() throws Exception {
        start("repl");
        line("function f() {");
        line("  return 41 }");
        waitFor(s -> s.contains("...   return 41 }\nundefined\n>"));
        line("const x = await braid.sleep(20).then(() => f() + 1)");
        line("x");
        waitFor(s -> s.contains("> x\n42\n>"));
        line("_ + 1");
        waitFor(s -> s.contains("> _ + 1\n43\n>"));
        line("null.boom");
        waitFor(s -> s.contains("Uncaught TypeError"));
        line("_error.name");
        waitFor(s -> s.contains("> _error.name\n'TypeError'\n>"));
    }

    @Test
    void tasksSpawnedInTheRepl_printAboveThePrompt_notIntoTheLineBeingTyped() throws Exception {
        start("repl");
        line("let n = 0; braid.spawn(async () => { while (n < 3) { await braid.sleep(300); console.log('tick', ++n); } }); 'spawned'");
        waitFor(s -> s.contains("'spawned'\n>"));
        keys("let s = 'half typed"); // no Enter: the person is still typing
        String screen = waitFor(s -> s.contains("tick 3"));
        List<String> lines = nonEmptyLines(screen);
        assertEquals("> let s = 'half typed", lines.get(lines.size() - 1), screen);
        assertEquals("tick 3", lines.get(lines.size() - 2), screen);
        keys("'", "Enter");
        line("s");
        waitFor(s -> s.contains("> s\n'half typed'\n>"));
    }

    @Test
    void ctrlC_cancelsTheEvaluationForReal_thenTheReplGoesOn() throws Exception {
        start("repl");
        line("const seen = []");
        line("console.log('waiting'); try { await braid.sleep(60000); seen.push('resumed') } finally { seen.push('finally') }");
        waitFor(s -> s.endsWith("\nwaiting"));
        keys("C-c");
        waitFor(s -> s.contains("Cancelled (Ctrl-C)"));
        line("console.log('spinning'); while (true) {}"); // never awaits: interrupted
        waitFor(s -> s.endsWith("\nspinning"));
        keys("C-c");
        waitFor(s -> s.split("Cancelled \\(Ctrl-C\\)", -1).length == 3);
        line("await braid.sleep(200); seen"); // the cancelled line never resumed, not even its finally
        waitFor(s -> s.contains("> await braid.sleep(200); seen\n[]\n>"));
    }

    @Test
    void completion_ofGlobalsAndOfMembersAfterTheDot() throws Exception {
        start("repl");
        keys("consol", "Tab");
        waitFor(s -> s.endsWith("> console"));
        keys(".lo", "Tab");
        waitFor(s -> s.endsWith("> console.log"));
        keys("('done')", "Enter");
        waitFor(s -> s.contains("done\nundefined\n>"));
    }

    @Test
    void history_outlivesTheRepl_andCtrlDLeaves() throws Exception {
        start("repl");
        line("40 + 2");
        waitFor(s -> s.contains("42\n>"));
        keys("C-d");
        waitFor(s -> s.contains("[exit 0]"));
        start("repl");
        keys("Up");
        waitFor(s -> s.endsWith("> 40 + 2"));
        keys("C-u", "C-c");
        waitFor(s -> s.contains("(To leave, press Ctrl-C again"));
        keys("C-c");
        waitFor(s -> s.contains("[exit 0]"));
    }

    @Test
    void python_blocksContinueUntilABlankLine_andNoneIsNotShown() throws Exception {
        start("repl", "--lang", "python");
        waitFor(s -> s.endsWith(">>>"), 120);
        line("def double(x):");
        line("    return x * 2");
        line("");
        line("print('printed')");
        line("double(21)");
        waitFor(s -> s.contains(">>> double(21)\n42\n>>>"), 60);
        String screen = screen();
        assertTrue(screen.contains("...\n>>> print('printed')\nprinted\n>>>"), screen);
        assertFalse(screen.contains("None"), screen);
        // Top-level await, as in IPython: the names the cell binds are the session's.
        line("import braid");
        line("pair = await braid.join(braid.sleep(0.01), braid.task(braid.sleep, 0))");
        line("async def later(v):");
        line("    await braid.sleep(0.001)");
        line("    return double(v)");
        line("");
        line("(pair, await later(4))");
        waitFor(s -> s.contains("\n([None, None], 8)\n>>>"), 60);
        line("import sys; sys.exit(3)");
        waitFor(s -> s.contains("[exit 3]"), 60);
    }

    @Test
    void aMissingPermission_isAskedForOnTheTerminal_yesOnce_noOnce_allForTheRest() throws Exception {
        Path script = home.resolve("asks.js");
        java.nio.file.Files.writeString(script, """
                const show = (name) => { try { return braid.env.get(name) !== undefined ? 'granted' : '?'; }
                                         catch (e) { return e.name; } };
                console.log('HOME', show('HOME'));
                console.log('HOME again', show('HOME'));
                console.log('USER', show('USER'));
                console.log('SHELL', show('SHELL'));
                console.log('TERM', show('TERM'));
                """);
        run("Allow? [y/n/A]", "run", script.toString());
        assertTrue(screen().contains("braid: the script asks to read the environment variable HOME (--allow-env=HOME grants"), screen());
        line("y");
        waitFor(s -> s.contains("HOME granted\nHOME again granted\nbraid: the script asks to read the environment variable USER"));
        line("n");
        waitFor(s -> s.contains("USER PermissionDenied\nbraid: the script asks to read the environment variable SHELL"));
        line("A");
        waitFor(s -> s.contains("SHELL granted\nTERM granted\n[exit 0]"));
    }

    @Test
    void ctrlC_atAPermissionQuestion_endsTheJobAtOnce() throws Exception {
        Path script = home.resolve("asked.js");
        java.nio.file.Files.writeString(script, "console.log('asking');\nconsole.log(braid.env.get('HOME'));\nconsole.log('never');\n");
        run("Allow? [y/n/A]", "run", script.toString());
        keys("C-c");
        String s = waitFor(t -> t.contains("[exit 130]"), 30);
        assertFalse(s.contains("never"), s);
    }

    @Test
    void progressBars_onATerminal_drawnInPlace_andLeftFinishedAbove() throws Exception {
        Path script = home.resolve("bars.js");
        java.nio.file.Files.writeString(script, """
                const a = braid.progress(10, { label: 'download' });
                const b = braid.progress(4, { label: 'unpack' });
                for (let i = 0; i < 10; i++) { await braid.sleep(150); a.tick(); if (i % 3 === 0) b.tick(); }
                a.done(); b.done();
                console.log('finished');
                """);
        run("download [", "run", script.toString());
        // While it runs: both bars at the bottom, one line each, redrawn in place.
        String during = waitFor(s -> s.matches("(?s).*download \\[=*>? *] \\d+/10 \\d+%.*\nunpack \\[=*>? *] \\d+/4 .*"), 30);
        assertEquals(1, during.split("download \\[", -1).length - 1, "drawn in place, not line after line: " + during);
        String after = waitFor(s -> s.contains("[exit 0]"), 60);
        assertTrue(after.matches("(?s).*download \\[=+] 10/10 100% [\\d.]+/s in \\d+s\nunpack \\[=+] 4/4 100% .*\nfinished\n\\[exit 0].*"), after);
    }

    @Test
    void noPrompt_refusesAtOnce_evenOnATerminal() throws Exception {
        run("[exit", "eval", "--no-prompt", "braid.env.get('HOME')");
        assertTrue(screen().contains("PermissionDenied: env access to HOME denied"), screen());
        assertTrue(screen().contains("[exit 1]"), screen());
        assertFalse(screen().contains("Allow?"), screen());
    }

    // ---- driving tmux ---------------------------------------------------------------------

    private void start(String... args) throws Exception {
        run("REPL. Type .help", args);
    }

    /** Runs {@code braid ARGS} in a fresh tmux session and waits until the screen shows {@code ready}. */
    private void run(String ready, String... args) throws Exception {
        // The shell that waits to print the exit code survives a Ctrl-C that reaches the whole
        // process group (while the REPL restores the terminal on its way out): a handler, not
        // an ignore, so the REPL itself still gets SIGINT.
        StringBuilder cmd = new StringBuilder("trap : INT; cd '" + ROOT + "' && BRAID_NO_BUILD=1 BRAID_HOME='" + home + "' ./braid");
        for (String a : args) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        cmd.append("; echo \"[exit $?]\"; sleep 600");
        session = "repl-" + (++sessions);
        tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "40", cmd.toString());
        waitFor(s -> s.contains(ready), 120);
    }

    private void line(String text) throws Exception {
        keys(text, "Enter");
    }

    /** Keys as tmux names them (Enter, Tab, C-c); anything else is typed literally. */
    private void keys(String... keys) throws Exception {
        for (String k : keys) {
            if (k.equals("Enter") || k.equals("Tab") || k.equals("Up") || k.matches("C-[a-z]")) {
                tmux("send-keys", "-t", session, k);
            } else {
                tmux("send-keys", "-t", session, "-l", k);
            }
        }
    }

    private String screen() throws Exception {
        // Without the trailing spaces tmux keeps on some lines and not on others (a prompt's).
        return tmux("capture-pane", "-t", session, "-p", "-J", "-S", "-200").stripTrailing().replaceAll("[ \t]+\n", "\n");
    }

    private String waitFor(Predicate<String> shown) throws Exception {
        return waitFor(shown, 30);
    }

    /** Polls the screen until {@code shown} holds; fails with the screen after {@code seconds}. */
    private String waitFor(Predicate<String> shown, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String s;
        while (!shown.test(s = screen())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed what was expected; it shows:\n" + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a terminal has no event to wait on
        }
        return s;
    }

    private static List<String> nonEmptyLines(String screen) {
        List<String> out = new ArrayList<>();
        for (String l : screen.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.stripTrailing());
            }
        }
        return out;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not return");
        }
        if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
