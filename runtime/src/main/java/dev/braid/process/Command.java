package dev.braid.process;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds and starts child processes, in the manner of {@code tokio::process::Command}:
 *
 * <pre>{@code
 * Child child = Command.of("sh", "-c", "echo hello; exit 3")
 *         .stdout(Stdio.piped())
 *         .spawn();
 * LineReader lines = Io.lines(child.stdout(), StandardCharsets.UTF_8);
 * String first = await(lines.next());           // "hello"
 * ExitStatus status = await(child.waitFor());   // exit code 3
 * }</pre>
 *
 * A command can be spawned any number of times; each builder method changes it in place and
 * returns it. By default {@link #spawn()} and {@link #status()} let the child inherit this
 * JVM's stdin, stdout and stderr, and {@link #output()} pipes stdout and stderr and gives the
 * child the null device as stdin. Not thread-safe (configure it in one place).
 */
public final class Command {
    private final String program;
    private final List<String> args = new ArrayList<>();
    /** Environment changes in order: a {@code null} value removes the variable. */
    private final Map<String, String> envChanges = new LinkedHashMap<>();
    private boolean envCleared;
    private Path directory;
    private Stdio stdin;
    private Stdio stdout;
    private Stdio stderr;
    private boolean killOnDrop;

    private Command(String program) {
        this.program = Objects.requireNonNull(program, "program");
    }

    /** A command that runs {@code program} (looked up on the {@code PATH} unless it is a path). */
    public static Command of(String program, String... args) {
        return new Command(program).args(args);
    }

    public Command arg(String arg) {
        args.add(Objects.requireNonNull(arg, "arg"));
        return this;
    }

    public Command args(String... more) {
        for (String a : more) {
            arg(a);
        }
        return this;
    }

    public Command args(List<String> more) {
        more.forEach(this::arg);
        return this;
    }

    /** Sets an environment variable of the child. */
    public Command env(String key, String value) {
        envChanges.remove(Objects.requireNonNull(key, "key")); // keep the order of the last change
        envChanges.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Removes an environment variable the child would otherwise inherit (or that was set here). */
    public Command envRemove(String key) {
        envChanges.remove(Objects.requireNonNull(key, "key"));
        envChanges.put(key, null);
        return this;
    }

    /** Starts the child with an empty environment, plus what {@link #env} sets after this call. */
    public Command envClear() {
        envCleared = true;
        envChanges.clear();
        return this;
    }

    /** The child's working directory (default: this JVM's). */
    public Command directory(Path dir) {
        this.directory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    public Command stdin(Stdio s) {
        this.stdin = Objects.requireNonNull(s, "stdin");
        return this;
    }

    public Command stdout(Stdio s) {
        this.stdout = Objects.requireNonNull(s, "stdout");
        return this;
    }

    public Command stderr(Stdio s) {
        this.stderr = Objects.requireNonNull(s, "stderr");
        return this;
    }

    /**
     * Whether {@link Child#close()} (and dropping a {@link #status()} or {@link #output()}
     * future) kills a child that is still running. Default false: the child outlives its
     * handle.
     */
    public Command killOnDrop(boolean kill) {
        this.killOnDrop = kill;
        return this;
    }

    /**
     * Starts the process now, on the calling thread (a fork and exec: about a millisecond, no
     * waiting on the child itself).
     *
     * @throws UncheckedIOException if it could not be started; the message names the program
     *     and gives the operating system's reason ("No such file or directory", "Permission
     *     denied", …), the cause is the JDK's {@link IOException}
     */
    public Child spawn() {
        return spawn(Stdio.inherit(), Stdio.inherit(), Stdio.inherit());
    }

    private Child spawn(Stdio defaultIn, Stdio defaultOut, Stdio defaultErr) {
        Stdio in = stdin != null ? stdin : defaultIn;
        Stdio out = stdout != null ? stdout : defaultOut;
        Stdio err = stderr != null ? stderr : defaultErr;
        List<String> cmd = new ArrayList<>(args.size() + 1);
        cmd.add(program);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(in.forInput())
                .redirectOutput(out.forOutput())
                .redirectError(err.forOutput());
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        if (envCleared || !envChanges.isEmpty()) {
            Map<String, String> env = pb.environment();
            if (envCleared) {
                env.clear();
            }
            envChanges.forEach((k, v) -> {
                if (v == null) {
                    env.remove(k);
                } else {
                    env.put(k, v);
                }
            });
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not spawn " + program + ": " + e.getMessage(), e);
        }
        return new Child(p, program, killOnDrop, in.isPiped(), out.isPiped(), err.isPiped());
    }

    /**
     * A future that spawns the command on its first poll (stdio inherited unless configured)
     * and completes with its exit status.
     *
     * <p>Cancellation: dropping it closes the child, which kills it if {@link #killOnDrop} is
     * set; otherwise the process runs on unobserved.
     */
    public Future<ExitStatus> status() {
        return new Owning<>(() -> spawn(), Child::waitFor);
    }

    /**
     * A future that spawns the command on its first poll, with stdout and stderr piped and
     * stdin from the null device unless configured otherwise, and collects its output (see
     * {@link Child#output()}).
     *
     * <p><b>Not cancellation-safe</b>: dropped midway, the output read so far is lost; the
     * child is closed (killed if {@link #killOnDrop} is set).
     */
    public Future<Output> output() {
        return new Owning<>(() -> spawn(Stdio.nullDevice(), Stdio.piped(), Stdio.piped()), Child::output);
    }

    /** A future that owns the child it spawns on its first poll and closes it when done. */
    private static final class Owning<T> implements Future<T> {
        private final Supplier<Child> start;
        private final Function<Child, Future<T>> then;
        private Child child;
        private Future<T> inner;

        Owning(Supplier<Child> start, Function<Child, Future<T>> then) {
            this.start = start;
            this.then = then;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (child == null) {
                child = start.get();
                inner = then.apply(child);
            }
            Poll<T> p;
            try {
                p = inner.poll(cx);
            } catch (RuntimeException | Error e) {
                child.close();
                throw e;
            }
            if (p.isReady()) {
                child.close();
            }
            return p;
        }

        @Override
        public void drop() {
            if (child != null) {
                inner.drop();
                child.close();
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Command[").append(program);
        args.forEach(a -> sb.append(' ').append(a));
        return sb.append(']').toString();
    }
}
