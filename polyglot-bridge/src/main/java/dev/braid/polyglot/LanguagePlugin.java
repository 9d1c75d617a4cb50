package dev.braid.polyglot;

import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A guest language, found through {@link java.util.ServiceLoader}. The core (sessions,
 * strands, scopes, awaitables, permissions, the file system, the error boundary, the natives
 * behind the {@code braid} API) is the same for every language; a plugin supplies what is
 * the language's own:
 * <ul>
 *   <li><b>its context</b>: the core builds every context with the same fixed policy (no host
 *       access, the session's file system and output streams) and lets {@link #configure} add
 *       the language's options;
 *   <li><b>its globals</b>: {@link #install} shapes the language-neutral natives
 *       ({@code dev.braid.polyglot.natives}) into the language's {@code braid} API, and returns
 *       the {@link LanguageAdapter} through which the core awaits, calls, cancels, maps errors
 *       both ways and serves interactive front ends;
 *   <li><b>its output</b>: the context's standard output and error are the session's
 *       ({@link GuestSession#redirectOutput}); printing the plugin implements itself (a JS
 *       {@code console}) must write to {@link Guest#out()} and {@link Guest#err()} too;
 *   <li><b>its sources</b>: {@link #source} and {@link #eval} decide how a file or a snippet
 *       runs (an ES module, a classic script with top-level {@code await} rewritten).
 * </ul>
 */
public interface LanguagePlugin {
    /** Braid's name for the language: {@code "js"}. */
    String id();

    /** The language's name for people: {@code "JavaScript"}. */
    default String displayName() {
        return id();
    }

    /** The GraalVM language id: {@code "js"}. */
    String graalLanguage();

    /** Whether this plugin runs files with this name ({@code .js}, {@code .mjs}). */
    boolean handles(Path file);

    /** Options for every context of this language (the same for all: they share an engine). */
    void configure(org.graalvm.polyglot.Context.Builder builder);

    /**
     * Initialises the language in a fresh guest's context, before anything else uses it
     * (called on the strand, where it may block). Default: nothing; the context initialises
     * the language on its first use, on the thread that uses it.
     */
    default void initialize(Guest guest) {
    }

    /** Installs the globals of a fresh guest (the {@code braid} API, timers, console...). */
    LanguageAdapter install(Guest guest, ScriptHost host);

    /** The source for code from a file or a string named {@code name}. */
    Source source(String code, String name) throws IOException;

    /**
     * Shows a script run as a job its arguments and a way to end the job, the language's
     * way (see {@link JobContext}). Called on the strand once the globals are installed,
     * before the script runs. Default: nothing (the {@code braid} API alone).
     */
    default void bindJob(Guest guest, JobContext job) {
    }

    /**
     * Whether a program's top-level code is synchronous by nature and runs on a thread of its
     * own, outside the runtime's workers, as {@code blockOn} does (Python: a script's body,
     * which starts its async code with {@code braid.run}), rather than as a task of the
     * session's strand (JavaScript, whose top level awaits). Only a language whose contexts
     * may be entered by several threads in turn can say yes; its coroutines still run on the
     * strand. Default: no.
     */
    default boolean topLevelOnOwnThread() {
        return false;
    }

    /**
     * For a language whose top level runs on its own thread: code that raises what a user's
     * interrupt raises there (Python: {@code raise KeyboardInterrupt}), or null if the
     * language has no such thing. See {@link GuestSession#interruptMainThread}.
     */
    default String interruptSource() {
        return null;
    }

    /**
     * For a language whose frames tell tools no position inside a function (see
     * {@link GuestStackInstrument}): how to find the line a frame of it is at, used in stall
     * reports. Default: none (the language's own frame objects say it).
     */
    default GuestStackInstrument.FrameLines frameLines() {
        return null;
    }

    /**
     * Parses {@code source} in the guest (on its strand) into a function without arguments
     * that runs it and returns its value (an awaitable when the code is asynchronous).
     */
    Value eval(Guest guest, Source source);

}
