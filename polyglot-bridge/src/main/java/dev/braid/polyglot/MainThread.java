package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The main thread of a session whose language runs top-level code on a thread of its own
 * ({@link LanguagePlugin#topLevelOnOwnThread}: Python), and the evaluations it runs: a
 * daemon thread outside the runtime, made on the first evaluation, that runs the session's
 * evaluations one at a time in the order they were asked for. Guest code there takes turns
 * with the strand through the language's own lock; what it awaits ({@code braid.run}) runs
 * as tasks of the strand while the thread blocks ({@link Guest#awaitFromElsewhere}).
 */
final class MainThread {
    private final ExecutorService thread;
    private final Guest guest;
    private final LanguagePlugin plugin;
    /** The session's cancellations so far: an evaluation started before one fails as {@code Cancelled}. */
    private final LongSupplier cancels;

    MainThread(Guest guest, LanguagePlugin plugin, LongSupplier cancels) {
        this.guest = guest;
        this.plugin = plugin;
        this.cancels = cancels;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, guest.name() + "-main");
            t.setDaemon(true);
            return t;
        });
    }

    /** One evaluation asked of the main thread: its outcome, and whether it was cancelled. */
    static final class Submitted<T> {
        final CompletableFuture<T> outcome = new CompletableFuture<>();
        private volatile boolean cancelled;
        private volatile Thread runningOn;

        /**
         * Cancels it: one still queued never runs (its outcome is a
         * {@link java.util.concurrent.CancellationException}); for one running, {@code abort}
         * gets the thread, to abort what it waits for.
         */
        void cancel(java.util.function.Consumer<Thread> abort) {
            cancelled = true;
            Thread t = runningOn;
            if (t != null) {
                abort.accept(t);
            }
        }
    }

    /** Runs {@code work} on the main thread after the evaluations asked for before. */
    <T> Submitted<T> submit(Callable<T> work) {
        Submitted<T> s = new Submitted<>();
        thread.execute(() -> {
            if (s.cancelled) {
                s.outcome.completeExceptionally(new java.util.concurrent.CancellationException("cancelled before it ran"));
                return;
            }
            running = Thread.currentThread();
            s.runningOn = running;
            try {
                s.outcome.complete(work.call());
            } catch (Throwable t) {
                s.outcome.completeExceptionally(t);
            } finally {
                s.runningOn = null;
                running = null;
            }
        });
        return s;
    }

    /** The thread while it runs an evaluation, else null. */
    private volatile Thread running;

    Thread running() {
        return running;
    }

    /** No more evaluations; the thread ends once the current one has. */
    void close() {
        thread.shutdown();
    }

    /**
     * An evaluation on the session's main thread ({@link LanguagePlugin#topLevelOnOwnThread}):
     * the code runs there, one evaluation at a time; if it evaluates to an awaitable (a
     * coroutine), that is awaited as a task of the session, and the main thread goes on with
     * the next evaluation. The handle is a task of the runtime that waits for both; aborting
     * it aborts the awaiting task (or what the main thread awaits, in {@code braid.run}), and
     * {@link GuestSession#interruptRunningCode} stops code running on the main thread.
     */
    @SuppressWarnings("unchecked")
    <T> JoinHandle<T> eval(Source source, Function<Value, Object> finish, boolean rememberErrors) {
        long epoch = cancels.getAsLong();
        Submitted<Object> ran = submit(() -> run(source, epoch, finish, rememberErrors));
        return (JoinHandle<T>) guest.runtime.spawn("eval " + source.getName(), new MainEval(ran, source, epoch));
    }

    /** The rest of an evaluation that evaluated to an awaitable: awaited on the strand, then shown. */
    private record Awaiting(JoinHandle<Object> task) {
    }

    private Object run(Source source, long epoch, Function<Value, Object> finish, boolean rememberErrors) {
        // After what the strand was asked to do before: the language's set-up, a job's binding.
        guest.runtime.blockOn(guest.spawn("before " + source.getName(), cx -> Poll.ready(null)));
        if (cancels.getAsLong() != epoch) {
            throw GuestSession.cancelled(source);
        }
        if (guest.lang == null) {
            throw new IllegalStateException("the " + plugin.id() + " session could not be set up", guest.installFailure);
        }
        try {
            Value v = plugin.eval(guest, source).execute();
            if (guest.lang.unwrap(v) != null || guest.lang.isAwaitable(v)) {
                return new Awaiting(guest.spawnFromElsewhere("eval " + source.getName(),
                        () -> guest.await(v).map(r -> finish.apply(r instanceof Value val ? val : guest.context.asValue(r)))));
            }
            return finish.apply(v);
        } catch (RuntimeException e) {
            RuntimeException failure = failure(e, source, epoch);
            if (rememberErrors && !(failure instanceof GuestExit) && cancels.getAsLong() == epoch) {
                try {
                    guest.lang.remember(null, guest.toGuestError(failure));
                } catch (RuntimeException ignored) {
                    // the context is closed or interrupted: nothing left to remember it in
                }
            }
            throw failure;
        } finally {
            // an interrupt that reached no code of this evaluation is not the next one's
            guest.interruptFor.compareAndSet(Thread.currentThread(), null);
        }
    }

    /** The handle's side of an evaluation on the main thread: its run there, then what it awaits. */
    private final class MainEval implements Future<Object> {
        private final Future<Object> ran;
        private final Submitted<Object> submitted;
        private final CompletableFuture<Object> outcome;
        private final Source source;
        private final long epoch;
        private JoinHandle<Object> awaiting;

        MainEval(Submitted<Object> submitted, Source source, long epoch) {
            this.submitted = submitted;
            this.outcome = submitted.outcome;
            this.ran = Future.fromStage(outcome);
            this.source = source;
            this.epoch = epoch;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            if (awaiting == null) {
                Poll<Object> p;
                try {
                    p = ran.poll(cx);
                } catch (java.util.concurrent.CompletionException e) {
                    throw Guest.hostError(e.getCause() != null ? e.getCause() : e);
                } catch (CancellationException e) {
                    throw GuestSession.cancelled(source);
                }
                if (p.isPending()) {
                    return p;
                }
                if (!(p.value() instanceof Awaiting a)) {
                    return p;
                }
                awaiting = a.task();
            }
            try {
                return awaiting.poll(cx);
            } catch (JoinError e) {
                if (e.isCancelled() || cancels.getAsLong() != epoch) {
                    throw GuestSession.cancelled(source);
                }
                throw Guest.hostError(e);
            }
        }

        @Override
        public void drop() {
            ran.drop();
            if (awaiting != null) {
                awaiting.abort();
            } else {
                // Queued: it never runs; running: what its thread waits for is aborted.
                submitted.cancel(guest::abortWaitsOf);
                // Done already, or later: the rest it started is aborted too (at once if done).
                outcome.thenAccept(r -> {
                    if (r instanceof Awaiting a) {
                        a.task().abort();
                    }
                });
            }
        }
    }

    /** What an evaluation on the main thread fails with: what one on the strand would fail with. */
    private RuntimeException failure(RuntimeException e, Source source, long epoch) {
        if (e instanceof PolyglotException pe) {
            if (pe.isExit()) {
                return new GuestExit(pe.getExitStatus(), pe);
            }
            if (cancels.getAsLong() != epoch || pe.isInterrupted() || pe.isCancelled()) {
                return GuestSession.cancelled(source);
            }
            if (pe.isGuestException() && pe.getGuestObject() != null) {
                GuestError g = guest.lang.toHostError(pe.getGuestObject(), pe);
                g.guestValue = pe.getGuestObject();
                return g;
            }
            return guest.lang.toHostError(null, pe);
        }
        RuntimeException r = Guest.hostError(e);
        if (cancels.getAsLong() != epoch || Guest.isCancellation(r) || r instanceof JoinError je && je.isCancelled()) {
            return GuestSession.cancelled(source);
        }
        return r;
    }

}
