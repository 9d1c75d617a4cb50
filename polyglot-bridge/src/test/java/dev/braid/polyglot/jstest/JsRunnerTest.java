package dev.braid.polyglot.jstest;

import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JavaScript test runner itself: discovery, and how failures reach JUnit. */
final class JsRunnerTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "dev", "braid", "polyglot", "jstest", "fixtures");
    static final String FAILING = "src/test/resources/dev/braid/polyglot/jstest/fixtures/failing.js";
    static BraidRuntime rt;
    static ScriptHost host;
    static JsTestRunner runner;

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("js-runner")
                .stallThreshold(Duration.ofSeconds(5)).build();
        host = ScriptHost.builder(rt).build();
        runner = new JsTestRunner(host, Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    private static Map<String, JsTestRunner.Case> cases() {
        return runner.discover(FIXTURES.resolve("failing.js")).stream()
                .collect(Collectors.toMap(JsTestRunner.Case::name, Function.identity()));
    }

    private static AssertionFailedError failure(String name) {
        JsTestRunner.Case c = cases().get(name);
        return assertThrows(AssertionFailedError.class, () -> runner.run(FIXTURES.resolve("failing.js"), c));
    }

    @Test
    void discovery_listsTheCasesInOrder_withTheirLines() {
        List<JsTestRunner.Case> cases = runner.discover(FIXTURES.resolve("failing.js"));
        assertEquals(List.of("passes", "equal fails", "rejects fails", "type error", "spawned task fails", "hangs", "skipped"),
                cases.stream().map(JsTestRunner.Case::name).toList());
        assertEquals(List.of(1, 2, 5, 9, 13, 16, 17), cases.stream().map(JsTestRunner.Case::line).toList());
        assertEquals(List.of(false, false, false, false, false, false, true),
                cases.stream().map(JsTestRunner.Case::skipped).toList());
    }

    @Test
    void aPassingCasePasses() {
        runner.run(FIXTURES.resolve("failing.js"), cases().get("passes"));
    }

    @Test
    void aFailedAssertion_namesTheFileLineAndColumn_andTheMessage() {
        AssertionFailedError e = failure("equal fails");
        assertTrue(e.getMessage().startsWith("AssertionError: arithmetic (expected 3, got 2) (" + FAILING + ":3:"), e.getMessage());
        assertTrue(e.getMessage().contains("\n    at "), "the guest stack is part of the message: " + e.getMessage());
        assertTrue(!e.getMessage().contains(JsTestRunner.PRELUDE_NAME), e.getMessage());
    }

    @Test
    void aFailedAsyncAssertion_namesTheAwaitInTheTestFile() {
        AssertionFailedError e = failure("rejects fails");
        assertTrue(e.getMessage().startsWith("AssertionError: expected a rejection with an error named TypeError, but it resolved to \"fine\" ("
                + FAILING + ":7:"), e.getMessage());
    }

    @Test
    void anErrorInTheTestCode_isAFailureWithItsPosition() {
        AssertionFailedError e = failure("type error");
        assertTrue(e.getMessage().startsWith("TypeError: "), e.getMessage());
        assertTrue(e.getMessage().contains("(" + FAILING + ":11:"), e.getMessage());
    }

    @Test
    void anErrorInASpawnedTask_isAFailureWithThePositionInTheTask() {
        AssertionFailedError e = failure("spawned task fails");
        assertTrue(e.getMessage().startsWith("TypeError: "), e.getMessage());
        assertTrue(e.getMessage().contains("(" + FAILING + ":14:"), e.getMessage());
    }

    @Test
    void aCaseThatHangs_timesOut_andItsSessionIsCancelled() {
        AssertionFailedError e = failure("hangs");
        assertTrue(e.getMessage().contains("hangs: timed out after 3 s"), e.getMessage());
    }

    @Test
    void aSkippedCase_isAborted() {
        JsTestRunner.Case c = cases().get("skipped");
        assertThrows(TestAbortedException.class, () -> runner.run(FIXTURES.resolve("failing.js"), c));
    }

    @Test
    void aFileThatDoesNotLoad_isOneFailingTestWithThePosition() throws Throwable {
        for (String[] f : new String[][] {{"broken.js", "SyntaxError", ":2:"}, {"throws-at-load.js", "Error: top-level failure", ":2:"}}) {
            DynamicContainer c = runner.file(FIXTURES, FIXTURES.resolve(f[0]));
            assertEquals(f[0], c.getDisplayName());
            List<DynamicNode> children = c.getChildren().collect(Collectors.toList());
            assertEquals(1, children.size());
            assertEquals("(load)", children.get(0).getDisplayName());
            AssertionFailedError e = assertThrows(AssertionFailedError.class, ((DynamicTest) children.get(0)).getExecutable()::execute);
            assertTrue(e.getMessage().contains(f[1]) && e.getMessage().contains("fixtures/" + f[0] + f[2]), e.getMessage());
        }
    }
}
