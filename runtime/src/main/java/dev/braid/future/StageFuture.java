package dev.braid.future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Adapts a {@link CompletionStage}: the first pending poll installs one completion
 * callback; later polls only swap the waker it will call.
 */
final class StageFuture<T> implements Future<T> {
    private final CompletableFuture<T> stage;
    /** The waker to call on completion; {@code null} once dropped. Written by the poller,
     *  read by whichever thread completes the stage. */
    private final AtomicReference<Waker> waker = new AtomicReference<>();
    private boolean callbackInstalled;
    /** The wait a pending poll records (see {@link Context#waitingOn}). */
    private final String op;
    private final Object resource;

    /** {@code resource} null: the stage itself. */
    StageFuture(CompletionStage<T> stage, String op, Object resource) {
        this.stage = stage.toCompletableFuture();
        this.op = op;
        this.resource = resource != null ? resource : this.stage;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!stage.isDone()) {
            waker.set(cx.waker());
            if (!callbackInstalled) {
                callbackInstalled = true;
                stage.whenComplete((v, e) -> {
                    Waker w = waker.getAndSet(null);
                    if (w != null) {
                        w.wake();
                    }
                });
            }
            // The stage may have completed before the waker was stored: re-check.
            if (!stage.isDone()) {
                cx.waitingOn(op, resource);
                return Poll.pending();
            }
        }
        try {
            return Poll.ready(stage.join());
        } catch (CompletionException e) {
            throw Combinators.sneaky(e.getCause() != null ? e.getCause() : e);
        }
    }

    @Override
    public void drop() {
        waker.set(null);
    }
}
