package dev.braid.cli;

import dev.braid.polyglot.Permissions;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of the {@code braid} command, as a plain description: what to run, with which
 * arguments, where, with which grants, writing where. Nothing here is tied to the process
 * that runs it, so that a resident process can later run the same description with the same
 * behaviour.
 *
 * @param language    the plugin id ({@code js}, {@code python})
 * @param script      the script's path as given, or null for code given on the command line
 * @param code        the code to run (the file's text, or the one-liner)
 * @param name        the name errors and stack traces show for the code (the path, or {@code <eval>})
 * @param args        the script's arguments
 * @param cwd         the working directory (absolute): relative paths of the script resolve against it
 * @param environment the environment variables the script may be granted ({@code --allow-env}); its
 *                    {@code PATH} finds granted commands
 * @param permissions what the job may touch
 * @param timeout     how long the whole job may take, or null for no limit
 * @param workers     runtime worker threads
 * @param showValue   print the value the code evaluates to ({@code braid eval})
 * @param verbose     Java frames and runtime details in reports
 * @param in          the job's standard input ({@code braid.stdin})
 * @param out         the job's standard output
 * @param err         the job's standard error
 * @param modulePaths directories whose modules the script imports without a read grant
 *                    ({@code --python-path}), besides its own directory
 */
record Job(String language, Path script, String code, String name, List<String> args, Path cwd, Map<String, String> environment,
           Permissions permissions,
           Duration timeout, int workers, boolean showValue, boolean verbose, InputStream in, PrintStream out, PrintStream err,
           List<Path> modulePaths) {
    Job {
        modulePaths = List.copyOf(modulePaths);
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute, got " + cwd);
        }
    }
}
