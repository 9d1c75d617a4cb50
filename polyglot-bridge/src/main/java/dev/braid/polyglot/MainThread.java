package dev.braid.polyglot;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The main thread of a session whose language runs top-level code on a thread of its own
 * ({@link LanguagePlugin#topLevelOnOwnThread}: Python): a daemon thread outside the
 * runtime, made on the first evaluation, that runs the session's evaluations one at a time
 * in the order they were asked for. Guest code there takes turns with the strand through the
 * language's own lock; what it awaits ({@code braid.run}) runs as tasks of the strand while
 * the thread blocks ({@link Guest#awaitFromElsewhere}).
 */
final class MainThread {
    private final ExecutorService thread;

    MainThread(String sessionName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, sessionName + "-main");
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
}
