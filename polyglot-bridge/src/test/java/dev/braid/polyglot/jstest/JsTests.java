package dev.braid.polyglot.jstest;

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
 * The JavaScript tests under {@code src/test/js} ({@code .js} and {@code .mjs}), one JUnit
 * test per {@code test(name, fn)} case. {@code -Dbraid.jstest.filter=select} runs the files
 * whose path contains the text; {@code -Dbraid.jstest.timeout=60} sets the per-case timeout
 * in seconds (default 30). Besides the prelude's {@code test} and {@code assert}, the files
 * see one host function: {@code hostDelay(ms, value)}, a Java Braid future of {@code value}.
 */
final class JsTests {
    static final Path ROOT = Path.of("src", "test", "js");
    static BraidRuntime rt;
    static ScriptHost host;

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("js-tests")
                .stallThreshold(Duration.ofSeconds(5)) // interpreted guest code is slow to warm up
                .build();
        host = ScriptHost.builder(rt)
                .hostFunction("hostDelay", args -> // a Java Braid future handed to the guest
                        Time.sleep(Duration.ofMillis(((Number) args.get(0)).longValue())).map(x -> args.get(1)))
                .build();
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    @TestFactory
    Stream<DynamicNode> javascript() {
        String filter = System.getProperty("braid.jstest.filter", "");
        Duration timeout = Duration.ofSeconds(Long.getLong("braid.jstest.timeout", 30));
        JsTestRunner runner = new JsTestRunner(host, timeout);
        return runner.tests(ROOT).filter(n -> filter.isEmpty() || n.getDisplayName().contains(filter));
    }
}
