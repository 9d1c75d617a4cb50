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

    /** Runs {@code work} on the main thread after the evaluations asked for before. */
    <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        thread.execute(() -> {
            running = Thread.currentThread();
            try {
                out.complete(work.call());
            } catch (Throwable t) {
                out.completeExceptionally(t);
            } finally {
                running = null;
            }
        });
        return out;
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
