package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguagePlugin;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A parsed script: the program to call (a guest value: use it on the strand only; null if
 * the script did not parse), the source it was parsed from, and the plugin and guest that
 * parsed it (to map error positions back to the user's text).
 */
record Prepared(Value program, Source source, LanguagePlugin plugin, Guest guest) {
    String name() {
        return source.getName();
    }

    /**
     * A position in {@code file} as the user wrote it: unchanged unless it is in this script
     * and the plugin parsed other code than the user's (see {@link LanguagePlugin#writtenPosition}).
     * On the strand.
     */
    int[] originalPosition(String file, int line, int column) {
        if (!name().equals(file) || line <= 0) {
            return new int[] {line, column};
        }
        return plugin.writtenPosition(guest, source, line, column);
    }
}
