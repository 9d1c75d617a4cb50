package dev.braid.polyglot.pytest;

import dev.braid.polyglot.Permissions;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The Python tests under {@code src/test/python} ({@code test_*.py}), one JUnit test per
 * {@code test_...} function. {@code -Dbraid.pytest.filter=text} runs the cases whose file or
 * name contains the text; {@code -Dbraid.pytest.timeout=60} sets the per-case timeout in
 * seconds (default 60). The files see two host functions: {@code host_delay(ms, value)}, a
 * Java Braid future of {@code value}, and {@code grant_dir()}, the one directory the
 * sessions may read and write; they may read the variable {@code BRAID_TEST_VISIBLE} of an
 * environment that also holds {@code BRAID_TEST_SECRET}, run {@code cat} and {@code sh},
 * connect to and listen on 127.0.0.1, and import modules from the test files' own
 * directory. Every case shares one engine (a first Python context
 * takes seconds, another on the same engine a fraction of one).
 */
final class PyTests {
    static final Path ROOT = Path.of("src", "test", "python");
    static BraidRuntime rt;
    static ScriptHost host;

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("py-tests")
                .stallThreshold(Duration.ofSeconds(5)) // interpreted guest code is slow to warm up
                .build();
        try {
            grantDir = Files.createTempDirectory("braid-py-tests").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host = ScriptHost.builder(rt)
                .permissions(Permissions.builder().allowRead(grantDir).allowWrite(grantDir).allowEnv("BRAID_TEST_VISIBLE")
                        .allowRun("cat").allowRun("sh").allowNet("127.0.0.1:*").build())
                .environment(Map.of("BRAID_TEST_VISIBLE", "seen", "BRAID_TEST_SECRET", "hidden", "PATH", "/usr/bin:/bin"))
                .hostFunction("host_delay", args ->
                        Time.sleep(Duration.ofMillis(((Number) args.get(0)).longValue())).map(x -> args.get(1)))
                .hostFunction("grant_dir", args -> grantDir.toString())
                .build();
    }

    /** A directory the tests' sessions may read and write ({@code grant_dir()}); everything else is ungranted. */
    static Path grantDir;

    @AfterAll
    static void stop() throws IOException {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
        try (Stream<Path> all = Files.walk(grantDir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> python() {
        String filter = System.getProperty("braid.pytest.filter", "");
        Duration timeout = Duration.ofSeconds(Long.getLong("braid.pytest.timeout", 60));
        return new PyTestRunner(host, timeout).tests(ROOT).map(n -> n).filter(n -> filter.isEmpty() || n.getDisplayName().contains(filter));
    }
}
