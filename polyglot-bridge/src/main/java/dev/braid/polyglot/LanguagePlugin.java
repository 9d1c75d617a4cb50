package dev.braid.polyglot;

import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A guest language, found through {@link java.util.ServiceLoader}. The bridge (strands,
 * scopes, awaitables, the error boundary, the host API) is shared; a plugin supplies the
 * language's options, its globals and its way of awaiting.
 */
public interface LanguagePlugin {
    /** Braid's name for the language: {@code "js"}. */
    String id();

    /** The GraalVM language id: {@code "js"}. */
    String graalLanguage();

    /** Whether this plugin runs files with this name ({@code .js}, {@code .mjs}). */
    boolean handles(Path file);

    /** Options for every context of this language (the same for all: they share an engine). */
    void configure(org.graalvm.polyglot.Context.Builder builder);

    /** Installs the globals of a fresh guest (the {@code braid} API, timers, console...). */
    LanguageAdapter install(Guest guest, ScriptHost host);

    /** The source for code from a file or a string named {@code name}. */
    Source source(String code, String name) throws IOException;

    /**
     * Parses {@code source} in the guest (on its strand) into a function without arguments
     * that runs it and returns its value (an awaitable when the code is asynchronous).
     */
    Value eval(Guest guest, Source source);

    /**
     * Where a position that an error reports in {@code source} (by its name) lies in the code
     * as written, as {@code {line, column}}; a column of 0 or less means unknown and stays so.
     * It is the same position unless {@link #eval} parsed other code than {@code source}'s own
     * text (JavaScript rewrites a classic script that uses top-level await). Called on the
     * guest's strand, with the source that {@link #eval} was given. Default: unchanged.
     */
    default int[] writtenPosition(Guest guest, Source source, int line, int column) {
        return new int[] {line, column};
    }
}
