package dev.braid.polyglot.pytest;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.ScriptHost;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs Python test files as JUnit dynamic tests: one container per {@code test_*.py} file,
 * one test per {@code test_...} function in it. Each case runs in a fresh session on the
 * host: the helper module {@code braid_test} ({@code braid_test.py}: {@code eq},
 * {@code raises}, {@code fail}), then the file, then the function, whose coroutine (for an
 * {@code async def}) is awaited with a timeout. A failing case fails its JUnit test with the
 * Python message, file, line and traceback.
 */
public final class PyTestRunner {
    private static final String HELPER_NAME = "braid_test.py";
    private static final String HELPER = loadHelper();

    private final ScriptHost host;
    private final Duration timeout;

    public PyTestRunner(ScriptHost host, Duration caseTimeout) {
        this.host = host;
        this.timeout = caseTimeout;
    }

    /** A test function: its name and the line it is defined at. */
    public record Case(String name, int line) {
    }

    /** Every {@code test_*.py} file under {@code root}, sorted, as test containers. */
    public Stream<DynamicNode> tests(Path root) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("test_") && n.endsWith(".py");
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Python tests under " + root, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no test_*.py files under " + root.toAbsolutePath());
        }
        return files.stream().map(f -> file(root, f));
    }

    private DynamicContainer file(Path root, Path file) {
        String display = root.relativize(file).toString().replace('\\', '/');
        URI uri = file.toUri();
        Stream<DynamicNode> children = Stream.of(file).flatMap(f -> {
            List<Case> cases;
            try {
                cases = discover(f);
            } catch (RuntimeException | Error e) {
                return Stream.of(DynamicTest.dynamicTest("(load)", uri, () -> {
                    throw e;
                }));
            }
            if (cases.isEmpty()) {
                return Stream.of(DynamicTest.dynamicTest("(no test functions)", uri, () -> {
                    throw new AssertionFailedError(f + " defines no test_... functions");
                }));
            }
            return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(),
                    c.line() > 0 ? URI.create(uri + "?line=" + c.line()) : uri, () -> run(f, c)));
        });
        return DynamicContainer.dynamicContainer(display, uri, children);
    }

    /** Loads {@code file} in a throwaway session and lists its test functions. */
    public List<Case> discover(Path file) {
        try (GuestSession s = host.newSession("python")) {
            load(s, file);
            Object listed = await(s.evalAsync("import braid_test\nbraid_test.cases()", "<braid-test-runner>"), file + " (listing cases)", s);
            List<Case> out = new ArrayList<>();
            for (Object o : (List<?>) listed) {
                List<?> row = (List<?>) o;
                out.add(new Case((String) row.get(0), ((Number) row.get(1)).intValue()));
            }
            return out;
        }
    }

    /** Runs one test function of {@code file} in a fresh session; throws what JUnit should report. */
    public void run(Path file, Case c) {
        try (GuestSession s = host.newSession("python")) {
            load(s, file);
            await(s.evalAsync(c.name() + "()", "<braid-test-runner>"), file + " › " + c.name(), s);
        }
    }

    private void load(GuestSession s, Path file) {
        s.guest().fileSystem().allowModulesFrom(file.toAbsolutePath().getParent()); // as the braid command does for a script
        await(s.evalAsync(HELPER, HELPER_NAME), HELPER_NAME, s);
        await(s.evalAsync(read(file), file.toString().replace('\\', '/')), file.toString(), s);
    }

    private Object await(CompletableFuture<Object> f, String what, GuestSession s) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            s.cancel();
            String dump = host.runtime().taskDump().tasks().stream().map(t -> "  " + t).collect(Collectors.joining("\n"));
            throw new AssertionFailedError(what + ": timed out after " + timeout.toSeconds() + " s; tasks:\n" + dump);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.cancel();
            throw new AssertionFailedError(what + ": interrupted");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** A failed evaluation as JUnit shows it: the Python exception, its position and traceback. */
    static AssertionFailedError failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GuestError ge) {
                String stack = ge.guestStack() == null ? "" : ge.guestStack().stripTrailing();
                return new AssertionFailedError(ge.getMessage() + (stack.isEmpty() ? "" : "\n" + stack), ge);
            }
        }
        return new AssertionFailedError(String.valueOf(t), t);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String loadHelper() {
        try (InputStream in = PyTestRunner.class.getResourceAsStream(HELPER_NAME)) {
            if (in == null) {
                throw new IllegalStateException(HELPER_NAME + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
