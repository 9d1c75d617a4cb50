package dev.braid.polyglot;

import java.util.List;

/**
 * A script run as a job (by the {@code braid} command): what its language shows the script
 * of the job, the way that language's programs expect it ({@code process.argv} and
 * {@code process.exit} in JavaScript, {@code sys.argv} in Python), and where the script's
 * exit requests go. See {@link LanguagePlugin#bindJob}.
 */
public interface JobContext {
    /** The launcher's name for the program ({@code braid}), first in Node's {@code process.argv}. */
    String launcher();

    /** The script's path as given. */
    String script();

    /** The script's arguments, after its path. */
    List<String> args();

    /**
     * The script asked to end the job now with {@code code} ({@code process.exit(code)}).
     * Called on the session's strand; it does not return to the script's code when the
     * front end ends the process.
     */
    void exit(int code);

    /** The script set the code the job ends with when it ends normally ({@code process.exitCode}). */
    void exitCode(int code);

    /**
     * The script handles {@code signal} ({@code SIGINT}, {@code SIGTERM}) itself: from now on
     * the front end calls {@code handler} (from any thread) instead of ending the job when
     * the signal comes; a null {@code handler} gives the signal back to the front end.
     * Returns false for a signal the front end does not deliver.
     */
    boolean onSignal(String signal, Runnable handler);
}
