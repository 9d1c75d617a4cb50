package dev.braid.cli;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every program in {@code cli/src/test/asyncio/} is ordinary asyncio code: it runs on Braid's
 * event loop with the command its header gives, through the launcher, and prints exactly what
 * CPython 3.11 printed for it ({@code NAME.out}; see {@code cli/src/test/asyncio/README.md}).
 * Where Debian's CPython 3.11 is installed, each program runs under it too, so that the
 * expected output stays CPython's.
 */
final class AsyncioProgramsIT {
    private static final Path PROGRAMS = Path.of("src", "test", "asyncio").toAbsolutePath().normalize();
    private static final String HEADER = "# Run it with:  ./braid ";
    private static final Path CPYTHON = Path.of("/usr/bin/python3.11");
    /** JUnit's default timeout covers the factory, not the dynamic tests it returns: each has its own. */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Reads CPython's output streams, a thread each (the common pool may have a single thread). */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cpython-output");
        t.setDaemon(true);
        return t;
    });

    @TestFactory
    Stream<DynamicNode> programs() throws IOException {
        List<Path> programs;
        try (Stream<Path> files = Files.list(PROGRAMS)) {
            programs = files.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
        assertTrue(programs.size() >= 15, "the programs are missing: " + programs);
        boolean cpython = Files.isExecutable(CPYTHON);
        return programs.stream().map(program -> {
            String name = program.getFileName().toString();
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("on Braid", () -> assertTimeoutPreemptively(TIMEOUT, () -> onBraid(program))));
            if (cpython) {
                tests.add(DynamicTest.dynamicTest("on CPython 3.11",
                        () -> assertTimeoutPreemptively(TIMEOUT, () -> onCPython(program))));
            }
            return DynamicContainer.dynamicContainer(name, tests);
        });
    }

    private static void onBraid(Path program) throws Exception {
        String command = Files.readAllLines(program).stream().filter(l -> l.startsWith(HEADER)).findFirst()
                .orElseThrow(() -> new AssertionError(program + " has no '" + HEADER.strip() + " …' line in its header"))
                .substring(HEADER.length()).strip();
        List<String> args = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        LauncherIT.Result r = LauncherIT.braid(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        assertEquals(expected(program), r.out(), "the output of " + command + "\n--- err:\n" + r.err());
        assertEquals("", r.err(), r.toString());
    }

    private static void onCPython(Path program) throws Exception {
        Process p = new ProcessBuilder(CPYTHON.toString(), program.getFileName().toString())
                .directory(PROGRAMS.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(CPYTHON + " " + program + " did not end in 30 s");
        }
        String stderr = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), stderr);
        assertEquals(expected(program), out.get(10, TimeUnit.SECONDS),
                program.getFileName() + " under " + CPYTHON + " no longer prints its .out file (regenerate it?)");
        assertEquals("", stderr);
    }

    private static String expected(Path program) throws IOException {
        return Files.readString(program.resolveSibling(program.getFileName().toString().replaceFirst("\\.py$", ".out")));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
