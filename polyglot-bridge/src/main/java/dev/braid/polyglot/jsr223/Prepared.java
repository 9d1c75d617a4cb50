package dev.braid.polyglot.jsr223;

import org.graalvm.polyglot.Value;

/**
 * A parsed script: the program to call (a guest value: use it on the strand only) and its
 * name. Positions in scripts rewritten for top-level await are mapped back by the plugin.
 */
record Prepared(Value program, String name) {
}
