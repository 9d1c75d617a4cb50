package dev.braid.polyglot.js;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-level await rewrite, as text: statement boundaries, declarations, the value, positions. */
final class TopLevelAwaitTest {
    private static final String HEAD = "(async (__braid$global, __braid$value) => {";
    private static final String TAIL = "\n;return __braid$value;})(globalThis)";

    private static String body(String code) {
        String r = TopLevelAwait.rewrite(code).code();
        assertTrue(r.endsWith(TAIL), r);
        return r.substring(0, r.length() - TAIL.length());
    }

    @Test
    void awaitIsFoundAsAToken_notInStringsCommentsOrTemplates() {
        assertTrue(TopLevelAwait.mentionsAwait("await x"));
        assertTrue(TopLevelAwait.mentionsAwait("`a ${await x} b`"));
        assertFalse(TopLevelAwait.mentionsAwait("'await' + \"await\""));
        assertFalse(TopLevelAwait.mentionsAwait("// await\n/* await */ `await`"));
        assertFalse(TopLevelAwait.mentionsAwait("x = /await/.test(s)"));
    }

    @Test
    void theLastExpressionIsTheValue() {
        assertEquals(HEAD + "await braid.sleep(5); __braid$value = (6 * 7)", body("await braid.sleep(5); 6 * 7"));
        assertEquals(HEAD + "__braid$value = (await a);\n// done", body("await a;\n// done"));
        assertEquals(HEAD + "for (;;) { await x }", body("for (;;) { await x }"), "a control statement has no value");
        assertEquals(HEAD + "__braid$value = (x\n(await y))", body("x\n(await y)"), "'(' on the next line continues a call");
        assertEquals(HEAD + "a\n__braid$value = (++b)", body("a\n++b"), "'++' on a new line starts a statement");
    }

    @Test
    void declarationsBecomeAssignments_andTheirNamesAreDeclaredOutside() {
        assertEquals("let a, c, d, e, f; " + HEAD + "  ;0, {a, b: [c, ...d], ...e} = await o, f = 1;",
                body("const {a, b: [c, ...d], ...e} = await o, f = 1"));
        assertEquals("var v; " + HEAD + ";0, v = await 1;\n__braid$value = (v)", body("var v = await 1\nv"));
        assertEquals("let y; " + HEAD + ";0, y;\n__braid$value = ((await z))", body("let y\n(await z)"),
                "a declarator without initializer ends at the line break");
        assertEquals("let K; " + HEAD + "K = class K extends B { m() {} };\n__braid$value = (await K)", body("class K extends B { m() {} }\nawait K"));
        assertEquals("var f; " + HEAD + "__braid$global.f = f;async function f() {}\n__braid$value = (await f())", body("async function f() {}\nawait f()"));
        assertEquals("var g; " + HEAD + "'use strict';__braid$global.g = g;\nfunction g() {}\n__braid$value = (await g())",
                body("'use strict';\nfunction g() {}\nawait g()"), "function exports go after the directive prologue");
    }

    @Test
    void regexesAndTemplatesDoNotConfuseTheBrackets() {
        assertEquals("let r; " + HEAD + ";0, r = /[)}\\]]/.source + a / b / c;\n__braid$value = (await r)",
                body("let r = /[)}\\]]/.source + a / b / c\nawait r"));
        assertEquals("let t; " + HEAD + ";0, t = `a${ {b: `c${'}'}`}.b }`;\n__braid$value = (await t)",
                body("let t = `a${ {b: `c${'}'}`}.b }`\nawait t"));
    }

    @Test
    void positionsMapBackToTheOriginal() {
        String code = "let x = await 1\nfoo(x)";
        TopLevelAwait.Rewrite r = TopLevelAwait.rewrite(code);
        String[] lines = r.code().split("\n");
        // 'x' after the keyword on line 1, and 'foo' on line 2 (behind the value insertion).
        assertArrayEquals(new int[] {1, 5}, TopLevelAwait.originalPosition(r, code, 1, lines[0].indexOf("x =") + 1));
        assertArrayEquals(new int[] {2, 1}, TopLevelAwait.originalPosition(r, code, 2, lines[1].indexOf("foo") + 1));
        assertArrayEquals(new int[] {1, 1}, TopLevelAwait.originalPosition(r, code, 1, 3), "inside the prefix: the start");
        assertArrayEquals(new int[] {1, 1}, TopLevelAwait.originalPosition(r, code, 1, lines[0].indexOf(";0,") + 1),
                "the replaced keyword maps character by character");
    }
}
