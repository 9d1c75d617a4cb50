package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSR-223 engine: lookup, eval with top-level await, Invocable, Compilable, bindings, console, errors. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // evaluations block until they settle: a bug must not hang the build
final class BraidScriptEngineTest {
    static BraidRuntime rt;
    static ScriptHost host;
    BraidJsScriptEngine engine;

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("jsr223-test")
                .stallThreshold(Duration.ofSeconds(5)) // interpreted guest code is slow to warm up
                // One test has an eval wait for another thread's later eval, which deadlock
                // detection cannot foresee (the default JSR-223 runtime is built the same way).
                .noDeadlockDetection()
                .build();
        host = ScriptHost.builder(rt)
                .hostFunction("hostAdd", args -> ((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue())
                .build();
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    @BeforeEach
    void newEngine() {
        engine = new BraidJsScriptEngineFactory(host).getScriptEngine();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    // ---- lookup -------------------------------------------------------------------------

    @Test
    void lookupByName_throughScriptEngineManager_runsOnTheDefaultRuntime() throws Exception {
        ScriptEngineManager manager = new ScriptEngineManager();
        ScriptEngine e = manager.getEngineByName("braid-js");
        assertNotNull(e, "braid-js is not registered as a javax.script.ScriptEngineFactory service");
        assertInstanceOf(BraidJsScriptEngine.class, e);
        try (BraidJsScriptEngine braid = (BraidJsScriptEngine) e) {
            assertSame(BraidJsScriptEngineFactory.defaultHost(), braid.host());
            assertEquals(42, e.eval("await braid.sleep(5); 6 * 7"));
            assertTrue(braid.host().runtime().toString().contains("braid-jsr223"), braid.host().runtime().toString());
        }
        ScriptEngineFactory f = e.getFactory();
        assertTrue(f.getNames().containsAll(List.of("braid-js", "braid-javascript", "BraidJS")), f.getNames().toString());
        assertFalse(f.getNames().contains("js") || f.getNames().contains("javascript"), "must not claim Graal.js's own names");
        assertEquals("braid-js", f.getParameter(ScriptEngine.NAME));
        assertInstanceOf(BraidJsScriptEngine.class, manager.getEngineByName("BraidJS"));
        assertInstanceOf(BraidJsScriptEngine.class, manager.getEngineByMimeType("application/x-braid-javascript"));
        assertEquals("console.log(\"say \\\"hi\\\"\\n\")", f.getOutputStatement("say \"hi\"\n"));
        assertEquals("o.m(a, b)", f.getMethodCallSyntax("o", "m", "a", "b"));
    }

    @Test
    void hostSuppliedRuntime_hasTheHostsFunctions() throws Exception {
        assertSame(host, engine.host());
        assertEquals(5, engine.eval("hostAdd(2, 3)"));
    }

    // ---- eval ---------------------------------------------------------------------------

    @Test
    void eval_plainValues_andASettledPromise() throws Exception {
        assertEquals(42, engine.eval("6 * 7"));
        assertEquals("x", engine.eval("'x'"));
        assertEquals(2.5, engine.eval("5 / 2"));
        assertEquals(1L << 40, engine.eval("2 ** 40"));
        assertNull(engine.eval("undefined"));
        assertEquals(List.of(1, "two", Map.of("three", 3)), engine.eval("[1, 'two', {three: 3}]"));
        assertEquals(5, engine.eval("Promise.resolve(5)"));
        assertEquals("slept", engine.eval("(async () => { await braid.sleep(5); return 'slept'; })()"));
        assertEquals(3, engine.eval(new StringReader("1 + 2")));
    }

    @Test
    void eval_classicDeclarations_areVisibleToLaterEvals() throws Exception {
        engine.eval("var v = 1; let l = 2; function f() { return 3 }");
        assertEquals(6, engine.eval("v + l + f()"));
    }

    @Test
    void topLevelAwait_returnsTheSettledValueOfTheLastExpression() throws Exception {
        assertEquals(42, engine.eval("await braid.sleep(5); 6 * 7"));
        assertEquals(4, engine.eval("let y\n(await Promise.resolve(4))")); // ASI ends the declaration before '('
        assertEquals(3, engine.eval("const s = await Promise.resolve('a/b'); s.split('/').length + /x/.source.length"));
        assertEquals(6, engine.eval("let total = 0\nfor await (const x of [1, 2, 3]) total += x\ntotal"));
        assertNull(engine.eval("await 0; if (true) { 1 }"), "a trailing control statement gives undefined");
    }

    @Test
    void topLevelAwait_declarationsStayVisibleToLaterEvals() throws Exception {
        assertEquals(41, engine.eval("""
                const a = await Promise.resolve(20)
                let b = a + 1, {c, d: [e] = [1]} = {c: 'see'}
                function twice(x) { return 2 * x }
                class K { get v() { return 1 } }
                var w = 1;
                a + b
                """));
        assertEquals(63, engine.eval("twice(a) + b + w + new K().v"));
        assertEquals("see1", engine.eval("c + e"));
        assertEquals(7, engine.eval("await 0; 7; let z = 1; function zz() {}"), "declarations after the value keep it");
        assertEquals(1, engine.eval("z"));
        assertEquals(5, engine.eval("a = 5"), "a top-level-await const becomes a global let (documented)");
        assertEquals(9, engine.eval("'use strict'; await 0; function sq(x) { return x * x }\nsq(3)"));
        assertEquals(16, engine.eval("sq(4)"));
        assertEquals(true, engine.eval("'use strict'; await 0; (function () { return this === undefined })()"),
                "the directive makes the rewritten code strict");
        assertEquals(false, engine.eval("await 0; (function () { return this === undefined })()"), "sloppy without it");
    }

    @Test
    void topLevelAwait_redeclaringALet_failsAsInAClassicScript() throws Exception {
        engine.eval("let q = await 1");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("let q = await 2"));
        assertTrue(e.getMessage().contains("q") && e.getMessage().contains("already been declared"), e.getMessage());
        assertEquals(1, engine.eval("q"));
    }

    @Test
    void aModuleName_evaluatesAnEsModule_asASessionDoes() throws Exception {
        engine.getContext().setAttribute(ScriptEngine.FILENAME, "m.mjs", ScriptContext.ENGINE_SCOPE);
        assertEquals(Map.of("a", 1, "b", 2), engine.eval("export const a = await Promise.resolve(1); export const b = a + 1"));
        assertEquals(Map.of("c", 3), engine.compile("export const c = 3").eval());
    }

    @Test
    void evalsFromSeveralThreads_interleaveAtTheirAwaits() throws Exception {
        engine.eval("var open; var gate = new Promise((resolve) => { open = resolve })");
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.eval("const got = await gate; 'waited for ' + got");
            } catch (ScriptException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("opened", engine.eval("open('the other thread'); 'opened'"));
        assertEquals("waited for the other thread", waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void topLevelAwait_rejection_isAScriptException() {
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("await Promise.reject(new RangeError('nope'))"));
        assertTrue(e.getMessage().startsWith("RangeError: nope"), e.getMessage());
        assertInstanceOf(GuestError.class, e.getCause());
    }

    @Test
    void moduleRule_aJsFileNameWithExports_isAModule_otherNamesAreScripts() throws Exception {
        engine.getContext().setAttribute(ScriptEngine.FILENAME, "exports.js", ScriptContext.ENGINE_SCOPE);
        Object ns = engine.eval("export const a = await Promise.resolve(1);\nconst hidden = 2;");
        assertEquals(Map.of("a", 1), ns);
        assertEquals("undefined", engine.eval("typeof hidden"), "module scope");
        engine.getContext().setAttribute(ScriptEngine.FILENAME, "script.js", ScriptContext.ENGINE_SCOPE);
        assertEquals(3, engine.eval("const c = await Promise.resolve(3); c"));
        assertEquals(3, engine.eval("c"), "a classic script's declarations are global");
    }

    // ---- Invocable ----------------------------------------------------------------------

    /** Implemented by guest functions through getInterface. */
    public interface Calculator {
        int add(int a, int b);

        double half(double x) throws ScriptException;

        default int twice(int a) {
            return add(a, a);
        }
    }

    @Test
    void invocable_awaitsAsyncFunctionsAndMethods() throws Exception {
        engine.eval("""
                async function slowDouble(x) { await braid.sleep(5); return x * 2 }
                var counter = { n: 0, async add(k) { await braid.yieldNow(); this.n += k; return this.n } }
                function same(o) { return o === counter }
                """);
        Invocable inv = engine;
        assertEquals(42, inv.invokeFunction("slowDouble", 21));
        assertThrows(NoSuchMethodException.class, () -> inv.invokeFunction("missing"));
        assertThrows(NoSuchMethodException.class, () -> inv.invokeFunction("counter"));

        Object counter = engine.get("counter");
        assertInstanceOf(JsObject.class, counter);
        assertEquals(5, inv.invokeMethod(counter, "add", 5));
        assertEquals(12, inv.invokeMethod(counter, "add", 7), "the method ran on the live object");
        assertEquals(true, inv.invokeFunction("same", counter), "a JsObject goes back in as the object itself");
        assertThrows(NoSuchMethodException.class, () -> inv.invokeMethod(counter, "nope"));
        assertThrows(IllegalArgumentException.class, () -> inv.invokeMethod(null, "add"));

        Object inc = engine.eval("(x) => x + 1");
        assertInstanceOf(JsFunction.class, inc);
        assertEquals(42, inv.invokeMethod(inc, "call", null, 41));
        assertEquals("ABC", inv.invokeMethod("abc", "toUpperCase"));
    }

    @Test
    void getInterface_callsGlobalFunctions() throws Exception {
        assertNull(engine.getInterface(Calculator.class), "functions missing: no implementation");
        engine.eval("function add(a, b) { return a + b }\nasync function half(x) { await braid.yieldNow(); return x / 2 }");
        Calculator calc = engine.getInterface(Calculator.class);
        assertNotNull(calc);
        assertEquals(5, calc.add(2, 3));
        assertEquals(8, calc.twice(4));
        assertEquals(1.5, calc.half(3));
        Object impl = engine.eval("({ add: (a, b) => a * b, half: (x) => x })");
        Calculator times = engine.getInterface(impl, Calculator.class);
        assertEquals(6, times.add(2, 3));
        engine.eval("function add(a, b) { throw new TypeError('no adding') }");
        GuestError ge = assertThrows(GuestError.class, () -> calc.add(1, 1));
        assertEquals("TypeError", ge.guestName());
    }

    // ---- Compilable ---------------------------------------------------------------------

    @Test
    void compiledScript_reRunsTheParsedProgram() throws Exception {
        Compilable c = engine;
        CompiledScript count = c.compile("globalThis.hits = (globalThis.hits || 0) + 1");
        assertEquals(1, count.eval());
        assertEquals(2, count.eval());
        assertEquals(3, count.eval());
        assertSame(engine, count.getEngine());

        CompiledScript async = c.compile("await braid.yieldNow(); hits * 10");
        assertEquals(30, async.eval());
        count.eval();
        assertEquals(40, async.eval());

        engine.getContext().setAttribute(ScriptEngine.FILENAME, "broken.js", ScriptContext.ENGINE_SCOPE);
        ScriptException e = assertThrows(ScriptException.class, () -> c.compile("1 +"));
        assertEquals("broken.js", e.getFileName());
        assertTrue(e.getMessage().startsWith("SyntaxError: "), e.getMessage());
    }

    // ---- bindings -----------------------------------------------------------------------

    @Test
    void bindings_engineScopeIsTheGlobalScope_bothWays() throws Exception {
        engine.put("x", 20);
        assertEquals(42, engine.eval("x * 2 + 2"));
        engine.put("xs", List.of(1, 2, 3));
        engine.put("m", Map.of("k", 10));
        assertEquals(13, engine.eval("xs.length + m.k"));
        engine.put("later", CompletableFuture.completedFuture(7));
        assertEquals(7, engine.eval("await later"), "a CompletionStage binding is awaitable");

        engine.eval("globalThis.fromJs = {a: [1, 2]}; var v2 = 'hi'; let lex2 = 5");
        assertEquals(Map.of("a", List.of(1, 2)), engine.get("fromJs"));
        assertEquals("hi", engine.get("v2"));
        assertEquals(5, engine.get("lex2"));
        assertNull(engine.get("nothing"));

        Bindings globals = engine.getBindings(ScriptContext.ENGINE_SCOPE);
        assertTrue(globals.containsKey("lex2"));
        assertTrue(globals.keySet().containsAll(List.of("x", "fromJs", "v2", "lex2")), globals.keySet().toString());
        assertEquals(20, globals.remove("x"));
        assertEquals("undefined", engine.eval("typeof x"));
        assertThrows(UnsupportedOperationException.class, () -> globals.remove("v2"));
        assertThrows(IllegalArgumentException.class, () -> engine.put("", 1));
        assertThrows(NullPointerException.class, () -> globals.get(null));
    }

    @Test
    void bindings_foreignBindingsAreImportedAndUpdated() throws Exception {
        Bindings b = engine.createBindings();
        b.put("p", 2);
        assertEquals(42, engine.eval("p = p * 21", b));
        assertEquals(42, b.get("p"), "the binding got the global's new value back");
        assertEquals(42, engine.get("p"), "and the global stays defined");
    }

    // ---- console ------------------------------------------------------------------------

    @Test
    void console_writesToTheContextsWriters() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        engine.getContext().setWriter(out);
        engine.getContext().setErrorWriter(err);
        engine.eval("console.log('hello %s', 'world'); console.error('bad'); await braid.sleep(1); console.info('after', 1)");
        String nl = System.lineSeparator();
        assertEquals("hello world" + nl + "after 1" + nl, out.toString());
        assertEquals("bad" + nl, err.toString());

        StringWriter other = new StringWriter();
        SimpleScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        ctx.setWriter(other);
        engine.eval("console.log('to the other context')", ctx);
        assertEquals("to the other context" + nl, other.toString());
        assertFalse(out.toString().contains("other"));
    }

    // ---- errors -------------------------------------------------------------------------

    @Test
    void syntaxError_hasFileLineAndColumn() {
        engine.getContext().setAttribute(ScriptEngine.FILENAME, "bad.js", ScriptContext.ENGINE_SCOPE);
        assertEquals("bad.js", engine.get(ScriptEngine.FILENAME));
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("\nlet x = ;"));
        assertEquals("bad.js", e.getFileName());
        assertEquals(2, e.getLineNumber());
        assertEquals(9, e.getColumnNumber());
        assertTrue(e.getMessage().startsWith("SyntaxError: Expected an operand but found ;"), e.getMessage());
        assertTrue(e.getMessage().endsWith("in bad.js at line number 2 at column number 9"), e.getMessage());

        ScriptException tla = assertThrows(ScriptException.class, () -> engine.eval("await 1\nconst y = 1 +;"));
        assertEquals(2, tla.getLineNumber(), tla.getMessage());
        assertEquals(14, tla.getColumnNumber(), tla.getMessage());

        ScriptException awaitInFunction = assertThrows(ScriptException.class, () -> engine.eval("await 1\nfunction f() { await 2 }"));
        assertTrue(awaitInFunction.getMessage().contains("await is only valid"), awaitInFunction.getMessage());
        assertEquals(2, awaitInFunction.getLineNumber());
        assertEquals(16, awaitInFunction.getColumnNumber());
    }

    @Test
    void thrownError_hasFileLineAndColumn() throws Exception {
        engine.getContext().setAttribute(ScriptEngine.FILENAME, "g.js", ScriptContext.ENGINE_SCOPE);
        assertEquals("undefined", engine.eval("typeof globalThis['javax.script.filename']"), "attributes are no globals");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("\nfunction bad() { null.x; }\nbad()"));
        assertTrue(e.getMessage().startsWith("TypeError: Cannot read property 'x' of null"), e.getMessage());
        assertEquals("g.js", e.getFileName());
        assertEquals(2, e.getLineNumber());
        assertEquals(18, e.getColumnNumber());
        GuestError ge = assertInstanceOf(GuestError.class, e.getCause());
        assertTrue(ge.guestStack().contains("bad"), ge.guestStack());

        // In rewritten (top-level await) code, positions are the user's, not the rewrite's.
        ScriptException first = assertThrows(ScriptException.class, () -> engine.eval("await 0; null.y"));
        assertEquals(1, first.getLineNumber());
        assertEquals(10, first.getColumnNumber());
        ScriptException last = assertThrows(ScriptException.class, () -> engine.eval("await 0\nconst o = null\n  o.z"));
        assertEquals(3, last.getLineNumber());
        assertEquals(3, last.getColumnNumber());

        ScriptException fromCall = assertThrows(ScriptException.class, () -> engine.invokeFunction("bad"));
        assertEquals("g.js", fromCall.getFileName());
        assertEquals(2, fromCall.getLineNumber());

        ScriptException notAnError = assertThrows(ScriptException.class, () -> engine.eval("throw 'just a string'"));
        assertTrue(notAnError.getMessage().startsWith("just a string"), notAnError.getMessage());
    }

    @Test
    void closedEngine_refusesWork() throws Exception {
        assertEquals(1, engine.eval("1"));
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.eval("1"));
    }
}
