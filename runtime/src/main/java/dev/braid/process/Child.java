package dev.braid.process;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.io.Io;

import java.util.concurrent.CompletableFuture;

/**
 * A running (or finished) child process, made by {@link Command#spawn()}.
 *
 * <p>Nothing here blocks the caller: {@link #waitFor()} is backed by the JDK's exit
 * notification ({@link Process#onExit()}), the pipes by one blocking call at a time on the
 * runtime's blocking pool (see {@link PipeReader} and {@link PipeWriter}).
 *
 * <p>Java has no destructors, so a child is let go of with {@link #close()}: it closes this
 * process's ends of the pipes and, if the command asked for {@link Command#killOnDrop(boolean)
 * kill-on-drop}, kills the process. The futures {@link Command#status()} and
 * {@link Command#output()} do that themselves when they finish or are dropped. Without
 * kill-on-drop a closed (or forgotten) child keeps running, as in Tokio.
 */
public final class Child implements AutoCloseable {
    private static final boolean UNIX = !System.getProperty("os.name", "").startsWith("Windows");
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    private final Process process;
    private final String program;
    private final boolean killOnDrop;
    private final PipeWriter stdin;
    private final PipeReader stdout;
    private final PipeReader stderr;
    /** The last signal {@link #kill()} or {@link #terminate()} sent, 0 if none. */
    private volatile int signalSent;
    /** {@link Process#onExit()}, made once on the first pending wait; guarded by this. */
    private CompletableFuture<Process> exit;

    Child(Process process, String program, boolean killOnDrop, boolean pipeIn, boolean pipeOut, boolean pipeErr) {
        this.process = process;
        this.program = program;
        this.killOnDrop = killOnDrop;
        String of = " of " + program + " (pid " + process.pid() + ")";
        this.stdin = pipeIn ? new PipeWriter(process.getOutputStream(), "stdin" + of) : null;
        this.stdout = pipeOut ? new PipeReader(process.getInputStream(), "stdout" + of) : null;
        this.stderr = pipeErr ? new PipeReader(process.getErrorStream(), "stderr" + of) : null;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** The writing end of the child's stdin. Shut it down or close it to send end of file. */
    public PipeWriter stdin() {
        return piped(stdin, "stdin");
    }

    /** The reading end of the child's stdout. */
    public PipeReader stdout() {
        return piped(stdout, "stdout");
    }

    /** The reading end of the child's stderr. */
    public PipeReader stderr() {
        return piped(stderr, "stderr");
    }

    private <T> T piped(T end, String stream) {
        if (end == null) {
            throw new IllegalStateException(stream + " of " + program + " (pid " + pid() + ") is not piped: "
                    + "configure the command with " + stream + "(Stdio.piped())");
        }
        return end;
    }

    /**
     * Completes with the exit status once the process has ended. Does not close stdin (see
     * {@link #output()} for that). Spends one unit of the cooperative budget when ready.
     *
     * <p><b>Cancellation-safe</b>: dropping it loses nothing; the status stays available to
     * any later {@code waitFor()} or {@link #tryWait()}.
     */
    public Future<ExitStatus> waitFor() {
        return new Future<>() {
            private Future<Process> exited;

            @Override
            public Poll<ExitStatus> poll(Context cx) {
                if (process.isAlive()) {
                    if (exited == null) {
                        exited = Future.fromStage(exitStage(), "external.process.wait", Child.this);
                    }
                    if (exited.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                    // onExit completes only after the JDK has recorded the exit, so the process
                    // is no longer alive from here on, and the branch above is not taken again.
                }
                if (!cx.pollProceed()) {
                    return Poll.pending();
                }
                return Poll.ready(status());
            }

            @Override
            public void drop() {
                if (exited != null) {
                    exited.drop();
                }
            }
        };
    }

    private synchronized CompletableFuture<Process> exitStage() {
        if (exit == null) {
            exit = process.onExit();
        }
        return exit;
    }

    /** The exit status if the process has ended, else {@code null}. Never blocks. */
    public ExitStatus tryWait() {
        return process.isAlive() ? null : status();
    }

    private ExitStatus status() {
        int code = process.exitValue();
        int sig = signalSent;
        return new ExitStatus(code, UNIX && sig != 0 && code == 128 + sig ? sig : 0);
    }

    /**
     * Sends SIGKILL (forcible termination) without waiting; await {@link #waitFor()} to see the
     * process gone. The pipes stay open: what the child wrote before dying can still be read.
     *
     * @return false if the process had already exited (nothing was sent)
     */
    public boolean kill() {
        return signal(true);
    }

    /** Sends SIGTERM (a request to terminate) without waiting; see {@link #kill()}. */
    public boolean terminate() {
        return signal(false);
    }

    private boolean signal(boolean force) {
        if (!process.isAlive()) {
            return false;
        }
        signalSent = force ? SIGKILL : SIGTERM;
        // Through the handle: Process.destroy would also close the JDK's streams under our readers.
        ProcessHandle h = process.toHandle();
        return force ? h.destroyForcibly() : h.destroy();
    }

    /**
     * Closes stdin, then reads stdout and stderr (those that are piped) to their end while
     * waiting for the exit status.
     *
     * <p><b>Not cancellation-safe</b>: dropped midway, what it had read is lost (the process is
     * not killed; {@link #close()} does that for a kill-on-drop child).
     */
    public Future<Output> output() {
        return new Future<>() {
            private boolean started;
            private Future<byte[]> out;
            private Future<byte[]> err;
            private Future<ExitStatus> exited;
            private byte[] outBytes;
            private byte[] errBytes;
            private ExitStatus status;

            @Override
            public Poll<Output> poll(Context cx) {
                if (!started) {
                    started = true;
                    if (stdin != null) {
                        stdin.close();
                    }
                    out = stdout != null ? Io.readToEnd(stdout) : Future.ready(new byte[0]);
                    err = stderr != null ? Io.readToEnd(stderr) : Future.ready(new byte[0]);
                    exited = waitFor();
                }
                if (outBytes == null) {
                    Poll<byte[]> p = out.poll(cx);
                    outBytes = p.isReady() ? p.value() : null;
                }
                if (errBytes == null) {
                    Poll<byte[]> p = err.poll(cx);
                    errBytes = p.isReady() ? p.value() : null;
                }
                if (status == null && outBytes != null && errBytes != null) {
                    Poll<ExitStatus> p = exited.poll(cx);
                    status = p.isReady() ? p.value() : null;
                }
                return status != null ? Poll.ready(new Output(status, outBytes, errBytes)) : Poll.pending();
            }

            @Override
            public void drop() {
                if (exited != null) {
                    exited.drop();
                }
            }
        };
    }

    /**
     * Lets go of the child: kills it if the command set {@link Command#killOnDrop(boolean)
     * kill-on-drop} and it is still running, and closes this process's ends of the pipes
     * (readers and writers of them fail from now on). Idempotent.
     */
    @Override
    public void close() {
        if (killOnDrop) {
            kill();
        }
        if (stdin != null) {
            stdin.close();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
    }

    @Override
    public String toString() {
        ExitStatus s = tryWait();
        return "Child[" + program + ", pid " + pid() + (s == null ? ", running]" : ", " + s + "]");
    }
}
