package dev.braid.polyglot.js;

import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-level await rewrite as text: acorn's plan, the rewritten code, the map back to the user's positions. */
final class AwaitRewriteTest {
    static Engine engine;
    static JsParser parser;

    @BeforeAll
    static void start() {
        engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
        parser = new JsParser(engine);
    }

    @AfterAll
    static void stop() {
        engine.close(true);
    }

    private static String rewrite(String code) {
        List<AwaitRewrite.Edit> plan = parser.planScript(code);
        assertTrue(plan != null && !plan.isEmpty(), "no rewrite planned for " + code);
        return AwaitRewrite.apply(code, plan);
    }

    /** The rewritten code without the comment that carries the position map. */
    private static String body(String code) {
        String r = rewrite(code);
        return r.substring(0, r.lastIndexOf(SourcePositions.MARKER));
    }

    @Test
    void onlyTopLevelAwaitIsRewritten() {
        assertNull(parser.planScript("let = ;\nawait 1"), "acorn cannot parse it: Graal.js reports the error");
        assertEquals(List.of(), parser.planScript("async function f() { await 1 }"), "await only inside a function");
        assertEquals(List.of(), parser.planScript("class C { async m() { await 1 } static { let await1 = 0 } }"));
        assertEquals(List.of(), parser.planScript("'await' + `await` // await"));
        assertTrue(!parser.planScript("for await (const x of xs) {}").isEmpty());
        assertTrue(!parser.planScript("class C { [await k]() {} }").isEmpty(), "a computed key runs at the top level");
    }

    @Test
    void theShapeOfARewrite() {
        assertEquals("""
                let a, b; var g; (async (__braid$value) => {this.g = g;;0,   {a} = await f(), b = 1;
                function g() { return a };__braid$value = \n\
                g() + b
                ;return __braid$value;})()""", body("const {a} = await f(), b = 1\nfunction g() { return a }\ng() + b"));
    }

    @Test
    void declarations_becomeAssignments_keepingTheirColumns() {
        assertEquals("let x; (async (__braid$value) => {;0, x = await 1;\n;return __braid$value;})()", body("let x = await 1"));
        assertEquals("let K; (async (__braid$value) => {;K = class K {};;;__braid$value =  await K\n;return __braid$value;})()",
                body("class K {}; await K"));
        assertEquals("var i, k; (async (__braid$value) => {for (0,  i = 0; i < 1; i++) if (await i) 0,  k = 1;\n;return __braid$value;})()",
                body("for (var i = 0; i < 1; i++) if (await i) var k = 1"));
        assertEquals("var v; (async (__braid$value) => {for (    v of await xs) {}\n;return __braid$value;})()",
                body("for (var v of await xs) {}"));
    }

    @Test
    void theValue_isTheLastExpression_orTheLastOfItsSequence() {
        assertEquals("(async (__braid$value) => {await a, __braid$value = b\n;return __braid$value;})()", body("await a, b"));
        assertEquals("(async (__braid$value) => {await 0; if (x) { 1 }\n;return __braid$value;})()", body("await 0; if (x) { 1 }"));
        assertEquals("(async (__braid$value) => {'use strict';;__braid$value = 'use strict'; ;0, y = await 1;\n;return __braid$value;})()",
                body("'use strict'; let y = await 1").replace("let y; ", ""));
    }

    @Test
    void aHashbang_becomesAComment() {
        assertEquals("(async (__braid$value) => {///usr/bin/env braid\n;__braid$value = await 0\n;return __braid$value;})()",
                body("#!/usr/bin/env braid\nawait 0"));
    }

    @Test
    void positions_mapBackToTheUsersText() {
        String code = "const x = await 1; foo(x)\n  bar(\n    x)";
        String r = rewrite(code);
        SourcePositions map = SourcePositions.of(r);
        String[] lines = r.split("\n");
        // line 1: 'foo' sits behind the function's prefix and the value's insertion
        assertArrayEquals(new int[] {1, code.indexOf("foo") + 1}, map.toUser(1, lines[0].indexOf("foo") + 1));
        assertArrayEquals(new int[] {1, code.indexOf("x =") + 1}, map.toUser(1, lines[0].indexOf("x =") + 1));
        assertArrayEquals(new int[] {1, 1}, map.toUser(1, lines[0].indexOf(";0,") + 1), "the replaced keyword, character by character");
        assertArrayEquals(new int[] {1, 3}, map.toUser(1, lines[0].indexOf(";0,") + 3));
        assertArrayEquals(new int[] {1, 1}, map.toUser(1, 5), "inside the prefix: where it was inserted");
        // lines without insertions keep their columns; the appended line maps to the end of the text
        assertArrayEquals(new int[] {3, 5}, map.toUser(3, 5));
        assertArrayEquals(new int[] {3, 7}, map.toUser(4, 2));
        assertArrayEquals(new int[] {2, 0}, map.toUser(2, 0), "an unknown column stays unknown");
        assertNull(SourcePositions.of(code), "the user's own text carries no map");
    }

    @Test
    void wrapOnly_andGraalsSyntaxMessages() {
        String code = "await 1; const = 2";
        String wrapped = AwaitRewrite.wrapOnly(code);
        assertTrue(wrapped.startsWith("(async () => {" + code + "\n})()"), wrapped);
        SourcePositions map = SourcePositions.of(wrapped);
        int at = wrapped.indexOf("const =") + 1;
        assertArrayEquals(new int[] {1, code.indexOf("const =") + 1}, map.toUser(1, at));
        String graal = "SyntaxError: s.js:1:" + wrapped.indexOf("= 2") + " Expected an identifier\n" + wrapped.split("\n")[0] + "\n      ^\n";
        assertEquals("SyntaxError: s.js:1:" + code.indexOf("= 2") + " Expected an identifier", map.userMessage(graal, "s.js"));
    }
}
