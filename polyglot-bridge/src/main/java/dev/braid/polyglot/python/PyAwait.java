package dev.braid.polyglot.python;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.polyglot.Awaitable;
import dev.braid.polyglot.LanguageAdapter;
import org.graalvm.polyglot.Value;

/**
 * A Python awaitable (a coroutine, or an object with {@code __await__}) driven as a Braid
 * future: each poll resumes it with {@code send} (or {@code throw}) until it awaits a Braid
 * future that is not ready, which the poll then waits on. Nothing runs before the first poll.
 *
 * <p><b>Cancellation.</b> Dropped unfinished, it throws {@code asyncio.CancelledError} into
 * the coroutine at its pending await, so that {@code except}, {@code finally} and
 * {@code async with} clean-up run. If the clean-up awaits again, the rest of it runs as a
 * task of its own on the strand (the drop cannot wait), owned by the session: cancelling or
 * closing the session cancels it in turn. An exception other than the {@code CancelledError}
 * that ends a clean-up, or a clean-up cut short, is reported on the session's standard error.
 * When the whole session closes, clean-up is best effort: the context closes after the
 * closing slice, and tasks dropped later find it closed.
 */
final class PyAwait implements Future<Object> {
    private final PyAdapter py;
    private final Value awaitable;
    /** The iterator being driven: the coroutine, or the awaitable's {@code __await__()}; null before the first poll. */
    private Value it;
    /** The Braid future it awaits now, or null. */
    private Future<Object> wait;
    private boolean done;
    /** Clean-up after a cancellation: its own CancelledError is its normal end. */
    private final boolean cleanup;

    PyAwait(PyAdapter py, Value awaitable) {
        this.py = py;
        this.awaitable = awaitable;
        this.cleanup = false;
    }

    private PyAwait(PyAdapter py, Value it, Future<Object> wait) {
        this.py = py;
        this.awaitable = null;
        this.it = it;
        this.wait = wait;
        this.cleanup = true;
    }

    @Override
    public Poll<Object> poll(Context cx) {
        if (done) {
            throw new IllegalStateException("polled after completion");
        }
        Object send = null;
        Value raise = null;
        if (it == null) {
            it = py.awaiting.execute(awaitable);
        } else if (wait != null) {
            try {
                Poll<Object> p = wait.poll(cx);
                if (p.isPending()) {
                    return p;
                }
                send = py.guest.toGuest(p.value());
            } catch (RuntimeException | Error e) {
                raise = py.guest.toGuestError(e);
            }
            wait = null;
        }
        for (;;) {
            Value r = py.step.execute(it, py.py(send), py.py(raise));
            if (r.getArrayElement(0).asBoolean()) {
                done = true;
                Value error = r.getArrayElement(2);
                if (!error.isNull()) {
                    if (cleanup) {
                        py.reportCleanup(error);
                        return Poll.ready(null);
                    }
                    throw py.guest.rejection(error);
                }
                return Poll.ready(r.getArrayElement(1));
            }
            Value yielded = r.getArrayElement(1);
            Awaitable a = py.unwrap(yielded);
            if (a == null) {
                send = null;
                raise = py.newError(LanguageAdapter.ErrorKind.HOST, "UnsupportedOperationException",
                        "Braid awaits coroutines and Braid futures; this coroutine yielded " + (yielded.isNull() ? "None" : py.inspect(yielded))
                                + " (an asyncio future or a bare yield needs asyncio's own loop)");
                continue;
            }
            wait = a.waiter();
            send = null;
            raise = null;
            try {
                Poll<Object> p = wait.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                send = py.guest.toGuest(p.value());
            } catch (RuntimeException | Error e) {
                raise = py.guest.toGuestError(e);
            }
            wait = null;
        }
    }

    @Override
    public void drop() {
        if (done) {
            return;
        }
        done = true;
        if (wait != null) {
            wait.drop();
            wait = null;
        }
        try {
            if (it == null) {
                py.close.execute(awaitable); // never started: no "never awaited" warning
                return;
            }
            Value cancelled = py.newError(LanguageAdapter.ErrorKind.CANCELLED, null, "the task was cancelled");
            Value r = py.step.execute(it, py.none, cancelled);
            if (r.getArrayElement(0).asBoolean()) {
                py.reportCleanup(r.getArrayElement(2)); // it ended: re-raised the CancelledError, returned, or failed
                return;
            }
            // It awaits in its clean-up: let it finish as a task of the session.
            Awaitable a = py.unwrap(r.getArrayElement(1));
            if (a == null) {
                py.close.execute(it);
                return;
            }
            py.guest.spawnOwned("python clean-up", new PyAwait(py, it, a.waiter()));
        } catch (org.graalvm.polyglot.PolyglotException e) {
            if (!e.isCancelled()) { // cancelled: the context is closed, its code cannot run any more
                py.guest.err().println("[braid " + py.guest.name() + "] the clean-up of a cancelled coroutine did not finish: "
                        + (e.isInterrupted() ? "the session was cancelled while it ran" : e.getMessage()));
            }
        } catch (IllegalStateException e) {
            // the context is closed: its code cannot run any more
        }
    }
}
