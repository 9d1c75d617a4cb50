package dev.braid.polyglot.jsr223;

import dev.braid.future.Future;
import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.ScriptHost;
import org.graalvm.polyglot.Value;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import java.io.IOException;
import java.io.Reader;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * JavaScript through JSR-223 ({@code javax.script}) on Braid: a thin facade over a
 * {@link dev.braid.polyglot.GuestSession}. Get one with
 * {@code new ScriptEngineManager().getEngineByName("braid-js")} (it then runs on a shared
 * default runtime) or from {@code new BraidJsScriptEngineFactory(host).getScriptEngine()}
 * (on the runtime, permissions and host functions of your {@link ScriptHost}).
 *
 * <p>Each engine owns one guest context, made on first use and closed by {@link #close()}
 * (or once the engine is unreachable). Guest code only ever runs on the session's strand:
 * every method here hands its work to the strand and blocks the calling thread until it is
 * done, so the engine may be used from several threads (evaluations interleave at their
 * awaits, like tasks), but not from a thread of the runtime it runs on (a host function,
 * a task): that would block a worker, and the runtime refuses. An evaluation that awaits
 * something that never settles blocks its caller for good (unless the host's runtime is a
 * {@linkplain dev.braid.runtime.BraidRuntime.Builder#closedWorld() closed world}, where
 * deadlock detection fails it with a {@link dev.braid.runtime.DeadlockException}; elsewhere
 * detection only reports it).
 * A closed engine throws {@link IllegalStateException}.
 *
 * <h2>Evaluation and top-level await</h2>
 * {@link #eval(String)} returns the <em>settled</em> value: a promise that the script
 * evaluates to is awaited (and its rejection thrown as a {@link ScriptException}), while
 * background tasks it started keep running. Scripts are parsed as a session's evaluations
 * are ({@link dev.braid.polyglot.js.JsPlugin}): a script named ({@link ScriptEngine#FILENAME})
 * {@code *.mjs}, or {@code *.js} with top-level {@code import}/{@code export} statements, is
 * an ES module and evaluates to its exports; anything else is a classic script. A classic
 * script may {@code await} at its top level: it then runs in an async function, the way
 * Node's REPL does it, and evaluates to the value of its last top-level expression
 * statement. Trade-offs of that rewrite:
 * <ul>
 *   <li>Top-level declarations stay visible to later evaluations, as a classic script's
 *       would: {@code let}, {@code const} and {@code class} names are declared as global
 *       {@code let} bindings, {@code var} (also inside blocks) and function names as global
 *       {@code var}s, and the declarations become assignments. So such a {@code const} can be
 *       reassigned later, and reading a name before its declaration gives {@code undefined}
 *       rather than a {@code ReferenceError}. Declaring the same {@code let} name again in a
 *       later evaluation is an error, as it is for classic scripts.
 *   <li>The value is {@code undefined} when the last statement that is not a declaration is
 *       a control statement ({@code if}, {@code for}, {@code try}...), where a classic script
 *       would give that statement's completion value.
 *   <li>Lines never move, and error positions are mapped back to the code as written; only
 *       stack traces printed by guest code itself ({@code err.stack}) show columns of the
 *       rewritten text on the lines that changed.
 * </ul>
 * Scripts without {@code await} outside functions run unchanged.
 *
 * <h2>Values</h2>
 * Results, bindings and invocation results come back as Java data: {@code null} (for null
 * and undefined), Boolean, Integer, Long, Double, String, {@code List} (arrays), a
 * {@link JsObject} (other objects: a {@code Map} snapshot that remembers the live object),
 * a {@link JsFunction} (functions); Java objects the guest was given come back as they were.
 * Arguments and bindings going in: a {@code JsObject} or {@code JsFunction} of this engine is
 * the live guest value again; {@code List}s, arrays and {@code Map}s are copied; Braid
 * futures and {@code CompletionStage}s become awaitables; other Java objects are opaque
 * (guests have no host access).
 *
 * <h2>Bindings</h2>
 * The default ENGINE_SCOPE is the guest's global scope itself: {@code engine.put("x", 1)}
 * defines the global {@code x}, and {@code engine.get("y")} reads a global a script set
 * (with {@code var}, {@code let}, or on {@code globalThis}). Another ENGINE_SCOPE
 * {@code Bindings} (from {@link #createBindings()}, passed to {@code eval(script, bindings)}
 * or set on a context) is imported: its entries are defined as globals before the
 * evaluation, and after it each entry gets the global's value back. Those globals stay
 * defined (all evaluations share one global scope). GLOBAL_SCOPE is not visible to guests,
 * nor are ENGINE_SCOPE keys starting with {@code javax.script.} (engine attributes such as
 * {@link ScriptEngine#FILENAME}, which names the scripts evaluated in that context).
 *
 * <h2>Console and errors</h2>
 * {@code console.log}, {@code info} and {@code debug} write lines to the
 * {@link ScriptContext#getWriter() writer} of the evaluation in progress (the most recently
 * started one if several are), {@code warn} and {@code error} to its error writer; output
 * of background tasks goes to the engine's own context. Errors are {@link ScriptException}s
 * with the guest's "Name: message", the file ({@link ScriptEngine#FILENAME}, default
 * {@code <eval>}), line and 1-based column, caused by the {@link GuestError} (which has
 * the guest stack).
 */
public final class BraidJsScriptEngine extends AbstractScriptEngine implements Invocable, Compilable, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    /** The script name used when the context has no {@link ScriptEngine#FILENAME}. */
    public static final String DEFAULT_NAME = "<eval>";

    private final BraidJsScriptEngineFactory factory;
    private final EngineCore core;
    private final Cleaner.Cleanable cleanable;

    BraidJsScriptEngine(BraidJsScriptEngineFactory factory, ScriptHost host) {
        this.factory = factory;
        this.core = new EngineCore(host);
        SimpleScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(new GlobalBindings(core), ScriptContext.ENGINE_SCOPE);
        setContext(ctx);
        this.cleanable = CLEANER.register(this, core::close);
    }

    /** The host whose runtime, permissions and host functions this engine uses. */
    public ScriptHost host() {
        return core.host();
    }

    @Override
    public void setContext(ScriptContext ctxt) {
        super.setContext(ctxt);
        core.defaultContext = ctxt;
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    /** A new, empty {@link SimpleBindings}: passed to an evaluation, its entries are imported as globals. */
    @Override
    public Bindings createBindings() {
        return new SimpleBindings();
    }

    // ---- evaluation -----------------------------------------------------------------------

    @Override
    public Object eval(String script, ScriptContext ctx) throws ScriptException {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(ctx, "context");
        String name = scriptName(ctx);
        var imports = core.importsOf(ctx);
        Future<EngineCore.Outcome> job = Future.lazy(() -> core.prepare(script, name))
                .andThen(p -> core.evaluation(ctx, p, imports, () -> core.call(p.program(), new Object[0])));
        EngineCore.Outcome o = run("eval " + name, job);
        core.exportTo(ctx, o);
        return o.value();
    }

    @Override
    public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
        return eval(read(reader), ctx);
    }

    private static String read(Reader reader) throws ScriptException {
        Objects.requireNonNull(reader, "reader");
        try {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = reader.read(buf)) >= 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw (ScriptException) new ScriptException("cannot read the script: " + e.getMessage()).initCause(e);
        }
    }

    private static String scriptName(ScriptContext ctx) {
        Object n = ctx.getAttribute(ScriptEngine.FILENAME);
        return n != null && !n.toString().isEmpty() ? n.toString() : DEFAULT_NAME;
    }

    private <T> T run(String what, Future<T> job) throws ScriptException {
        try {
            return core.await(what, job);
        } catch (Failure f) {
            throw f.toScriptException();
        }
    }

    // ---- Compilable -------------------------------------------------------------------------

    /**
     * Parses {@code script} once (a syntax error is thrown here); each {@code eval} of the
     * result runs the parsed program again. Like any classic script, one that declares a
     * top-level {@code let}, {@code const} or {@code class} fails when run a second time.
     */
    @Override
    public CompiledScript compile(String script) throws ScriptException {
        Objects.requireNonNull(script, "script");
        String name = scriptName(context);
        Prepared p = run("compile " + name, Future.lazy(() -> core.prepare(script, name)));
        return new Compiled(p);
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        return compile(read(script));
    }

    private final class Compiled extends CompiledScript {
        private final Prepared prepared;

        Compiled(Prepared prepared) {
            this.prepared = prepared;
        }

        @Override
        public Object eval(ScriptContext ctx) throws ScriptException {
            Objects.requireNonNull(ctx, "context");
            var imports = core.importsOf(ctx);
            EngineCore.Outcome o = run("eval " + prepared.name(),
                    core.evaluation(ctx, prepared, imports, () -> core.call(prepared.program(), new Object[0])));
            core.exportTo(ctx, o);
            return o.value();
        }

        @Override
        public ScriptEngine getEngine() {
            return BraidJsScriptEngine.this;
        }
    }

    // ---- Invocable --------------------------------------------------------------------------

    /** Calls the global function {@code name}; a promise it returns is awaited. */
    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        Objects.requireNonNull(name, "name");
        ScriptContext ctx = context;
        var imports = core.importsOf(ctx);
        return invoke(ctx, "invoke " + name, core.evaluation(ctx, null, imports, () -> {
            Value fn = core.globals().getMember(name);
            if (fn == null || !fn.canExecute()) {
                throw Failure.noSuchMethod("no global function '" + name + "'"
                        + (fn == null || fn.isNull() ? "" : " (it is " + fn + ")"));
            }
            return core.call(fn, core.toGuest(args));
        }));
    }

    /**
     * Calls method {@code name} of {@code thiz} (a {@link JsObject} or {@link JsFunction} this
     * engine returned, or any value, converted as an argument would be) with {@code this}
     * bound to it; a promise it returns is awaited.
     */
    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (thiz == null) {
            throw new IllegalArgumentException("invokeMethod: the object is null");
        }
        Objects.requireNonNull(name, "name");
        ScriptContext ctx = context;
        var imports = core.importsOf(ctx);
        return invoke(ctx, "invoke ." + name, core.evaluation(ctx, null, imports, () -> {
            Object target = core.toGuest(thiz);
            if (!core.hasMethod(target, name)) {
                throw Failure.noSuchMethod("the object has no method '" + name + "': " + thiz);
            }
            return core.callMethod(target, name, core.toGuest(args));
        }));
    }

    private Object invoke(ScriptContext ctx, String what, Future<EngineCore.Outcome> job) throws ScriptException, NoSuchMethodException {
        try {
            EngineCore.Outcome o = core.await(what, job);
            core.exportTo(ctx, o);
            return o.value();
        } catch (Failure f) {
            if (f.isNoSuchMethod()) {
                throw new NoSuchMethodException(f.getMessage());
            }
            throw f.toScriptException();
        }
    }

    /**
     * An implementation of {@code clasz} whose methods call the global functions of the same
     * names (see {@link #invokeFunction}); null if one of them is not defined now. Each call
     * blocks until the guest function's result settles; default methods run as written.
     */
    @Override
    public <T> T getInterface(Class<T> clasz) {
        return implement(null, clasz);
    }

    /** Like {@link #getInterface(Class)}, with the methods of {@code thiz} (see {@link #invokeMethod}). */
    @Override
    public <T> T getInterface(Object thiz, Class<T> clasz) {
        if (thiz == null) {
            throw new IllegalArgumentException("getInterface: the object is null");
        }
        return implement(thiz, clasz);
    }

    private <T> T implement(Object thiz, Class<T> clasz) {
        if (clasz == null || !clasz.isInterface()) {
            throw new IllegalArgumentException("getInterface needs an interface, got " + clasz);
        }
        List<String> names = new ArrayList<>();
        for (Method m : clasz.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
                names.add(m.getName());
            }
        }
        boolean complete = core.onStrand("getInterface " + clasz.getSimpleName(), () -> {
            Object target = thiz == null ? null : core.toGuest(thiz);
            for (String n : names) {
                boolean ok;
                if (target == null) {
                    Value fn = core.globals().getMember(n);
                    ok = fn != null && fn.canExecute();
                } else {
                    ok = core.hasMethod(target, n);
                }
                if (!ok) {
                    return false;
                }
            }
            return true;
        });
        if (!complete) {
            return null;
        }
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> clasz.getName() + " implemented by " + (thiz == null ? "global functions" : thiz) + " of a braid-js engine";
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object r;
            try {
                r = thiz == null ? invokeFunction(method.getName(), args) : invokeMethod(thiz, method.getName(), args);
            } catch (ScriptException | NoSuchMethodException e) {
                for (Class<?> declared : method.getExceptionTypes()) {
                    if (declared.isInstance(e)) {
                        throw e;
                    }
                }
                if (e.getCause() instanceof GuestError g) {
                    throw g;
                }
                throw new UndeclaredThrowableException(e, e.getMessage());
            }
            return Coerce.to(r, method.getReturnType(), method.getName());
        };
        return clasz.cast(Proxy.newProxyInstance(clasz.getClassLoader(), new Class<?>[] {clasz}, h));
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------

    /** Closes the engine's guest context (its background tasks stop). The host stays open. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
