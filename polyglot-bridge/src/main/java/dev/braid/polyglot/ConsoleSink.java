package dev.braid.polyglot;

/**
 * Where a guest's console output goes instead of the {@link ScriptHost}'s streams, for one
 * session (see {@link Guest#redirectConsole}): the JSR-223 engine sends it to the
 * {@code ScriptContext}'s writers this way.
 */
@FunctionalInterface
public interface ConsoleSink {
    /**
     * One formatted line, without its line terminator. {@code error} is true for
     * {@code console.warn} and {@code console.error}. Called on the guest's strand.
     */
    void line(boolean error, String text);
}
