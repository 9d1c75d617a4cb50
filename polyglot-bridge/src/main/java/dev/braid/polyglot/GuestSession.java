package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.JoinHandle;
import dev.braid.runtime.RuntimeShutdownException;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One guest context (a script job or a REPL session) on a {@link ScriptHost}: evaluations
 * share its globals; tasks and timers it starts keep running between evaluations until it
 * is cancelled or closed.
 *
 * <h2>Failures nobody waited for</h2>
 * A task of the session that failed (a {@code braid.spawn}ed function that threw or
 * rejected) and whose failure no guest code took (by awaiting its handle, joining or
 * selecting it, or through a {@code JoinSet}) is reported when the session closes, through
 * the runtime's {@link dev.braid.runtime.BraidRuntime.Builder#onUnretrievedFailure handler},
 * with the guest's stack and source position ({@link GuestError}); {@link #whenClosed()}
 * tells how many there were. One whose handle the guest dropped is reported earlier, once the
 * garbage collector finds the handle unreachable. What the session's own {@link #cancel()}
 * or {@link #close()} ends (evaluations that fail as {@code Cancelled}, guest code
 * interrupted) is a cancellation, not reported.
 */
public final class GuestSession implements AutoCloseable {
    private final ScriptHost host;
    /** Sources longer than this (in characters) are parsed with the worker's queue handed on. */
    private static final int LONG_SOURCE = 20_000;
    /** Parses so far; only the strand touches it. */
    private int parses;
    private final LanguagePlugin plugin;
    final Guest guest;
    private volatile boolean closed;
    /** Bumped by {@link #cancel()}: an evaluation started before fails. */
    private final java.util.concurrent.atomic.AtomicLong cancels = new java.util.concurrent.atomic.AtomicLong();
    /** Evaluations not finished yet, to wake when they are cancelled. */
    private final java.util.Set<Eval> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Completed once closed, with the number of unretrieved failures reported then. */
    private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();

    /** The sessions of this one's job, by language, this one included (see {@link #sibling}). */
    private final Map<String, GuestSession> family;
    /** The job bound to the session ({@link #bindJob}), if any; its siblings are bound to it too. */
    private volatile JobContext job;

    GuestSession(ScriptHost host, LanguagePlugin plugin, Guest guest, Map<String, GuestSession> family) {
        this.host = host;
        this.plugin = plugin;
        this.guest = guest;
        this.family = family;
        family.putIfAbsent(plugin.id(), this);
        guest.session = this;
    }

    /**
     * The session of {@code language} in this one's job, made on first use: on the same host
     * and runtime, with the same permissions, module directories, output and job
     * ({@code braid.js(code)} from Python, {@code braid.python(code)} from JavaScript). Closing
     * any session of the job closes them all. Any thread.
     */
    GuestSession sibling(String language) {
        synchronized (family) {
            GuestSession s = family.get(language);
            if (s == null) {
                if (closed) {
                    throw new IllegalStateException("the session is closed");
                }
                s = host.newSession(language, guest.permissions, family);
                for (Path dir : guest.files.moduleDirs()) {
                    s.guest.files.allowModulesFrom(dir);
                }
                OutputSink sink = guest.output.sink();
                if (sink != null) {
                    s.redirectOutput(sink);
                }
                JobContext j = job;
                if (j != null) {
                    s.bindJob(j);
                }
            }
            return s;
        }
    }

    /** The other sessions of this one's job (see {@link #sibling}), made so far. */
    public java.util.List<GuestSession> siblings() {
        synchronized (family) {
            return family.values().stream().filter(s -> s != this).toList();
        }
    }

    /** Evaluates {@code code} as {@link #eval} does, its settled value turned into what {@code finish} makes of it (in the session's context). */
    JoinHandle<Object> evalWith(String code, String name, java.util.function.Function<Value, Object> finish) {
        if (plugin.topLevelOnOwnThread()) {
            return onMainThread(source(code, name), finish, false);
        }
        return guest.spawn("eval " + name, new Eval(source(code, name), cancels.get(), finish));
    }

