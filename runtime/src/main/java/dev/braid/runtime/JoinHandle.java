package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.Task;

import java.util.concurrent.CompletableFuture;

/**
 * The owner's side of a spawned task. It is itself a {@link Future}: awaiting it gives the
 * task's value, or throws {@link JoinError}. Dropping the handle (or simply forgetting it)
 * detaches the task, which keeps running; {@link #abort()} cancels it.
 *
 * <p>A failure that this handle never hands on is not lost: once the handle is unreachable
 * (or the runtime shuts down first) the runtime reports it as an {@link UnretrievedFailure}.
 * A poll that throws the failure's {@link JoinError} retrieves it, and so does
 * {@link #toCompletableFuture()} when it completes its future.
 *
 * <p>A handle has one owner: like any future it is awaited by one task (or one
 * {@code blockOn}) at a time, and only the most recent poller is woken on completion.
 * Share an {@link AbortHandle} to let others cancel it.
 *
 * <p>Polling a handle consumes one unit of the cooperative budget when it is ready.
 * Cancellation-safe: dropping a pending join loses nothing; the task's outcome stays
 * available to a later poll.
 */
public final class JoinHandle<T> implements Future<T> {
    private final Task<T> task;

    JoinHandle(Task<T> task) {
        this.task = task;
        task.bindHandle(this); // if the task fails, the runtime watches this handle
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!task.isComplete() && !task.registerJoinWaker(cx.waker())) {
            cx.waitingOn("join", task);
            return Poll.pending();
        }
        if (!cx.pollProceed()) {
            return Poll.pending();
        }
        return Poll.ready(outcome(task));
    }

    static <T> T outcome(Task<T> task) {
        switch (task.outcome()) {
            case OK:
                return task.value();
            case FAILED:
                throw JoinError.failed(task.id(), task.name(), task.takeFailure());
            default:
                throw JoinError.cancelled(task.id(), task.name(), task.takeFailure());
        }
    }

    @Override
    public void drop() {
        task.clearJoinWaker();
    }

    /** See {@link AbortHandle#abort()}. */
    public void abort() {
        task.abort();
    }

    public AbortHandle abortHandle() {
        return new AbortHandle(task);
    }

    public boolean isFinished() {
        return task.isComplete();
    }

    public long id() {
        return task.id();
    }

    /** The task's name, or null. */
    public String name() {
        return task.name();
    }

    /**
     * A {@link CompletableFuture} completed with the task's value, or exceptionally with its
     * {@link JoinError}. Cancelling it aborts the task. This takes over the handle's join
     * slot: do not also poll the handle afterwards.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                task.abort();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Runnable complete = () -> {
            try {
                cf.complete(outcome(task));
            } catch (JoinError e) {
                cf.completeExceptionally(e);
            }
        };
        if (task.registerJoinWaker(() -> {
            if (task.isComplete()) {
                complete.run();
            }
        })) {
            complete.run();
        }
        return cf;
    }

    @Override
    public String toString() {
        return "JoinHandle[" + task + "]";
    }
}
