package dev.braid.cli;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.GuestExit;
import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.OutputSink;
import dev.braid.polyglot.Permissions;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code braid repl}: one session of a language on a line editor (JLine). Each line is
 * evaluated as the session evaluates code (top-level {@code await}, declarations that stay
 * for later lines) and its value is shown as the language plugin inspects it. Input the
 * plugin calls incomplete continues on the next line; Tab completes globals and members.
 *
 * <p>Tasks a line spawns keep running while the person types; whatever the session prints
 * appears above the prompt. Ctrl-C during an evaluation cancels it for real: its code stops
 * at its pending await and never resumes, what it awaits is aborted, and code that spins
 * without awaiting is interrupted. Tasks it spawned are detached, as in Tokio, and run on;
 * {@code .cancel} stops them all. Ctrl-C on an empty line twice, Ctrl-D, or {@code .exit} ends
 * the REPL.
 */
final class Repl {
    /** How long a cancelled evaluation may take to stop at its await before running code is interrupted. */
    private static final Duration INTERRUPT_AFTER = Duration.ofMillis(300);

    private final Terminal terminal;
    private final LineReader reader;
    /** For permission prompts: its answers stay out of the REPL's history. */
    private final LineReader asking;
    private final GuestSession session;
    private final BraidRuntime rt;
    private final boolean verbose;
    private final String prompt;
    private final Output output = new Output();
    private int lines;
    /** Whether Ctrl-C cancelled the evaluation in progress. */
    private volatile boolean cancelled;

    private Repl(Terminal terminal, BraidRuntime rt, GuestSession session, Path history, boolean verbose) {
        this.terminal = terminal;
        this.rt = rt;
        this.session = session;
        this.verbose = verbose;
        boolean python = session.plugin().id().equals("python");
        this.prompt = python ? ">>> " : "> ";
        this.asking = LineReaderBuilder.builder().terminal(terminal).appName("braid").build();
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("braid")
                .parser(new InputParser())
                .completer((r, line, candidates) -> {
                    for (String c : ask(session.completions(line.line(), line.cursor()), List.<String>of(), 2)) {
                        candidates.add(new Candidate(c, c, null, null, null, null, false));
                    }
                })
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is code, not history expansion
                .option(LineReader.Option.INSERT_TAB, false)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
    }

    /** Runs the REPL until the person leaves it; returns the exit code. */
    static int run(String language, java.util.function.Function<TerminalPrompt.Asker, Permissions> permissions, int workers,
                   boolean verbose, Path history, PrintStream err, java.util.List<Path> modulePaths) {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(workers).threadNamePrefix("braid")
                .stallThreshold(JobRunner.GUEST_STALL_THRESHOLD).build();
        java.util.concurrent.atomic.AtomicReference<Repl> self = new java.util.concurrent.atomic.AtomicReference<>();
        // A permission prompt asks on the REPL's own line editor, which is idle while code runs.
        TerminalPrompt.Asker asker = question -> {
            try {
                return self.get().asking.readLine(question);
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
        };
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("braid").build();
             TerminalProgress bars = TerminalProgress.on(terminal, line -> self.get().reader.printAbove(line));
             ScriptHost host = ScriptHost.builder(rt).permissions(permissions.apply(asker)).javaFramesInStallReports(verbose)
                     .progress(bars).build();
             GuestSession session = host.newSession(language)) {
            modulePaths.forEach(session.guest().fileSystem()::allowModulesFrom);
            Files.createDirectories(history.toAbsolutePath().getParent());
            Repl repl = new Repl(terminal, rt, session, history, verbose);
            self.set(repl);
            session.redirectOutput(repl.output);
            session.isIncomplete("0"); // warms the language's parser up while the person types the first line
            repl.logAbove();
            return repl.loop();
        } catch (IOException e) {
            err.println("braid: cannot start the REPL: " + e.getMessage());
            return JobRunner.FAILED;
        } finally {
            rt.shutdown(Duration.ofSeconds(2));
        }
    }

