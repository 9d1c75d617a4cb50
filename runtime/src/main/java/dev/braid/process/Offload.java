package dev.braid.process;

import dev.braid.future.Waker;
import dev.braid.runtime.BraidRuntime;

/**
 * Runs the one blocking call of a pipe transfer on the current runtime's blocking pool, and
 * wakes waiters without letting a throwing waker escape.
 */
final class Offload {
    static final String LOGGER = "dev.braid.process";

    private Offload() {
    }

    /**
     * Starts {@code job} on the blocking pool of the runtime the caller runs in. If the pool
     * refuses or cancels it (the runtime is shutting down), {@code lost} runs instead, on
     * whichever thread notices.
     *
     * @throws IllegalStateException outside a runtime
     */
    static void run(String name, Runnable job, Runnable lost) {
        BraidRuntime.current().spawnBlocking(name, () -> {
            job.run();
            return null;
        }).toCompletableFuture().whenComplete((v, e) -> {
            if (e != null) {
                lost.run();
            }
        });
    }

    /** Calls {@code w.wake()} if {@code w} is set; a throwing waker is logged and ignored. */
    static void wake(Waker w, Object owner) {
        if (w == null) {
            return;
        }
        try {
            w.wake();
        } catch (Throwable t) {
            System.getLogger(LOGGER).log(System.Logger.Level.ERROR,
                    "a waker woken by " + owner + " threw; ignored, its task may not be polled again", t);
        }
    }
}
