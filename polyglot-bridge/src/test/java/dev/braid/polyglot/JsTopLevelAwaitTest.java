package dev.braid.polyglot;

import dev.braid.polyglot.jsr223.BraidJsScriptEngineFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.script.ScriptEngine;
import javax.script.ScriptException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Top-level await in classic scripts, form by form, through a session and through the
 * JSR-223 engine: each case evaluates its snippets in order in one fresh session (and one
 * fresh engine) and checks the value of the last.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class JsTopLevelAwaitTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-tla");

    record Case(String title, List<String> snippets, Object expected) {
        @Override
        public String toString() {
            return title;
        }
    }

    private static Case of(String title, Object expected, String... snippets) {
        return new Case(title, List.of(snippets), expected);
    }

    static Stream<Case> forms() {
        return Stream.of(
                of("await (expr)", 42, "await (6 * 7)"),
                of("await (async () => 1)()", 1, "await (async () => 1)()"),
                of("const x = await (4), then x later", 4, "const x = await (4)", "x"),
                of("await inside ${} of a template", "a-b-1", "`a-${await Promise.resolve('b')}-${await 1}`"),
                of("a regex literal after )", 1, "let r = 0\nif (await Promise.resolve(true)) /[)}]/.test(')') && (r = 1)\nr"),
                of("for await over an async generator", 6,
                        "async function* gen() { yield 1; yield 2; yield 3 }\nlet t = 0\nfor await (const v of gen()) t += v\nt"),
                of("object destructuring from an await", List.of(1, 2, List.of(3, 4), 5),
                        "const {a, b: [c, ...d], e = 5} = await Promise.resolve({a: 1, b: [2, 3, 4]})", "[a, c, d, e]"),
                of("array destructuring from an await", 6, "let [p, , q = 5] = await Promise.resolve([1, 2])", "p + q"),
                of("var inside a block, an if and loop heads", List.of(7, 8, 3, 2),
                        "{ var inBlock = await 7 }\nif (true) var inIf = await 8\nfor (var i = 0; i < await 3; i++) {}\nfor (var k of [await 1, 2]) {}",
                        "[inBlock, inIf, i, k]"),
                of("class and function declarations, visible later", 5,
                        "class K { v() { return 2 } }\nfunction f() { return 3 }\nawait 0", "new K().v() + f()"),
                of("a hashbang line", "ok", "#!/usr/bin/env braid\nawait 0\n'ok'"),
                of("ASI: a line starting with ( continues the previous one", 42,
                        "const twice = (x) => x * 2\nconst r = await twice\n(21)\nr"),
                of("ASI: a line starting with [ continues the previous one", 2,
                        "const arr = [[1, 2]]\nconst e = await arr\n[0][1]\ne"),
                of("ASI: the last expression on the last line, no semicolon", 42, "const base = 6\nawait 0\nbase * 7"),
                of("the value of a sequence is its last expression", 3, "await 0, 1, 2, 3"),
                of("declarations after the last expression keep its value", 7, "await 0; 7; let z = 1; function zz() {}"),
                of("no top-level await: unchanged (a control statement has its completion value)", 5,
                        "var n = 1\nif (n) { 5 }"),
                of("await only inside a nested function: no rewrite", 5,
                        "async function g() { return await 9 }\nif (g) { 5 }"),
                of("a nested function's await still works", 9, "async function g() { return await 9 }\ng()"),
                of("the word await in strings and comments only: no rewrite", "await", "// await\n'await'"),
                of("a directive stays one", true, "'use strict'; await 0; (function () { return this === undefined })()"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void session(Case c) {
        try (GuestSession js = fx.host().newSession("js")) {
            Object value = null;
            for (int i = 0; i < c.snippets.size(); i++) {
                value = js.evalSync(c.snippets.get(i), "<snippet " + (i + 1) + ">");
            }
            assertEquals(c.expected, value, c.snippets.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void jsr223(Case c) throws Exception {
        try (var engine = new BraidJsScriptEngineFactory(fx.host()).getScriptEngine()) {
            Object value = null;
            for (String s : c.snippets) {
                value = engine.eval(s);
            }
            assertEquals(c.expected, value, c.snippets.toString());
        }
    }

    @Test
    void aGuestThatPatchesBuiltins_cannotBreakTheParser() {
        try (GuestSession js = fx.host().newSession("js")) {
            js.evalSync("Array.prototype.push = null; Array.prototype.map = null; String.prototype.slice = null;"
                    + " Object.keys = null; JSON.stringify = null", "<patch>");
            assertEquals(3, js.evalSync("const {v} = await Promise.resolve({v: 3})\nv", "<snippet>"));
        }
    }

    // ---- positions ----------------------------------------------------------------------

    /** Line 3 gets text inserted before `o.zz` (the value), and line 1 the function's prefix. */
    private static final String THROWS_ON_LINE_3 = "await 0\nconst o = null\nconst v = 1; o.zz";
    private static final int COLUMN_ON_LINE_3 = "const v = 1; o.zz".indexOf("o.zz") + 1;

    @Test
    void anErrorOnLine3_isReportedAtTheUsersLineAndColumn() throws Exception {
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(THROWS_ON_LINE_3, "three.js"));
            assertEquals("TypeError", e.guestName());
            assertEquals(List.of("three.js", 3, COLUMN_ON_LINE_3), List.of(e.file(), e.line(), e.column()), e.guestStack());
            assertTrue(e.guestStack().contains("three.js:3:" + COLUMN_ON_LINE_3), e.guestStack());
        }
        try (var engine = new BraidJsScriptEngineFactory(fx.host()).getScriptEngine()) {
            engine.getContext().setAttribute(ScriptEngine.FILENAME, "three.js", javax.script.ScriptContext.ENGINE_SCOPE);
            ScriptException e = assertThrows(ScriptException.class, () -> engine.eval(THROWS_ON_LINE_3));
            assertEquals(List.of("three.js", 3, COLUMN_ON_LINE_3), List.of(e.getFileName(), e.getLineNumber(), e.getColumnNumber()));
        }
    }

    @Test
    void anErrorOnTheFirstLine_behindTheFunctionsPrefix_isReportedWhereTheUserWroteIt() {
        String code = "class K {}; async function boom() { await 0; throw new RangeError('no') }; await boom()";
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(code, "one.js"));
            assertEquals("RangeError", e.guestName());
            assertEquals(List.of(1, code.indexOf("new RangeError") + 1), List.of(e.line(), e.column()), e.guestStack());
            // later, from another evaluation: the map travels with the rewritten source
            js.evalSync("globalThis.later = async () => { await 0; return boom() }; 0", "two.js");
            GuestError again = assertThrows(GuestError.class, () -> js.evalSync("later()", "three.js"));
            assertEquals(List.of("one.js", 1, code.indexOf("new RangeError") + 1), List.of(again.file(), again.line(), again.column()));
        }
    }

    @Test
    void aSyntaxError_isReportedAtTheUsersPosition() throws Exception {
        String code = "await 1\nconst y = 1 +;";
        try (GuestSession js = fx.host().newSession("js")) {
            GuestError e = assertThrows(GuestError.class, () -> js.evalSync(code, "syntax.js"));
            assertEquals("SyntaxError", e.guestName());
            assertEquals(List.of(2, 14), List.of(e.line(), e.column()), e.getMessage());
            String first = "await 1; const = 2";
            GuestError onLine1 = assertThrows(GuestError.class, () -> js.evalSync(first, "syntax1.js"));
            assertEquals(List.of(1, first.indexOf("=") + 1), List.of(onLine1.line(), onLine1.column()), onLine1.getMessage());
            // Graal's message names the position with a 0-based column; no excerpt of the rewritten code.
            assertTrue(onLine1.getMessage().contains("syntax1.js:1:" + first.indexOf("=")), onLine1.getMessage());
            assertTrue(!onLine1.getMessage().contains("async"), onLine1.getMessage());
            GuestError topLevelReturn = assertThrows(GuestError.class, () -> js.evalSync("await 0\nreturn 5", "return.js"));
            assertEquals(List.of(2, 1), List.of(topLevelReturn.line(), topLevelReturn.column()), topLevelReturn.getMessage());
        }
        try (var engine = new BraidJsScriptEngineFactory(fx.host()).getScriptEngine()) {
            ScriptException e = assertThrows(ScriptException.class, () -> engine.eval(code));
            assertEquals(List.of(2, 14), List.of(e.getLineNumber(), e.getColumnNumber()), e.getMessage());
        }
    }
}
