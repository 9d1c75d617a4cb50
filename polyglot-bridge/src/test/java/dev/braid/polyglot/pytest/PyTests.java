package dev.braid.polyglot.pytest;

import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The Python tests under {@code src/test/python} ({@code test_*.py}), one JUnit test per
 * {@code test_...} function. {@code -Dbraid.pytest.filter=text} runs the cases whose file or
 * name contains the text; {@code -Dbraid.pytest.timeout=60} sets the per-case timeout in
 * seconds (default 60). The files see one host function: {@code host_delay(ms, value)}, a
 * Java Braid future of {@code value}. Every case shares one engine (a first Python context
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
        host = ScriptHost.builder(rt)
                .hostFunction("host_delay", args ->
                        Time.sleep(Duration.ofMillis(((Number) args.get(0)).longValue())).map(x -> args.get(1)))
                .build();
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    @TestFactory
    Stream<DynamicNode> python() {
        String filter = System.getProperty("braid.pytest.filter", "");
        Duration timeout = Duration.ofSeconds(Long.getLong("braid.pytest.timeout", 60));
        return new PyTestRunner(host, timeout).tests(ROOT).map(n -> n).filter(n -> filter.isEmpty() || n.getDisplayName().contains(filter));
    }
}
