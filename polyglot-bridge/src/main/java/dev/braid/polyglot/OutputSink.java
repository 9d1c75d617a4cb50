package dev.braid.polyglot;

/**
 * Where a session's output goes instead of the {@link ScriptHost}'s streams (see
 * {@link GuestSession#redirectOutput}): the JSR-223 engine sends it to the
 * {@code ScriptContext}'s writers this way, a REPL prints it above its prompt.
 */
@FunctionalInterface
public interface OutputSink {
    /**
     * Text the guest wrote, as it wrote it (a whole line with its line end, or a piece of
     * one). {@code error} is true for its standard error ({@code console.error},
     * {@code sys.stderr}). Called on whichever thread wrote; calls for one stream never
     * overlap.
     */
    void write(boolean error, String text);
}
