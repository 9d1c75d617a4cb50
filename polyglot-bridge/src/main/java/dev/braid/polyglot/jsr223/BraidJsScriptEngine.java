package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;

/**
 * JavaScript through JSR-223 on Braid: a {@link BraidScriptEngine} (read its description
 * first) whose sessions run Graal.js. Get one with
 * {@code new ScriptEngineManager().getEngineByName("braid-js")} or from
 * {@code new BraidJsScriptEngineFactory(host).getScriptEngine()}.
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
 * <h2>Values and console</h2>
 * Objects come back as {@link JsObject}s (snapshots of their own enumerable properties) and
 * functions as {@link JsFunction}s. {@code console.log}, {@code info} and {@code debug} write
 * lines to the context's writer, {@code warn} and {@code error} to its error writer.
 */
public final class BraidJsScriptEngine extends BraidScriptEngine {
    BraidJsScriptEngine(BraidJsScriptEngineFactory factory, ScriptHost host) {
        super(factory, host);
    }
}
