package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSR-223 facade with Python: the same engine as {@code braid-js}, on a GraalPy session.
 * Few tests, each with one engine: every Python context takes seconds to start.
 *
 * <p>What the JavaScript tests check that Python does not do, and why:
 * <ul>
 *   <li>top-level {@code await} in code named {@code *.py}: a Python file may not await
 *       outside a function (a SyntaxError, as in CPython); other code may, as in a REPL;
 *   <li>a Java {@code Map} as a dict: the bridge hands every language a Map as an object of
 *       members, so Python reads {@code m.k}, and {@code m['k']} fails (not subscriptable);
 *   <li>removing any global: the ENGINE_SCOPE lists the builtins too (GraalPy's bindings
 *       show them), but they are not the module's and cannot be removed;
 *   <li>error columns: Python's tracebacks have lines only;
 *   <li>a function's own call method is {@code __call__}, not {@code call}.
 * </ul>
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // evaluations block until they settle: a bug must not hang the build
final class BraidPyScriptEngineTest {
    static BraidRuntime rt;
    static ScriptHost host;

    @BeforeAll
    static void start() {
        rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("jsr223-py-test")
                .stallThreshold(Duration.ofSeconds(5)) // interpreted guest code is slow to warm up
                .noDeadlockDetection() // as the default JSR-223 runtime
                .build();
        host = ScriptHost.builder(rt)
                .hostFunction("pause", args -> Time.sleep(Duration.ofMillis(((Number) args.get(0)).longValue())).map(x -> "slept"))
                .build();
    }

    @AfterAll
    static void stop() {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void lookup_byNameExtensionAndMimeType() {
        ScriptEngineManager manager = new ScriptEngineManager();
        ScriptEngine e = manager.getEngineByName("braid-python");
        assertNotNull(e, "braid-python is not registered as a javax.script.ScriptEngineFactory service");
        try (BraidScriptEngine braid = assertInstanceOf(BraidScriptEngine.class, e)) {
            assertSame(BraidScriptEngineFactory.defaultHost(), braid.host()); // no context yet: it is made on first use
        }
        ScriptEngineFactory f = e.getFactory();
        assertEquals("braid-python", f.getParameter(ScriptEngine.NAME));
        assertEquals("Python", f.getLanguageName());
        assertInstanceOf(BraidPyScriptEngineFactory.class, manager.getEngineByName("braid-py").getFactory());
        assertInstanceOf(BraidPyScriptEngineFactory.class, manager.getEngineByExtension("py").getFactory());
        assertInstanceOf(BraidPyScriptEngineFactory.class, manager.getEngineByMimeType("text/x-python").getFactory());
        assertEquals("print(\"say \\\"hi\\\"\\n\")", f.getOutputStatement("say \"hi\"\n"));
        assertEquals("o.m(a, b)", f.getMethodCallSyntax("o", "m", "a", "b"));
        assertEquals("x = 1\nprint(x)", f.getProgram("x = 1", "print(x)"));
    }

    @Test
    void eval_print_errors_andCompiledScripts() throws Exception {
        try (BraidScriptEngine engine = new BraidPyScriptEngineFactory(host).getScriptEngine()) {
            assertEquals(42, engine.eval("6 * 7"));
            assertEquals(List.of(1, "two", Map.of("three", 3)), engine.eval("[1, 'two', {'three': 3}]"));
            assertNull(engine.eval("None"));
            assertNull(engine.eval("y = 1"), "a statement has no value");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            engine.getContext().setWriter(out);
            engine.getContext().setErrorWriter(err);
            engine.eval("import sys\nprint('hello', 'world')\nprint('bad', file=sys.stderr)");
            assertEquals("hello world\n", out.toString());
            assertEquals("bad\n", err.toString());

            engine.getContext().setAttribute(ScriptEngine.FILENAME, "err.py", ScriptContext.ENGINE_SCOPE);
            ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("def f():\n    raise ValueError('bad value')\nf()"));
            assertTrue(e.getMessage().startsWith("ValueError: bad value"), e.getMessage());
            assertEquals("err.py", e.getFileName());
            assertEquals(2, e.getLineNumber());
            assertEquals(-1, e.getColumnNumber(), "Python's tracebacks have no column");
            assertEquals("ValueError", assertInstanceOf(GuestError.class, e.getCause()).guestName());

            Compilable c = engine;
            CompiledScript count = c.compile("hits = globals().get('hits', 0) + 1\nhits");
            assertEquals(1, count.eval());
            assertEquals(2, count.eval());
            assertSame(engine, count.getEngine());
            ScriptException syntax = assertThrows(ScriptException.class, () -> c.compile("x = 1\ny = = 2"));
            assertTrue(syntax.getMessage().startsWith("SyntaxError: "), syntax.getMessage());
            assertEquals("err.py", syntax.getFileName());
            assertEquals(2, syntax.getLineNumber());
        }
    }

