package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.js.TopLevelAwait;

import org.graalvm.polyglot.Value;

/**
 * A parsed script: the program to call (a guest value: use it on the strand only), its
 * name, the user's text and, if the script was rewritten for top-level await, the rewrite
 * (to map positions back to the user's text).
 */
record Prepared(Value program, String name, String original, TopLevelAwait.Rewrite rewrite) {
    /** A position in {@code file} as the user wrote it (unchanged unless it is in our rewritten text). */
    int[] originalPosition(String file, int line, int column) {
        if (rewrite == null || !name.equals(file) || line <= 0) {
            return new int[] {line, column};
        }
        int[] lc = TopLevelAwait.originalPosition(rewrite, original, line, Math.max(column, 1));
        return column > 0 ? lc : new int[] {lc[0], column};
    }
}
