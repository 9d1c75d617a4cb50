package dev.braid.polyglot.jstest;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.ScriptHost;
import org.junit.jupiter.api.Assumptions;
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
 * Runs JavaScript test files as JUnit dynamic tests: one container per file, one test per
 * {@code test(name, fn)} case in it. Each case runs in a fresh session on the host: the
 * prelude ({@code braid-test-prelude.js}: {@code test} and {@code assert}), then the file,
 * then the case, awaited with a timeout. A failing case fails its JUnit test with the guest
 * message, {@code file:line:column} and stack.
 */
public final class JsTestRunner {
    /** The prelude's source name: its frames are trimmed from assertion stacks. */
    public static final String PRELUDE_NAME = "braid-test-prelude.js";
    private static final String PRELUDE = loadPrelude();

    private final ScriptHost host;
    private final Duration timeout;

    public JsTestRunner(ScriptHost host, Duration caseTimeout) {
        this.host = host;
        this.timeout = caseTimeout;
    }

    /** A registered case: its index (how the runner names it to the prelude), name, position. */
    public record Case(int index, String name, boolean skipped, int line) {
    }

    /** Every {@code .js} and {@code .mjs} file under {@code root}, sorted, as test containers. */
    public Stream<DynamicNode> tests(Path root) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(JsTestRunner::isTestFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the JavaScript tests under " + root, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no .js or .mjs test files under " + root.toAbsolutePath());
        }
        return files.stream().map(f -> file(root, f));
    }

    static boolean isTestFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".js") || n.endsWith(".mjs");
    }

    /**
     * The cases of one file, discovered when JUnit runs the container (a file that fails to
     * load becomes one failing test named {@code (load)}).
     */
    public DynamicContainer file(Path root, Path file) {
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
                return Stream.of(DynamicTest.dynamicTest("(no test cases)", uri, () -> {
                    throw new AssertionFailedError(f + " registers no test(name, fn) cases");
                }));
            }
            return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(),
                    c.line() > 0 ? URI.create(uri + "?line=" + c.line()) : uri, () -> run(f, c)));
        });
        return DynamicContainer.dynamicContainer(display, uri, children);
    }

    /** Loads {@code file} in a throwaway session and lists the cases it registers. */
    public List<Case> discover(Path file) {
        String code = read(file);
        try (GuestSession s = host.newSession("js")) {
            load(s, file, code);
            Object listed = await(s.evalAsync("__braidTestRunner.list()", "<braid-test-runner>"), file + " (listing cases)", s);
            List<Case> out = new ArrayList<>();
            int i = 0;
            for (Object o : (List<?>) listed) {
                List<?> row = (List<?>) o;
                out.add(new Case(i++, (String) row.get(0), (Boolean) row.get(1), ((Number) row.get(2)).intValue()));
            }
            return out;
        }
    }

    /** Runs one case of {@code file} in a fresh session; throws what JUnit should report. */
    public void run(Path file, Case c) {
        if (c.skipped()) {
            Assumptions.abort("test.skip");
        }
        String code = read(file);
        try (GuestSession s = host.newSession("js")) {
            load(s, file, code);
            await(s.evalAsync("__braidTestRunner.run(" + c.index() + ")", "<braid-test-runner>"), file + " › " + c.name(), s);
        }
    }

    private void load(GuestSession s, Path file, String code) {
        await(s.evalAsync(PRELUDE, PRELUDE_NAME), PRELUDE_NAME, s);
        await(s.evalAsync(code, sourceName(file)), file.toString(), s);
    }

    /** The name guest stacks show for {@code file}: its path as given (relative to the module). */
    static String sourceName(Path file) {
        return file.toString().replace('\\', '/');
    }

    private Object await(CompletableFuture<Object> f, String what, GuestSession s) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            s.cancel();
            String dump = host.runtime().taskDump().tasks().stream().map(t -> "  " + t)
                    .collect(Collectors.joining("\n"));
            throw new AssertionFailedError(what + ": timed out after " + timeout.toSeconds() + " s; tasks:\n" + dump);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.cancel();
            throw new AssertionFailedError(what + ": interrupted");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** What a failed evaluation becomes in JUnit: guest errors with their position and stack. */
    static AssertionFailedError failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GuestError ge) {
                return new AssertionFailedError(describe(ge), ge);
            }
        }
        return new AssertionFailedError(String.valueOf(t), t);
    }

    /** {@code Name: message (file:line:column)} and the guest's stack frames. */
    static String describe(GuestError e) {
        StringBuilder b = new StringBuilder(e.getMessage());
        String stack = e.guestStack() == null ? "" : e.guestStack();
        for (String line : stack.split("\n")) {
            // the runner's call into the case and the bridge's helpers are noise here
            if (line.stripLeading().startsWith("at ") && !line.contains("<braid-test-runner>") && !line.contains("(Unnamed:")) {
                b.append("\n    ").append(line.strip());
            }
        }
        return b.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String loadPrelude() {
        try (InputStream in = JsTestRunner.class.getResourceAsStream(PRELUDE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(PRELUDE_NAME + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