    @Test
    void bindings_invocable_andCoroutines() throws Exception {
        try (BraidScriptEngine engine = new BraidPyScriptEngineFactory(host).getScriptEngine()) {
            engine.put("x", 20);
            engine.put("xs", List.of(1, 2, 3));
            assertEquals(42, engine.eval("x * 2 + len(xs) + xs[1] - 3"));
            engine.put("later", CompletableFuture.completedFuture(7));
            engine.eval("""
                    counts = {'a': 1}
                    class Counter:
                        def __init__(self):
                            self.n = 0
                        async def add(self, k):
                            await pause(1)
                            self.n += k
                            return self.n
                    counter = Counter()
                    def applyAsInt(a, b):
                        return a * b
                    async def slow_double(v):
                        woke = await pause(5)
                        return [woke, v * 2, await later]
                    """);
            assertEquals(Map.of("a", 1), engine.get("counts"));
            Bindings globals = engine.getBindings(ScriptContext.ENGINE_SCOPE);
            assertTrue(globals.keySet().containsAll(List.of("x", "counts", "counter")), globals.keySet().toString());
            assertEquals(20, globals.remove("x"));
            assertEquals(false, engine.eval("'x' in globals()"));

            Bindings b = engine.createBindings();
            b.put("p", 2);
            assertEquals(42, engine.eval("p = p * 21\np", b));
            assertEquals(42, b.get("p"), "the binding got the global's new value back");

            assertEquals(List.of("slept", 42, 7), engine.invokeFunction("slow_double", 21), "an async def's coroutine is driven");
            assertEquals(List.of("slept", 4, 7), engine.eval("slow_double(2)"), "so is one an evaluation returns");
            assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("missing"));
            assertEquals(List.of("slept", 6, 7), engine.eval("woke = await pause(1)\nr = await slow_double(3)\nr"),
                    "top-level await, as in a REPL; its names are the module's");
            assertEquals("slept", engine.get("woke"));

            Object counter = engine.get("counter");
            assertInstanceOf(GuestObject.class, counter);
            assertEquals(5, engine.invokeMethod(counter, "add", 5));
            assertEquals(12, engine.invokeMethod(counter, "add", 7), "the method ran on the live object");
            assertEquals(1, engine.invokeMethod(engine.get("counts"), "get", "a"), "a dict goes back in as the dict itself");
            assertEquals("ABC", engine.invokeMethod("abc", "upper"));
            assertThrows(NoSuchMethodException.class, () -> engine.invokeMethod(counter, "nope"));

            IntBinaryOperator times = engine.getInterface(IntBinaryOperator.class);
            assertNotNull(times);
            assertEquals(6, times.applyAsInt(2, 3));
            Object f = engine.eval("applyAsInt");
            assertInstanceOf(GuestFunction.class, f);
            assertEquals(12, engine.invokeMethod(f, "__call__", 3, 4));
        }
    }
}