    private int loop() {
        boolean interruptedOnce = false;
        // A Ctrl-C that comes between two reads (the terminal is not in raw mode then, so it
        // is a signal, not a key) counts as one at the prompt; without a handler it would end
        // the process.
        java.util.concurrent.atomic.AtomicBoolean betweenReads = new java.util.concurrent.atomic.AtomicBoolean();
        terminal.handle(Terminal.Signal.INT, s -> betweenReads.set(true));
        terminal.writer().println("Braid " + session.plugin().displayName() + " REPL. Type .help for help, Ctrl-D to leave.");
        while (true) {
            String code;
            try {
                if (betweenReads.getAndSet(false)) {
                    throw new UserInterruptException("");
                }
                code = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                if (!e.getPartialLine().isEmpty()) {
                    interruptedOnce = false; // Ctrl-C drops what was typed, as in a shell
                    continue;
                }
                if (interruptedOnce) {
                    return JobRunner.OK;
                }
                interruptedOnce = true;
                terminal.writer().println("(To leave, press Ctrl-C again or Ctrl-D, or type .exit)");
                continue;
            } catch (EndOfFileException e) {
                return JobRunner.OK;
            }
            interruptedOnce = false;
            if (code.isBlank()) {
                continue;
            }
            String command = code.strip();
            if (command.startsWith(".") && !command.startsWith("..") && command.length() > 1 && Character.isLetter(command.charAt(1))) {
                Integer exit = command(command);
                if (exit != null) {
                    return exit;
                }
                continue;
            }
            Integer exit = evaluate(code);
            if (exit != null) {
                return exit;
            }
        }
    }

    /** A REPL command; returns an exit code to leave the REPL, or null to go on. */
    private Integer command(String line) {
        String[] parts = line.split("\\s+", 2);
        switch (parts[0]) {
            case ".exit":
                return JobRunner.OK;
            case ".help":
                terminal.writer().print("""
                        .cancel    Cancel every task of the session (the tasks lines spawned, timers)
                        .editor    Enter several lines; Ctrl-D evaluates them, Ctrl-C abandons them
                        .exit      Leave the REPL (also Ctrl-D, or Ctrl-C twice on an empty line)
                        .help      This help
                        .load FILE Evaluate a file's code in the REPL's session
                        .tasks     The runtime's tasks: what each waits for, where it was spawned

                        Ctrl-C during an evaluation cancels it: its code never resumes and what it awaits
                        is aborted. Tasks it spawned keep running; .tasks lists them, .cancel stops them.
                        _ holds the last value and _error the last error.
                        """);
                return null;
            case ".tasks":
                terminal.writer().println(rt.taskDump());
                return null;
            case ".cancel":
                session.cancel();
                terminal.writer().println("cancelled every task of the session");
                return null;
            case ".load":
                if (parts.length < 2) {
                    terminal.writer().println(".load needs a file: .load FILE");
                    return null;
                }
                Path file = Path.of(parts[1].strip());
                try {
                    return evaluate(Files.readString(file), file.toString());
                } catch (NoSuchFileException e) {
                    terminal.writer().println("no such file: " + file);
                } catch (IOException e) {
                    terminal.writer().println("cannot read " + file + ": " + e.getMessage());
                }
                return null;
            case ".editor":
                return editor();
            default:
                terminal.writer().println("no such command: " + parts[0] + " (.help lists them)");
                return null;
        }
    }

    /** {@code .editor}: lines until Ctrl-D, evaluated together; Ctrl-C abandons them. */
    private Integer editor() {
        terminal.writer().println("// Entering editor mode (Ctrl-D to evaluate, Ctrl-C to cancel)");
        StringBuilder code = new StringBuilder();
        LineReader plain = LineReaderBuilder.builder().terminal(terminal).appName("braid")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
        while (true) {
            try {
                code.append(plain.readLine("")).append('\n');
            } catch (UserInterruptException e) {
                return null;
            } catch (EndOfFileException e) {
                return code.toString().isBlank() ? null : evaluate(code.toString());
            }
        }
    }

    private Integer evaluate(String code) {
        return evaluate(code, "REPL" + (++lines));
    }