    /**
     * Evaluates {@code code} (named {@code name} in stack traces) and returns its settled
     * value as Java data (numbers, strings, booleans, null, List, Map); functions, promises
     * and objects that are not plain data (a Python class instance) stay guest
     * {@link Value}s, to be used only on the session's strand or passed back into it. A
     * failure is a {@link GuestError} with the guest's message, stack and position.
     *
     * <p>The language decides what the code is from its name and text. For JavaScript, a
     * name ending in {@code .mjs}, or in {@code .js} for code with top-level {@code import}
     * or {@code export} statements, makes it an ES module (see
     * {@link dev.braid.polyglot.js.JsPlugin}): the name is its path (relative imports resolve
     * against it, see {@link GuestFileSystem}), the evaluation settles once its top-level
     * awaits have finished, and its value is the module's exports as a Map (functions stay
     * guest values). Anything else is a classic script, which may await at its top level too.
     */
    public JoinHandle<Object> eval(String code, String name) {
        if (plugin.topLevelOnOwnThread()) {
            return onMainThread(source(code, name), guest::toHost, false);
        }
        return guest.spawn("eval " + name, new Eval(source(code, name), cancels.get(), guest::toHost));
    }

    /** The session's main thread, for a language whose top-level code runs on one (made on first use). */
    private MainThread mainThread;

    private synchronized MainThread mainThread() {
        if (mainThread == null) {
            mainThread = new MainThread(guest, plugin, cancels::get);
        }
        return mainThread;
    }

    /** An evaluation on the session's main thread (see {@link MainThread#eval}). */
    private <T> JoinHandle<T> onMainThread(Source source, java.util.function.Function<Value, Object> finish, boolean rememberErrors) {
        return mainThread().eval(source, finish, rememberErrors);
    }

    /** How an evaluation the session's cancellation ended fails. */
    static GuestError cancelled(Source source) {
        return new GuestError("Cancelled", "the session was cancelled", "", source.getName(), 0, 0,
                new CancellationException("the session was cancelled"));
    }

