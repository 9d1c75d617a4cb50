package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an interactive front end asks of a JavaScript session through the language-neutral
 * session API: values shown as Node's REPL shows them, multi-line input, completion, and the
 * session's output sent where the front end wants it.
 */
final class JsInteractiveTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-interactive");

    private static String shown(GuestSession js, String code) {
        return fx.rt().blockOn(js.evalShown(code, "<repl>"));
    }

    @Test
    void values_areShownAsNodesReplShowsThem() {
        String[][] table = {
                {"42", "42"},
                {"-0", "-0"},
                {"'it\\'s'", "\"it's\""}, // Node's quote: double quotes around a single one
                {"10n ** 20n", "100000000000000000000n"},
                {"undefined", "undefined"},
                {"null", "null"},
                {"Symbol('s')", "Symbol(s)"},
                {"[1, 'two', [3]]", "[ 1, 'two', [ 3 ] ]"},
                {"[1, , 3]", "[ 1, <1 empty item>, 3 ]"},
                {"({a: 1, 'b-c': {d: {e: {f: 1}}}})", "{ a: 1, 'b-c': { d: { e: [Object] } } }"},
                {"new Map([['k', 1]])", "Map(1) { 'k' => 1 }"},
                {"new Set([1, 2])", "Set(2) { 1, 2 }"},
                {"new Uint8Array([1, 2, 3])", "Uint8Array(3) [ 1, 2, 3 ]"},
                {"class Point { constructor() { this.x = 1; } }; new Point()", "Point { x: 1 }"},
                {"class Point {}; Point", "[class Point]"},
                {"function f() {}; f", "[Function: f]"},
                {"(async () => {})", "[AsyncFunction (anonymous)]"},
                {"const o = {name: 'o'}; o.self = o; o", "<ref *1> { name: 'o', self: [Circular *1] }"},
                {"({get g() { throw new Error('a getter ran') }})", "{ g: [Getter] }"},
                {"Object.create(null)", "[Object: null prototype] {}"},
                {"new Date(0)", "1970-01-01T00:00:00.000Z"},
                {"/a+b/gi", "/a+b/gi"},
                {"await braid.sleep(1); 'after ' + 'await'", "'after await'"},
        };
        for (String[] row : table) {
            try (GuestSession js = fx.host().newSession("js")) {
                assertEquals(row[1], shown(js, row[0]), row[0]);
            }
        }
    }

    @Test
    void incompleteInput_isToldFromSyntaxErrors() {
        try (GuestSession js = fx.host().newSession("js")) {
            for (String more : List.of("function f() {", "const a = [1,", "if (x) {\n  y();", "`open template", "foo(1,\n 2",
                    "const s = 'unterminated")) {
                assertTrue(fx.rt().blockOn(js.isIncomplete(more)), more);
            }
            for (String done : List.of("1 + 1", "function f() {}", "let = ;", "}", "", "const a = [1, 2]")) {
                assertFalse(fx.rt().blockOn(js.isIncomplete(done)), done);
            }
        }
    }

    @Test
    void completions_offerGlobalsAndMembers_withoutRunningGetters() {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("globalThis.calls = 0; const config = { port: 1, path: '/', get pricey() { calls++; return {}; } };"
                    + " let counter = 1;", "setup.js");
            List<String> globals = fx.rt().blockOn(js.completions("con", 3));
            assertTrue(globals.containsAll(List.of("config", "console", "const", "continue")), globals.toString());
            assertTrue(fx.rt().blockOn(js.completions("x = count", 9)).contains("counter"));
            assertEquals(List.of("path", "port", "pricey", "propertyIsEnumerable"), fx.rt().blockOn(js.completions("config.p", 8)));
            assertTrue(fx.rt().blockOn(js.completions("braid.sl", 8)).contains("sleep"));
            assertEquals(List.of(), fx.rt().blockOn(js.completions("config.pricey.", 14)), "no getter is read");
            assertEquals(0, js.evalSync("calls", "check.js"));
        }
    }

    @Test
    void output_goesToTheSessionsSink_asWritten() {
        List<String> chunks = new ArrayList<>();
        try (GuestSession js = fx.host().newSession("js")) {
            js.redirectOutput((error, text) -> {
                synchronized (chunks) {
                    chunks.add((error ? "err:" : "out:") + text);
                }
            });
            js.evalSync("console.log('a', 1, 'grüße'); console.error('oops')", "print.js");
            // A character split across two writes reaches the sink whole.
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            js.guest().out().write(euro, 0, 1);
            js.guest().out().write(euro, 1, 2);
            js.redirectOutput(null);
            js.evalSync("console.log('back')", "back.js");
        }
        synchronized (chunks) {
            assertEquals("out:a 1 grüße\n|err:oops\n|out:€", String.join("|", chunks).replace("\r\n", "\n"));
        }
        assertEquals("back\n", fx.out());
    }
    @Test
    void underscore_andUnderscoreError_holdTheLastValueAndError_asInNode() {
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals("2", shown(js, "1 + 1"));
            assertEquals("4", shown(js, "_ * 2"));
            assertEquals("'x'", shown(js, "'x'"));
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> shown(js, "null.boom"));
            assertTrue(Guest.hostError(e).getMessage().contains("boom"), e.toString());
            assertEquals("'TypeError'", shown(js, "_error.name"));
            assertEquals("'TypeError'", shown(js, "_"), "_ is the value of the last line that had one");
        }
    }

    @Test
    void abortingAnEvaluation_stopsItsCodeForGood_whileTasksItSpawnedRunOn() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("""
                    globalThis.progress = [];
                    globalThis.gate = new Promise((r) => { globalThis.open = r; });
                    undefined; // not the promise: the evaluation would wait for it
                    """, "setup.js");
            dev.braid.runtime.JoinHandle<String> line = js.evalShown("""
                    globalThis.bg = braid.spawn(async () => { await gate; progress.push('task'); return 'task done'; });
                    progress.push('line');
                    try {
                      await gate;
                      progress.push('line resumed');
                    } finally {
                      progress.push('line finally');
                    }
                    """, "<repl>");
            js.evalSync("(async () => { while (progress.length === 0) await braid.yieldNow(); })()", "started.js");
            line.abort();
            dev.braid.runtime.JoinError stopped = org.junit.jupiter.api.Assertions.assertThrows(dev.braid.runtime.JoinError.class,
                    () -> fx.rt().blockOn(line));
            assertTrue(stopped.isCancelled(), stopped.toString());
            js.evalSync("open(1)", "open.js");
            assertEquals("task done", js.evalSync("bg", "join.js"));
            assertEquals(List.of("line", "task"), js.evalSync("""
                    (async () => { for (let i = 0; i < 20; i++) await braid.yieldNow(); return progress; })()
                    """, "settled.js"));
        }
    }
}
