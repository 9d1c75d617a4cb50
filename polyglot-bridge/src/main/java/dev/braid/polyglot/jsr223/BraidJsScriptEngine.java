package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.ScriptHost;

/**
 * JavaScript through JSR-223 on Braid: a {@link BraidScriptEngine} (read its description
 * first) whose sessions run Graal.js. Get one with
 * {@code new ScriptEngineManager().getEngineByName("braid-js")} or from
 * {@code new BraidJsScriptEngineFactory(host).getScriptEngine()}.
 *
 * <h2>Top-level await and modules</h2>
 * Code is first parsed as a classic script. Graal.js accepts {@code await} at the top level
 * of modules only, which have no completion value and keep their declarations to themselves,
 * so if the classic parse fails with a syntax error and the code uses {@code await}, it is
 * rewritten the way REPLs do and parsed again: the statements run in an async arrow function,
 * the script evaluates to its promise, and the value is that of the last top-level expression
 * statement. Trade-offs of the rewrite:
 * <ul>
 *   <li>Top-level declarations stay visible to later evaluations, as a classic script's
 *       would: {@code let}, {@code const} and {@code class} names are declared as global
 *       {@code let} bindings, {@code var} and function names as global {@code var}s, and the
 *       declarations become assignments. So such a {@code const} can be reassigned later,
 *       and reading a name before its declaration gives {@code undefined} rather than a
 *       {@code ReferenceError}. Declaring the same {@code let} name again in a later
 *       evaluation is an error, as it is for classic scripts.
 *   <li>The value is {@code undefined} when the last statement that is not a declaration is
 *       a control statement ({@code if}, {@code for}, {@code try}...), where a classic script
 *       would give that statement's completion value.
 *   <li>A top-level {@code return} is accepted there (it ends the evaluation with its value).
 *   <li>Lines never move, and error positions are mapped back to the code as written; only
 *       stack traces printed by guest code itself ({@code err.stack}) show columns of the
 *       rewritten text on the lines that changed.
 * </ul>
 * Scripts that parse as classic scripts are run unchanged. A script whose
 * {@link javax.script.ScriptEngine#FILENAME} ends in {@code .mjs} is an ES module, as in a
 * session: it may await at its top level, and its value is its exports.
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
