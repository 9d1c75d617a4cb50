package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code console} prints values as Node 20's {@code util.inspect} does: the same script's
 * output compared line by line with what Node printed ({@code console-values.node.txt}, and
 * with Node itself where it is installed), and the other console methods.
 */
final class JsConsoleTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-console");

    private static String resource(String name) throws IOException {
        try (InputStream in = JsConsoleTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void valuesPrintAsNodePrintsThem() throws Exception {
        String script = resource("console-values.js");
        String expected = resource("console-values.node.txt");
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync(script, "console-values.js");
        }
        assertEquals(expected, fx.out(), "what Node 20 printed");
        String node = nodeOutput(script);
        if (node != null) {
            assertEquals(node, expected, "the expected file is what this machine's Node prints");
        }
    }

    /** What {@code node} prints for {@code script}; null without a Node 20 on the PATH. */
    private static String nodeOutput(String script) throws Exception {
        Process version;
        try {
            version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null; // no node here: the expected file stands for it
        }
        String v = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!version.waitFor(30, TimeUnit.SECONDS) || !v.startsWith("v20.")) {
            return null;
        }
        Path file = Files.createTempFile("console-values", ".js");
        try {
            Files.writeString(file, script);
            Process p = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node ended");
            return out;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void timers_counters_groups_asserts_andTraces() {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("""
                    console.time('t');
                    console.timeLog('t', 'halfway', { step: 1 });
                    console.timeEnd('t');
                    console.timeEnd('t');
                    console.group('outer');
                    console.info('in the group');
                    console.group();
                    console.warn({ deep: [1, 2] });
                    console.groupEnd();
                    console.groupEnd();
                    console.assert(1 === 1, 'not printed');
                    console.assert(false, 'expected %s', 'truth');
                    console.assert(false);
                    console.countReset('never');
                    function where() { console.trace('here', 42); }
                    where();
                    """, "console-methods.js");
        }
        String out = fx.out();
        String err = fx.err();
        assertTrue(out.matches("(?s)t: \\d+\\.\\d{3}ms halfway \\{ step: 1 }\nt: \\d+\\.\\d{3}ms\nouter\n  in the group\n"), out);
        assertTrue(err.startsWith("Warning: No such label 't' for console.timeEnd()\n    { deep: [ 1, 2 ] }\n"
                + "Assertion failed: expected truth\nAssertion failed\nCount for 'never' does not exist\nTrace: here 42\n"), err);
        assertTrue(err.contains("at where (console-methods.js:15"), "the trace shows the caller: " + err);
    }

    @Test
    void tables_ofRowsAndOfPlainValues() {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]); console.table(['p', 2], undefined); console.table(5);",
                    "tables.js");
        }
        assertEquals("""
                ┌─────────┬───┬─────┬──────┐
                │ (index) │ a │ b   │ c    │
                ├─────────┼───┼─────┼──────┤
                │ 0       │ 1 │ 'x' │      │
                │ 1       │ 2 │     │ true │
                └─────────┴───┴─────┴──────┘
                ┌─────────┬────────┐
                │ (index) │ Values │
                ├─────────┼────────┤
                │ 0       │ 'p'    │
                │ 1       │ 2      │
                └─────────┴────────┘
                5
                """, fx.out());
    }
}
