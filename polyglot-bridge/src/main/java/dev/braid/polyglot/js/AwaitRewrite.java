package dev.braid.polyglot.js;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-level await in classic scripts. Graal.js accepts {@code await} at the top level of ES
 * modules only, and a module has no completion value and keeps its declarations to itself,
 * while a snippet in a REPL or a script wants both. So, as Node's REPL does, a classic script
 * that awaits at its top level runs as the body of an async arrow function, rewritten from
 * acorn's syntax tree ({@link JsParser}, {@code parser.js}):
 *
 * <pre>
 *   const {a} = await f(), b = 1     let a, b; var g; (async (__braid$value) =&gt; {this.g = g;;0,   {a} = await f(), b = 1;
 *   function g() { return a }    →   function g() { return a };__braid$value =
 *   g() + b                          g() + b
 *                                    ;return __braid$value;})() // braid:positions 3:8 1:1:55:0 ...
 * </pre>
 *
 * <ol>
 *   <li>Only code that contains the word {@code await} is parsed. Code with no {@code await}
 *       (nor {@code for await}) outside functions and class bodies runs unchanged, and so does
 *       code acorn cannot parse (Graal.js then reports the error, see {@link JsPlugin}).
 *   <li>Declarations outlive the evaluation, as a classic script's do, and later evaluations
 *       see them: top-level {@code let}, {@code const} (also with destructuring patterns) and
 *       {@code class} names are declared by the outer script as global {@code let}s;
 *       {@code var} names, wherever the {@code var} is outside functions (in blocks and loop
 *       heads too: {@code var} is function-scoped), and top-level function names as global
 *       {@code var}s. The declarations themselves become assignments, the keyword giving way
 *       to {@code ;0,} padded to its length. So such a {@code const} can be reassigned later;
 *       a name read before its declaration is {@code undefined} rather than a
 *       {@code ReferenceError}; declaring the same {@code let} in a later evaluation fails,
 *       as it does between classic scripts. Function declarations stay where they are
 *       (hoisted within the async function) and are copied to the global object before the
 *       first statement runs.
 *   <li>The value is that of the last top-level expression statement, provided that only
 *       declarations follow it; it is {@code undefined} if a control statement ({@code if},
 *       {@code for}, {@code try}...) comes last, where a classic script would give that
 *       statement's completion value.
 *   <li>Lines never move, and columns only where text is inserted into a line; every
 *       position maps back to the user's text ({@link SourcePositions}). Only stack traces
 *       that guest code prints itself ({@code err.stack}) show the rewritten columns.
 * </ol>
 * Left as they are: function declarations inside blocks (local to the async function, where
 * a sloppy classic script would also make them global), and {@code let}/{@code const}/
 * {@code class} inside blocks (local in both).
 */
final class AwaitRewrite {
    private AwaitRewrite() {
    }

    /** Replace {@code removed} characters at offset {@code at} of the user's text with {@code text}. */
    record Edit(int at, int removed, String text) {
    }

    /**
     * Applies {@code edits} (sorted by offset, see {@code parser.js}) to {@code code} and
     * appends the position map. Only the edit at the very end may add lines.
     */
    static String apply(String code, List<Edit> edits) {
        StringBuilder out = new StringBuilder(code.length() + 256);
        List<int[]> starts = new ArrayList<>(edits.size());
        int at = 0;
        for (Edit e : edits) {
            if (e.at < at || e.at + e.removed > code.length()) {
                throw new IllegalArgumentException("edits out of order at offset " + e.at);
            }
            boolean atEnd = e.at == code.length();
            if (!atEnd && (e.text.indexOf('\n') >= 0 || e.text.indexOf('\r') >= 0)) {
                throw new IllegalArgumentException("an edit inside the code would move lines: " + e.text);
            }
            out.append(code, at, e.at);
            if (!atEnd) {
                starts.add(new int[] {out.length(), e.text.length(), e.removed});
            }
            out.append(e.text);
            at = e.at + e.removed;
        }
        out.append(code, at, code.length());
        int lastLine = 1;
        int lastLineStart = 0;
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                lastLine++;
                lastLineStart = i + 1;
            }
        }
        String map = SourcePositions.comment(out, starts, lastLine, code.length() - lastLineStart + 1);
        return out.append(map).toString();
    }

    /**
     * {@code code} as the body of an async function and nothing more: what Graal.js says about
     * it is what it would say about code meant to await at the top level, positioned in the
     * user's text through the map.
     */
    static String wrapOnly(String code) {
        List<Edit> edits = new ArrayList<>(3);
        edits.add(new Edit(0, 0, "(async () => {"));
        if (code.startsWith("#!")) {
            edits.add(new Edit(0, 2, "//"));
        }
        edits.add(new Edit(code.length(), 0, "\n})()"));
        return apply(code, edits);
    }
}
