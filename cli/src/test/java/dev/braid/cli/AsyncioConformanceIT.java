package dev.braid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CPython's own test_asyncio on Braid's asyncio event loop: a subset of its modules, run by
 * polyglot-bridge/src/test/asyncio-conformance/run.py through the {@code braid} command, must
 * pass at least as many tests per module as ci-floors.txt there says. The tests come from
 * Debian's libpython3.11-testsuite, installed by scripts/asyncio-testsuite.sh into the user's
 * cache; where that cannot be done (no apt-get, no package mirror) the test is skipped.
 */
final class AsyncioConformanceIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RUNNER = ROOT.resolve("polyglot-bridge/src/test/asyncio-conformance");
    private static final Pattern FLOOR = Pattern.compile("^\\s+(test_\\w+)\\s+(\\d+) passed, floor\\s+(\\d+)\\s+(.*)$", Pattern.MULTILINE);

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** Runs a command in the checkout; ends it and its children after {@code seconds}. */
    private static Result run(long seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not end in " + seconds + " s\n--- out:\n"
                    + out.getNow("") + "--- err:\n" + err.getNow(""));
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> read(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }, "conformance-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void cpythonsTestAsyncio_onBraidsLoop_passesAtLeastTheFloors() throws Exception {
        Result install = run(240, ROOT.resolve("scripts/asyncio-testsuite.sh").toString());
        assumeTrue(install.code() == 0 && !install.out().isBlank(),
                "CPython's test_asyncio could not be installed (scripts/asyncio-testsuite.sh: apt-get download "
                        + "libpython3.11-testsuite), so it is not run:\n" + install.err());
        String testdir = install.out().strip();
        Path results = ROOT.resolve("cli/target/asyncio-conformance");
        Files.createDirectories(results);

        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("braid").toString(), "run", "--no-prompt",
                "--allow-run=" + ROOT.resolve("braid"), "--allow-env", "--allow-read=" + testdir + "," + RUNNER,
                "--allow-write=" + results, RUNNER.resolve("run.py").toString(),
                "--testdir", testdir, "--floors", RUNNER.resolve("ci-floors.txt").toString(),
                "--timeout", "20", "--job-timeout", "300",
                "--details", results.resolve("details.txt").toString(), "--json", results.resolve("results.json").toString()));
        long start = System.nanoTime();
        Result r = run(360, cmd.toArray(String[]::new));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        // the table and the floors; each failure is in the details file
        System.out.println("asyncio conformance (CI subset) ran in " + seconds + " s\n"
                + r.out().lines().filter(l -> !l.matches("  (FAIL|ERROR|HANG) .*")).collect(java.util.stream.Collectors.joining("\n")));

        Matcher m = FLOOR.matcher(r.out());
        int modules = 0;
        StringBuilder below = new StringBuilder();
        while (m.find()) {
            modules++;
            if (Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(3))) {
                below.append(m.group(1)).append(": ").append(m.group(2)).append(" passed, floor ").append(m.group(3)).append('\n');
            }
        }
        assertTrue(modules > 0, "the runner reported no floors:\n" + r);
        assertEquals("", below.toString(), "passed tests below the floor (every failure's traceback: "
                + results.resolve("details.txt") + ")\n" + r);
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("(incomplete)"), "a module did not finish:\n" + r);
    }
}
