package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;

import java.util.Objects;

/**
 * The factory of Python {@link BraidScriptEngine}s (GraalPy), registered as a service (read
 * {@link BraidScriptEngineFactory} for which runtime they use). Names: {@code braid-python},
 * {@code braid-py}, {@code BraidPython}; extension {@code py}; MIME type {@code text/x-python}.
 *
 * <p>What Python does its own way: an evaluation's value is that of its last expression
 * statement; a coroutine it evaluates to (calling an {@code async def}) is driven to its value,
 * and so is one that an invoked function returns, but {@code await} at the top level is a
 * syntax error, as in a Python module. {@code print} and {@code sys.stdout}/{@code stderr}
 * write to the context's writers. Dicts come back as {@link GuestMap}s, class instances and
 * modules as {@link GuestObject}s; a Java {@code Map} reaches Python as an object with
 * attributes, not as a dict. The ENGINE_SCOPE lists the builtins along with the module's
 * globals (GraalPy's bindings show both). Errors have a line but no column: Python's
 * tracebacks have none. The first engine of a process takes seconds to start.
 */
public final class BraidPyScriptEngineFactory extends BraidScriptEngineFactory {
    /** Engines on the shared {@link #defaultHost()}. */
    public BraidPyScriptEngineFactory() {
        super(PyEngineLanguage.INSTANCE, null);
    }

    /** Engines on {@code host}: its runtime, permissions and host functions. */
    public BraidPyScriptEngineFactory(ScriptHost host) {
        super(PyEngineLanguage.INSTANCE, Objects.requireNonNull(host, "host"));
    }
}