    /** Evaluates one input; Ctrl-C meanwhile cancels it. Returns an exit code if the code ended the REPL. */
    private Integer evaluate(String code, String name) {
        cancelled = false;
        java.util.concurrent.atomic.AtomicReference<JoinHandle<String>> running = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<String> result = new CompletableFuture<>();
        // Ready for Ctrl-C before the code starts: its first output may already prompt one.
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> cancel(running.get(), result));
        try {
            JoinHandle<String> h = session.evalShown(code, name);
            running.set(h);
            h.toCompletableFuture().whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
            if (cancelled) {
                cancel(h, result); // Ctrl-C came before the handle existed
            }
            String shown = result.get();
            output.flush();
            if (shown != null) {
                terminal.writer().println(shown);
            }
        } catch (ExecutionException e) {
            output.flush();
            Throwable t = e.getCause();
            if (cancelled) { // aborted at an await, or interrupted while running
                terminal.writer().println("Cancelled (Ctrl-C): the evaluation stopped; tasks it spawned keep running.");
            } else {
                RuntimeException failure = dev.braid.polyglot.Guest.hostError(t);
                if (failure instanceof GuestExit exit) {
                    return exit.status() & 0xff;
                }
                if (failure instanceof GuestError g) {
                    terminal.writer().print(ErrorReport.format(g, code, name, verbose).replaceFirst("^error: ", "Uncaught "));
                } else {
                    terminal.writer().println("Uncaught " + failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JobRunner.FAILED;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            terminal.writer().flush();
        }
        return null;
    }

    /** Ctrl-C during an evaluation: abort it, and interrupt its code if it does not stop at an await. */
    private void cancel(JoinHandle<String> h, CompletableFuture<String> result) {
        cancelled = true;
        if (h == null) {
            return; // evaluate() cancels it once it has the handle
        }
        h.abort();
        CompletableFuture.delayedExecutor(INTERRUPT_AFTER.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!result.isDone()) {
                session.interruptRunningCode(); // spinning, never reaching an await
            }
        });
    }

    /** Asks the session something from the REPL's thread; {@code fallback} if it fails or takes too long. */
    private <T> T ask(JoinHandle<T> question, T fallback, int seconds) {
        try {
            return question.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (ExecutionException | TimeoutException e) {
            question.abort();
            return fallback;
        }
    }

    /**
     * Lines for JLine: input the language calls incomplete asks for another line (JLine's
     * {@link EOFError}); for completion, the word is the identifier before the cursor, so that
     * the members the plugin offers replace only what follows the last dot.
     */
    private final class InputParser implements Parser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !line.isBlank() && !line.strip().startsWith(".")
                    && ask(session.isIncomplete(line), false, 60)) {
                throw new EOFError(-1, -1, "incomplete input", "");
            }
            return new Word(line, cursor);
        }
    }

    private record Word(String line, int cursor, String word) implements CompletingParsedLine {
        Word(String line, int cursor) {
            this(line, cursor, identifierBefore(line, cursor));
        }

        private static String identifierBefore(String line, int cursor) {
            int start = Math.min(cursor, line.length());
            while (start > 0 && (Character.isLetterOrDigit(line.charAt(start - 1)) || line.charAt(start - 1) == '_'
                    || line.charAt(start - 1) == '$')) {
                start--;
            }
            return line.substring(start, Math.min(cursor, line.length()));
        }

        @Override
        public int wordCursor() {
            return word.length();
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return word.length();
        }

        @Override
        public int rawWordLength() {
            return word.length();
        }
    }

    /**
     * The session's output, a line at a time above the prompt ({@link LineReader#printAbove}),
     * so that a task printing while the person types does not break into their line. A piece
     * without its line end waits for the rest, or for the end of the evaluation.
     */
    private final class Output implements OutputSink {
        private final StringBuilder out = new StringBuilder();
        private final StringBuilder err = new StringBuilder();

        @Override
        public synchronized void write(boolean error, String text) {
            StringBuilder b = error ? err : out;
            b.append(text);
            int nl;
            while ((nl = b.indexOf("\n")) >= 0) {
                String line = b.substring(0, nl);
                b.delete(0, nl + 1);
                reader.printAbove(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }

        synchronized void flush() {
            for (StringBuilder b : List.of(out, err)) {
                if (!b.isEmpty()) {
                    reader.printAbove(b.toString());
                    b.setLength(0);
                }
            }
        }
    }

    /** The runtime's reports (a stalled worker, a task failure nobody awaited) go above the prompt too. */
    private void logAbove() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (isLoggable(r)) {
                    String text = r.getLevel() + ": " + new java.util.logging.SimpleFormatter().formatMessage(r);
                    if (r.getThrown() != null && verbose) {
                        java.io.StringWriter w = new java.io.StringWriter();
                        r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                        text += "\n" + w;
                    }
                    output.write(true, text.endsWith("\n") ? text : text + "\n");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Where the history of a language's REPL is kept: {@code $BRAID_HOME} or {@code ~/.braid}. */
    static Path historyFile(String language) {
        String home = System.getenv("BRAID_HOME");
        Path dir = home != null && !home.isEmpty() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".braid");
        return dir.resolve("history-" + language);
    }
}
