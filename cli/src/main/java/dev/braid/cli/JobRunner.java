package dev.braid.cli;

import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.GuestExit;
import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.JobContext;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.future.Future;
import dev.braid.time.ElapsedException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Runs a {@link Job}: one runtime, one session of the job's language, the script's top-level
 * code, then everything it started, until the session has no task left (as Node waits for
 * its event loop to empty). Then the session closes, and a task failure that nobody
 * retrieved fails the job.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} an uncaught guest error (also one
 * the session reported and went on: an unhandled rejection, a timer callback that threw) or
 * a task failure nobody retrieved; {@value #TIMEOUT} the job's time ran out; otherwise the code the
 * script asked for ({@code process.exit(code)}, {@code process.exitCode},
 * {@code sys.exit(code)}, which GraalPy turns into an exit of the context: {@link GuestExit}).
 *
 * <p>SIGINT (Ctrl-C) and SIGTERM: a handler the script registered runs instead
 * ({@code braid.onSignal}, {@code process.on}); without one, the first cancels the job's
 * tasks and the job ends with {@value #SIGINT_EXIT} (SIGTERM: {@value #SIGTERM_EXIT}), and a
 * second one ends the process at once.
 */
final class JobRunner {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int TIMEOUT = 124;
    /** 128 + the signal's number, as shells report a process a signal ended. */
    static final int SIGINT_EXIT = 130;
    static final int SIGTERM_EXIT = 143;
    /**
     * The stall threshold: a pause a person notices, and four times the longest poll measured
     * in the examples' cold runs once parsing and the first cancellation hand the worker's
     * queue on (about 50 ms, interpreted or compiled; see docs/performance.md), where the
     * runtime's 10 ms suits compiled Java tasks. A script's task is reported once the
     * session's other tasks have waited behind it this long, or after ten times this long.
     */
    static final Duration GUEST_STALL_THRESHOLD = Duration.ofMillis(200);

    private JobRunner() {
    }

    /**
     * Runs {@code job} and returns its exit code. {@code exitNow} ends the process at once
     * with a code (the script's {@code process.exit}); it does not return.
     */
    static int run(Job job, IntConsumer exitNow) {
        long deadline = job.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + job.timeout().toNanos();
        BraidRuntime rt = BraidRuntime.builder().workerThreads(job.workers()).threadNamePrefix("braid")
                .stallThreshold(GUEST_STALL_THRESHOLD)
                .onUnretrievedFailure(f -> report(job, "a task failed and nobody awaited it"
                        + (f.taskName() != null ? " (task '" + f.taskName() + "')" : ""), f.exception()))
                .build();
        Runnable stopNotice = null;
        TerminalProgress bars = progressOnStandardError(job);
        try (ScriptHost host = ScriptHost.builder(rt).permissions(job.permissions()).in(job.in()).out(job.out()).err(job.err())
                .workingDirectory(job.cwd()).environment(job.environment())
                .progress(bars != null ? bars : dev.braid.polyglot.ProgressDisplay.NONE)
                .javaFramesInStallReports(job.verbose()).build();
             GuestSession session = host.newSession(job.language())) {
            Path script = job.script() != null ? job.cwd().resolve(job.script()).normalize() : null;
            if (script != null && script.getParent() != null) {
                // The script's own modules load without a read grant (its sibling imports),
                // and its tracebacks show its lines.
                session.guest().fileSystem().allowScriptSource(script);
            }
            job.modulePaths().forEach(session.guest().fileSystem()::allowModulesFrom);
            if ("Interpreted".equals(host.engineImplementation())) {
                boolean jit = "1".equals(System.getenv("BRAID_JIT_AVAILABLE")); // the launcher's finding
                if (job.verbose()) {
                    job.err().println(InterpreterNotice.text(jit));
                } else {
                    stopNotice = new InterpreterNotice(InterpreterNotice.cpuOfThreads("braid-"), job.err(), jit).start();
                }
            }
            int[] exitCode = {OK};
            Signals signals = new Signals(session::cancel, exitNow,
                    job.permissions().prompt() instanceof TerminalPrompt p ? p::asking : () -> false).install();
            // A language that interrupts its main thread (Python: KeyboardInterrupt) gets each
            // Ctrl-C there, as CPython does; one that has not reached the code yet, or nothing
            // to interrupt, ends the job the usual way.
            signals.fallback("SIGINT", session::interruptMainThread);
            JoinHandle<Void> bound = session.bindJob(new JobContext() {
                @Override
                public String launcher() {
                    return "braid";
                }

                @Override
                public String script() {
                    return job.script() != null ? job.script().toString() : job.name();
                }

                @Override
                public List<String> args() {
                    return job.args();
                }

                @Override
                public void exit(int code) {
                    job.out().flush();
                    job.err().flush();
                    exitNow.accept(code);
                }

                @Override
                public void exitCode(int code) {
                    exitCode[0] = code;
                }

                @Override
                public boolean onSignal(String signal, Runnable handler) {
                    return signals.handle(signal, handler);
                }
            });
            Future<String> main = job.showValue() ? session.evalShown(job.code(), job.name())
                    : session.eval(job.code(), job.name()).map(v -> (String) null);
            try {
                rt.blockOn(bound); // fails if the session could not be set up: that is the job's failure, reported once
                String shown = rt.blockOn(job.timeout() == null ? main : main.timeout(left(deadline)));
                if (shown != null) {
                    job.out().println(shown);
                }
                session.whenIdle().get(Math.max(0, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                for (GuestSession other : session.siblings()) { // the job's other languages (braid.js, braid.python)
                    other.whenIdle().get(Math.max(0, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                }
            } catch (ElapsedException | TimeoutException e) {
                job.err().println("braid: the job ran out of time (--timeout " + describe(job.timeout()) + ")");
                return TIMEOUT;
            } catch (JoinError | GuestError e) {
                return signals.interrupted() != 0 ? signals.interrupted() : failed(job, e);
            } catch (ExecutionException e) {
                return signals.interrupted() != 0 ? signals.interrupted() : failed(job, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FAILED;
            }
            if (signals.interrupted() != 0) {
                return signals.interrupted(); // the job's tasks were cancelled: that is no failure of theirs
            }
            List<GuestSession> all = new java.util.ArrayList<>(session.siblings());
            all.add(session);
            int uncaught = all.stream().mapToInt(GuestSession::uncaughtErrors).sum();
            session.close(); // and its siblings
            int unretrieved = all.stream().mapToInt(s -> s.whenClosed().join()).sum();
            if (uncaught > 0) {
                job.err().println("braid: " + uncaught + " uncaught error" + (uncaught == 1 ? "" : "s") + " (reported above)");
                return FAILED;
            }
            if (unretrieved > 0) {
                job.err().println("braid: " + unretrieved + " task failure" + (unretrieved == 1 ? " that nobody" : "s that nobody")
                        + " awaited (reported above)");
                return FAILED;
            }
            return exitCode[0];
        } finally {
            if (stopNotice != null) {
                stopNotice.run();
            }
            if (bars != null) {
                bars.close();
            }
            rt.shutdown(Duration.ofSeconds(2));
        }
    }

    /** Prints why the job failed and returns its exit code (an exit of the guest gives its own). */
    private static int failed(Job job, Throwable t) {
        RuntimeException e = dev.braid.polyglot.Guest.hostError(t);
        if (e instanceof GuestExit exit) {
            return exit.status() & 0xff;
        }
        if (e instanceof GuestError g && "KeyboardInterrupt".equals(g.guestName())) {
            report(job, null, e);
            return SIGINT_EXIT; // as CPython ends on an uncaught KeyboardInterrupt
        }
        report(job, null, e);
        return FAILED;
    }

    /** Prints a failure: a guest error with its source line and guest stack, anything else as Java shows it. */
    private static void report(Job job, String what, Throwable t) {
        Throwable e = dev.braid.polyglot.Guest.hostError(t);
        if (what != null) {
            job.err().println("braid: " + what + ":");
        }
        if (e instanceof GuestError g) {
            job.err().print(ErrorReport.format(g, job.code(), job.name(), job.verbose()));
        } else {
            job.err().println("error: " + e);
            for (Throwable c = e.getCause(); c != null && c != c.getCause() && !job.verbose(); c = c.getCause()) {
                job.err().println("  caused by: " + c);
            }
            if (job.verbose()) {
                e.printStackTrace(job.err());
            }
        }
    }

    /** Progress bars on standard error when it is a terminal (the launcher tells), else none. */
    private static TerminalProgress progressOnStandardError(Job job) {
        if (!"1".equals(System.getenv("BRAID_STDERR_TERMINAL"))) {
            return null;
        }
        try {
            return TerminalProgress.onStandardError();
        } catch (java.io.IOException | RuntimeException e) {
            if (job.verbose()) {
                job.err().println("braid: no progress bars: " + e);
            }
            return null;
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 60_000 == 0 && ms > 0 ? ms / 60_000 + "m" : ms % 1000 == 0 && ms > 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