    private Source source(String code, String name) {
        try {
            return plugin.source(code, name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Evaluates {@code code} as {@link #eval} does, for an interactive front end: the settled
     * value comes back shown the language's way on one line ({@code util.inspect} style for
     * JavaScript, {@code repr} for Python; null for a value not shown, Python's None) instead
     * of as Java data, and the language keeps it
     * (or the error) where its REPLs do ({@link LanguageAdapter#remember}: {@code _} and
     * {@code _error}). Aborting the handle cancels the evaluation for real: its code stops at
     * its pending await and never resumes, and what it awaits is aborted; tasks it spawned
     * with {@code braid.spawn} are detached and keep running (see {@link #cancel} to stop
     * those too). Code that is running, not awaiting, is stopped by
     * {@link #interruptRunningCode}.
     */
    @SuppressWarnings("unchecked")
    public JoinHandle<String> evalShown(String code, String name) {
        java.util.function.Function<Value, Object> shown = v -> {
            guest.lang.remember(v, null);
            return guest.lang.inspect(v);
        };
        if (plugin.topLevelOnOwnThread()) {
            return onMainThread(source(code, name), shown, true);
        }
        Eval e = new Eval(source(code, name), cancels.get(), shown);
        e.rememberErrors = true;
        return (JoinHandle<String>) (JoinHandle<?>) guest.spawn("eval " + name, e);
    }

    /**
     * Whether {@code code} is an unfinished beginning of valid code, so that a REPL should read
     * another line (see {@link LanguageAdapter#isIncomplete}).
     */
    public JoinHandle<Boolean> isIncomplete(String code) {
        return onStrand("is incomplete", lang -> lang.isIncomplete(code));
    }

    /** Completion candidates for the word ending at {@code cursor} (see {@link LanguageAdapter#completions}). */
    public JoinHandle<java.util.List<String>> completions(String line, int cursor) {
        return onStrand("complete", lang -> lang.completions(line, cursor));
    }

    /** Runs {@code f} with the language on the session's strand, once the session is set up. */
    private <T> JoinHandle<T> onStrand(String what, java.util.function.Function<LanguageAdapter, T> f) {
        return guest.spawn(what, cx -> {
            if (guest.lang == null) {
                throw new IllegalStateException("the " + plugin.id() + " session could not be set up", guest.installFailure);
            }
            return Poll.ready(f.apply(guest.lang));
        });
    }

    /** Evaluates a file. */
    public JoinHandle<Object> evalFile(Path file) throws IOException {
        return eval(Files.readString(file), file.toString());
    }

    /** {@link #eval} as a {@link java.util.concurrent.CompletionStage}. */
    public CompletableFuture<Object> evalAsync(String code, String name) {
        return eval(code, name).toCompletableFuture();
    }

    /** Evaluates and waits (from a thread outside the runtime). */
    public Object evalSync(String code, String name) {
        try {
            return guest.runtime.blockOn(eval(code, name));
        } catch (RuntimeException e) {
            throw Guest.hostError(e);
        }
    }

    /**
     * Sends the session's output (standard output and error, whatever writes them) to
     * {@code sink} from now on; null sends it back to the host's streams. Any thread.
     */
    public void redirectOutput(OutputSink sink) {
        guest.output.redirect(sink);
    }

    /** The language plugin that parses the session's code (for facades that evaluate on the strand themselves). */
    public LanguagePlugin plugin() {
        return plugin;
    }

    /**
     * Makes the session run a script as a job: its language shows the script {@code job}'s
     * arguments and exit (see {@link LanguagePlugin#bindJob}). Runs on the strand before any
     * evaluation asked for later.
     */
    public JoinHandle<Void> bindJob(JobContext job) {
        this.job = job;
        return onStrand("bind job", lang -> {
            // It runs guest code in a context that is still cold (hundreds of milliseconds on
            // a loaded machine), as installing does: this worker's queue goes to another thread.
            try {
                dev.braid.runtime.Braid.blockInPlace(() -> {
                    plugin.bindJob(guest, job);
                    return null;
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    /**
     * Completes once the session has no live task (its evaluations, the tasks they spawned,
     * pending waits and timers all ended): at once if it has none now. A job runner waits for
     * it after the script's top-level code, as Node waits for its event loop to empty.
     */
    public CompletableFuture<Void> whenIdle() {
        return guest.strand.whenIdle();
    }

    /**
     * How many errors the session reported that no guest code could catch any more (a timer
     * callback that threw, a promise rejection nobody handled): the session went on, but a
     * job with any failed.
     */
    public int uncaughtErrors() {
        return guest.uncaughtErrors();
    }

    /** The runtime's guest (for plugins and host functions that need the bridge). */
    public Guest guest() {
        return guest;
    }

    /**
     * Cancels everything the session runs: pending awaits never resume, timers do not fire,
     * guest code spinning in a loop is interrupted ({@code Context.interrupt}, which waits up
     * to 5 seconds for the guest to reach a safepoint), and every evaluation started before
     * fails with a {@link GuestError} named {@code Cancelled}. The session stays usable:
     * later evaluations run normally. The job's sessions in other languages
     * ({@link #sibling}) are cancelled with it; other sessions are not affected.
     */
    public void cancel() {
        cancelThis();
        for (GuestSession s : siblings()) {
            s.cancelThis(); // the job's other languages too
        }
    }

    private void cancelThis() {
        cancels.incrementAndGet();
        guest.abortWaitsElsewhere(); // a main thread blocked in braid.run returns to its code, which the interrupt then stops
        // Interrupt first: the clean-up that the wake-ups below start (a Python coroutine's
        // finally) must not be cut short by an interrupt meant for the code running now.
        interrupt();
        for (Eval e : running) {
            e.wake();
        }
        guest.spawn("cancel", cx -> {
            guest.cancelAll();
            if (guest.lang != null) {
                guest.lang.taskCancelled(); // code waiting for plain guest promises never resumes either
            }
            return Poll.ready(null);
        });
    }

    /**
     * Interrupts the session's main thread the way its language interrupts a program
     * (Python: {@code KeyboardInterrupt}, as Ctrl-C does in CPython): if it waits in
     * {@code braid.run}, the coroutine it waits for is cancelled and the wait raises; if it
     * runs code, the code raises where it is (at its next safepoint). Other tasks of the
     * session go on; the code may catch it. Returns false when there is nothing to interrupt
     * that way (no main thread, or none running, or the language has no such interrupt), or
     * when an interrupt asked for before has not reached the code yet: the caller decides
     * then (cancel the session, end the process). Any thread.
     */
    public boolean interruptMainThread() {
        String raise = plugin.interruptSource();
        MainThread m;
        synchronized (this) {
            m = mainThread;
        }
        Thread t = m == null ? null : m.running();
        if (raise == null || t == null || closed || !guest.interruptFor.compareAndSet(null, t)) {
            return false;
        }
        guest.abortWaitsOf(t);
        org.graalvm.polyglot.Instrument instrument = guest.context.getEngine().getInstruments().get(GuestStackInstrument.ID);
        if (instrument != null) {
            instrument.lookup(GuestStackInstrument.Sampler.class).raiseIn(t, plugin.graalLanguage(), raise,
                    () -> guest.interruptFor.compareAndSet(t, null));
        }
        return true;
    }

    /**
     * Stops the guest code running on the session's strand now (a loop that never awaits),
     * with a cancellation error where it runs, so that the strand's next tasks run. Code that
     * is awaiting is not affected. Any thread.
     */
    public void interruptRunningCode() {
        interrupt();
    }

    private void interrupt() {
        try {
            guest.interrupt(Duration.ofSeconds(5));
        } catch (Exception e) {
            // not running guest code right now, or already closed: nothing to interrupt
        }
    }

    /**
     * Closes the session: evaluations still running fail as {@code Cancelled}, guest code
     * spinning is interrupted, and the context closes on its strand. Then the failures of the
     * session's tasks that nobody retrieved are reported (see the class comment and
     * {@link #whenClosed()}). Returns without waiting for that; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancels.incrementAndGet(); // evaluations still running fail as Cancelled
        guest.abortWaitsElsewhere();
        synchronized (this) {
            if (mainThread != null) {
                mainThread.close();
            }
        }
        interrupt(); // first, as in cancel(); guest code spinning on the strand would also keep the close from running
        for (Eval e : running) {
            e.wake();
        }
        try {
            guest.spawn("close", new Close());
        } catch (RuntimeShutdownException e) {
            closedWith.complete(0); // the runtime's shutdown reported the session's failures
            throw e;
        } finally {
            host.forget(this);
            for (GuestSession s : siblings()) {
                try {
                    s.close(); // the job's sessions end together
                } catch (RuntimeShutdownException e) {
                    // the runtime's shutdown reports that session's failures
                }
            }
        }
    }

    /**
     * Completes once the session is closed (after {@link #close()}) with the number of its
     * tasks' failures that nobody retrieved, each reported through the runtime's
     * {@link dev.braid.runtime.BraidRuntime.Builder#onUnretrievedFailure handler} with
     * reason {@code SESSION_ENDED}. A job runner waits for it and turns a count above zero
     * into a failed job.
     */
    public CompletableFuture<Integer> whenClosed() {
        return closedWith;
    }

    /**
     * The close, on the strand: cancels the session's work and asks the slice to close the
     * context, then leaves the report to a task queued behind the tasks that the
     * cancellation woke, so that failures of their drop hooks are counted too.
     */
    private final class Close implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            try {
                guest.cancelAll();
            } finally {
                guest.closeRequested = true; // the slice closes the context after leaving it
                try {
                    guest.spawn("report failures", new Report());
                } catch (RuntimeShutdownException e) {
                    report();
                }
            }
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            report(); // the runtime shuts down first
        }
    }

    private final class Report implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            report();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            report();
        }
    }

    /** Reports the session's unretrieved failures and completes {@link #whenClosed()}; once. */
    private void report() {
        if (closedWith.isDone()) {
            return;
        }
        closedWith.complete(guest.strand.reportUnretrievedFailures());
    }

    /**
     * Whether parsing {@code source} hands the worker's queue on ({@code blockInPlace}): the
     * session's first parse (cold: the language's parser is still being loaded and run by
     * the interpreter, tens of milliseconds for a few lines) and the parse of a long source.
     * Parsing is work the script did not choose, so it must neither hold up other tasks nor
     * be reported as the script blocking its worker.
     */
    private boolean parseHandsOn(Source source) {
        return parses++ == 0 || source.getLength() >= LONG_SOURCE;
    }

    private static <T> T handedOn(java.util.concurrent.Callable<T> work) {
        try {
            return dev.braid.runtime.Braid.blockInPlace(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Eval implements Future<Object> {
        private final Source source;
        private final long epoch;
        /** What the settled value becomes for the caller (Java data, or its text). */
        private final java.util.function.Function<Value, Object> finish;
        private Future<Object> inner;
        /** The parsed code, until it is called. */
        private Value program;
        /** The evaluation's own waits (see {@link Scope}): aborted when it is dropped. */
        private Scope scope;
        boolean rememberErrors;
        private volatile dev.braid.future.Waker waker;

        Eval(Source source, long epoch, java.util.function.Function<Value, Object> finish) {
            this.source = source;
            this.epoch = epoch;
            this.finish = finish;
            running.add(this);
        }

        void wake() {
            dev.braid.future.Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Object> poll(Context cx) {
            Scope prev = guest.current;
            try {
                Poll<Object> p = pollEval(cx);
                if (p.isReady()) {
                    running.remove(this);
                }
                return p;
            } catch (RuntimeException | Error e) {
                running.remove(this);
                if (!(e instanceof GuestError) && Guest.isCancellation(e)) {
                    // The session was cancelled while this ran: however the interrupt surfaced
                    // (see Guest.isCancellation), the evaluation's outcome is that cancellation.
                    throw cancelled(source);
                }
                if (rememberErrors && guest.lang != null && e instanceof RuntimeException re) {
                    remember(re);
                }
                throw e;
            } finally {
                guest.current = prev;
            }
        }

        private Poll<Object> pollEval(Context cx) {
            waker = cx.waker();
            if (cancels.get() != epoch) {
                if (scope != null) {
                    scope.cancel();
                }
                if (inner != null) {
                    inner.drop();
                }
                throw cancelled(source); // its cause, a CancellationException: not reported as a failure
            }
            if (inner == null) {
                if (guest.lang == null) {
                    throw new IllegalStateException("the " + plugin.id() + " session could not be set up", guest.installFailure);
                }
                if (scope == null) {
                    scope = new Scope(guest.root);
                }
                guest.current = scope;
                try {
                    // Parsed, then called through the adapter: a promise the code returns is
                    // observed in the same turn, so its rejection is not reported unhandled.
                    if (program == null) {
                        if (parseHandsOn(source)) {
                            program = handedOn(() -> plugin.eval(guest, source));
                            // This thread gave its core away for the rest of this poll: the code
                            // runs in the next one, on a worker the stall monitor watches.
                            cx.waker().wake();
                            return Poll.pending();
                        }
                        program = plugin.eval(guest, source);
                    }
                    inner = guest.lang.call(program, new Object[0]);
                } catch (PolyglotException e) {
                    if (e.isExit()) {
                        throw new GuestExit(e.getExitStatus(), e);
                    }
                    if (e.isGuestException() && e.getGuestObject() != null && !e.isCancelled() && !e.isInterrupted()) {
                        GuestError g = guest.lang.toHostError(e.getGuestObject(), e);
                        g.guestValue = e.getGuestObject();
                        throw g;
                    }
                    throw guest.lang.toHostError(null, e);
                }
            }
            Poll<Object> p;
            guest.current = scope;
            try {
                p = inner.poll(cx);
            } catch (PolyglotException e) {
                if (e.isExit()) {
                    throw new GuestExit(e.getExitStatus(), e);
                }
                if (e.isInterrupted() || e.isCancelled()) {
                    throw guest.lang.toHostError(null, e); // Cancelled, like an evaluation that had not started
                }
                throw e;
            } catch (RuntimeException e) {
                throw Guest.hostError(e);
            }
            if (p.isPending()) {
                return p;
            }
            return Poll.ready(finish.apply(p.value() instanceof Value val ? val : guest.context.asValue(p.value())));
        }

        /** Keeps a failed evaluation's error for the language's REPL conventions ({@code _error}). */
        private void remember(RuntimeException e) {
            try {
                Value v = e instanceof GuestExit ? null : guest.toGuestError(e);
                if (v != null) {
                    guest.lang.remember(null, v);
                }
            } catch (RuntimeException ignored) {
                // the context is closed or interrupted: nothing left to remember it in
            }
        }

        @Override
        public void drop() {
            running.remove(this);
            if (scope != null) {
                scope.cancel();
                if (guest.lang != null) {
                    guest.lang.taskCancelled(); // its code may wait for plain guest promises too
                }
            }
            if (inner != null) {
                inner.drop();
            }
        }
    }
}
