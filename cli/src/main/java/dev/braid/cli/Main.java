package dev.braid.cli;

import dev.braid.polyglot.Permissions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code braid} command: {@code braid run FILE [ARGS…]}, {@code braid eval CODE},
 * {@code braid help}, {@code braid --version}. Options come before the script; everything
 * after the script's path (or after {@code --}) is the script's.
 */
@Command(name = "braid", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs JavaScript and Python on Braid, a Tokio-style runtime for the JVM.",
        subcommands = {Main.Run.class, Main.Eval.class, Main.ReplCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Read by the launcher, which puts Graal's compiler on the JVM's module path; here only for the help. */
    @Option(names = "--jit", description = "Compile guest code with Graal's optimizing compiler (JDK 25; starts about a"
            + " second later, runs CPU-bound code several times faster). Give it first: braid --jit run job.js")
    boolean jit;

    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private static final PrintStream ERR = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // The runtime's reports (a stalled worker) as the command's own lines, not a logger's.
            System.setProperty("java.util.logging.SimpleFormatter.format", "braid: %4$s: %5$s%6$s%n");
        }
        args = grantFlagsWithoutValue(args);
        CommandLine cl = new CommandLine(new Main());
        cl.setStopAtPositional(true); // the script's own options are the script's
        cl.setOut(new java.io.PrintWriter(OUT, true));
        cl.setErr(new java.io.PrintWriter(ERR, true));
        int code = cl.execute(args);
        OUT.flush();
        ERR.flush();
        System.exit(code);
    }

    private static final java.util.Set<String> GRANT_FLAGS = java.util.Set.of("--allow-read", "--allow-write", "--allow-net",
            "--allow-run", "--allow-env", "--deny-read", "--deny-write", "--deny-net", "--deny-run", "--deny-env");

    /**
     * A grant flag takes its value only after {@code =}, as Deno's do: {@code --allow-read
     * job.js} grants all reads and runs {@code job.js}, rather than granting {@code job.js}
     * and finding no script. Options end at {@code --} or at the script.
     */
    static String[] grantFlagsWithoutValue(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("--")) {
                break;
            }
            if (GRANT_FLAGS.contains(out[i])) {
                out[i] = out[i] + "=" + ALL;
            }
        }
        return out;
    }

    /** {@code braid} alone: the REPL on a terminal (as {@code node} and {@code python} do), else the usage. */
    @Override
    public Integer call() {
        if (onTerminal()) {
            return new ReplCommand().call();
        }
        new CommandLine(this).usage(OUT);
        return JobRunner.USAGE;
    }

    /** A grant flag without a value: everything of its kind. */
    static final String ALL = "*";
    private static final Path ROOT = Path.of("/").toAbsolutePath();

    /** What {@code run} and {@code eval} share. */
    abstract static class JobOptions {
        @Option(names = "--lang", paramLabel = "LANG", description = "The language: js or python (default: from the file's extension).")
        String lang;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "End the job after DURATION (500ms, 30s, 5m) with exit code 124.")
        Duration timeout;

        @Option(names = "--workers", paramLabel = "N", description = "Runtime worker threads (default: the number of processors).")
        Integer workers;

        @Option(names = "--verbose", description = "Show Java frames and runtime details in error reports.")
        boolean verbose;

        @Option(names = "--python-path", paramLabel = "DIR", description = "A directory of pure-Python modules and packages (a"
                + " virtual environment's site-packages) that Python code imports from without a read grant; repeatable.")
        List<Path> pythonPath = new java.util.ArrayList<>();

        /** The --python-path directories, absolute. */
        List<Path> modulePaths() {
            return pythonPath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        }

        @Option(names = "--allow-read", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "PATHS",
                description = "Let the script read these files and directories (all, without a value).")
        List<String> allowRead = new ArrayList<>();

        @Option(names = "--allow-write", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "PATHS",
                description = "Let the script write these files and directories (all, without a value).")
        List<String> allowWrite = new ArrayList<>();

        @Option(names = "--allow-net", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "HOST[:PORT]",
                description = "Let the script connect to these hosts (every port without one; every host without a value).")
        List<String> allowNet = new ArrayList<>();

        @Option(names = "--allow-run", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "COMMANDS",
                description = "Let the script start these programs (all, without a value). A granted program is a full"
                        + " escape: its arguments are not checked and it runs in the job's working directory. A name is"
                        + " found on the host's PATH; an absolute path (/usr/bin/git) pins the program a name may resolve"
                        + " to. The program's environment holds only the variables granted with --allow-env.")
        List<String> allowRun = new ArrayList<>();

        @Option(names = "--allow-env", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "NAMES",
                description = "Let the script read these environment variables (all, without a value).")
        List<String> allowEnv = new ArrayList<>();

        @Option(names = {"-A", "--allow-all"}, description = "Grant everything (a --deny-* still wins).")
        boolean allowAll;

        @Option(names = "--no-prompt", description = "Never ask on the terminal for a missing permission (Allow? [y/n/A]):"
                + " refuse it at once, as happens without a terminal.")
        boolean noPrompt;

        @Option(names = "--deny-read", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "PATHS",
                description = "Refuse reading these paths, whatever is allowed.")
        List<String> denyRead = new ArrayList<>();

        @Option(names = "--deny-write", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "PATHS",
                description = "Refuse writing these paths, whatever is allowed.")
        List<String> denyWrite = new ArrayList<>();

        @Option(names = "--deny-net", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "HOST[:PORT]",
                description = "Refuse connecting to these hosts, whatever is allowed.")
        List<String> denyNet = new ArrayList<>();

        @Option(names = "--deny-run", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "COMMANDS",
                description = "Refuse starting these programs, whatever is allowed.")
        List<String> denyRun = new ArrayList<>();

        @Option(names = "--deny-env", arity = "0..1", fallbackValue = ALL, split = ",", paramLabel = "NAMES",
                description = "Refuse reading these environment variables, whatever is allowed.")
        List<String> denyEnv = new ArrayList<>();

        /** Whether a missing permission is asked about: a person at the terminal, and no --no-prompt. */
        boolean prompts() {
            return !noPrompt && onTerminal();
        }

        /** The grants of the flags, asking on the terminal for more if {@link #prompts()}. */
        Permissions permissions() {
            return permissions(prompts() ? new TerminalPrompt(TerminalPrompt.onTty(ERR)) : Permissions.Prompt.NEVER);
        }

        /** The grants of the flags; a denial names the flag that would grant what was refused. */
        Permissions permissions(Permissions.Prompt prompt) {
            Permissions.Builder b = Permissions.builder().hint((kind, target) -> "--allow-" + kind + "=" + target).prompt(prompt);
            if (allowAll) {
                b.allowRead(ROOT).allowWrite(ROOT).allowNet("*:*").allowRun("*").allowEnv("*");
            }
            allowRead.forEach(v -> b.allowRead(path(v)));
            allowWrite.forEach(v -> b.allowWrite(path(v)));
            allowNet.forEach(v -> b.allowNet(hostPort(v)));
            allowRun.forEach(b::allowRun);
            allowEnv.forEach(b::allowEnv);
            denyRead.forEach(v -> b.denyRead(path(v)));
            denyWrite.forEach(v -> b.denyWrite(path(v)));
            denyNet.forEach(v -> b.denyNet(hostPort(v)));
            denyRun.forEach(b::denyRun);
            denyEnv.forEach(b::denyEnv);
            return b.build();
        }

        private static Path path(String v) {
            return v.equals(ALL) ? ROOT : Path.of(v);
        }

        /** {@code host} (every port), {@code host:port}, {@code [v6]:port}, or all. */
        private static String hostPort(String v) {
            if (v.equals(ALL)) {
                return "*:*";
            }
            boolean hasPort = v.startsWith("[") ? v.contains("]:") : v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':');
            return hasPort ? v : v + ":*";
        }

        Job job(Path script, String code, String name, String language, List<String> args, boolean showValue) {
            return new Job(language, script, code, name, args, Path.of("").toAbsolutePath(), System.getenv(), permissions(),
                    timeout, workers == null ? Runtime.getRuntime().availableProcessors() : workers,
                    showValue, verbose, System.in, OUT, ERR, modulePaths());
        }
    }

    @Command(name = "run", description = "Run a script file (.js and .mjs: JavaScript; .py: Python).")
    static final class Run extends JobOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The script.")
        Path file;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "The script's arguments.")
        List<String> args = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String language = lang != null ? lang : languageOf(file);
            if (language == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "cannot tell the language of '" + file + "' from its extension: name it .js, .mjs or .py, or give --lang");
            }
            String code;
            try {
                code = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            if (code.startsWith("#!")) { // a shebang line: kept as an empty line, so positions stay
                code = "//" + code.substring(2);
                if (!"js".equals(language)) {
                    code = "#" + code.substring(2);
                }
            }
            return JobRunner.run(job(file, code, file.toString(), language, args, false), Main::exitNow);
        }
    }

    @Command(name = "eval", description = "Evaluate CODE and print its value as the REPL shows it.")
    static final class Eval extends JobOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CODE", description = "The code.")
        String code;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments the code sees.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            return JobRunner.run(job(null, code, "<eval>", lang != null ? lang : "js", args, true), Main::exitNow);
        }
    }

    @Command(name = "repl", description = "Evaluate code a line at a time, on a line editor with history and completion."
            + " Ctrl-C cancels the running evaluation; Ctrl-D leaves. History: $BRAID_HOME/history-LANG (default ~/.braid).")
    static final class ReplCommand extends JobOptions implements Callable<Integer> {
        @Override
        public Integer call() {
            String language = lang != null ? lang : "js";
            return Repl.run(language, asker -> permissions(prompts() ? new TerminalPrompt(asker) : Permissions.Prompt.NEVER),
                    workers == null ? Runtime.getRuntime().availableProcessors() : workers, verbose, Repl.historyFile(language), ERR,
                    modulePaths());
        }
    }

    /**
     * Whether a person is at a terminal: the launcher tells ({@code BRAID_TERMINAL}, from
     * {@code [ -t 0 ] && [ -t 2 ]}), since the JVM cannot tell its streams apart. Decides
     * whether plain {@code braid} starts the REPL and whether a missing permission is asked for.
     */
    static boolean onTerminal() {
        return "1".equals(System.getenv("BRAID_TERMINAL"));
    }

    private static void exitNow(int code) {
        OUT.flush();
        ERR.flush();
        System.exit(code);
    }

    /** The language of a script file by its extension, or null. */
    static String languageOf(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".js") || n.endsWith(".mjs")) {
            return "js";
        }
        if (n.endsWith(".py")) {
            return "python";
        }
        return null;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write 500ms, 30s, 5m or 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A bad duration is a usage error (exit code 2) that says how to write one. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            String guest;
            try (org.graalvm.polyglot.Engine e = org.graalvm.polyglot.Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
                guest = "Interpreted".equals(e.getImplementationName()) ? "guest code interpreted"
                        : "guest code compiled by " + e.getImplementationName();
            }
            return new String[] {"braid " + p.getProperty("version", "unknown") + " (Java " + Runtime.version()
                    + ", GraalVM polyglot " + org.graalvm.polyglot.Engine.class.getPackage().getImplementationVersion() + ", " + guest + ")"};
        }
    }
}
