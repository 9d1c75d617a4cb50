package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * A guest function call as a lazy Braid future: the first poll calls the function inside
 * the guest, with a fresh {@link Scope} as the current one; if it returns an awaitable, later
 * polls wait for it. Dropping it (abort, losing a select) cancels the scope: every wait the
 * call started is aborted, so its code never resumes.
 */
final class GuestCall implements Future<Object> {
    private final Guest guest;
    private final Value fn;
    private final Object[] args;
    private Scope scope;
    private Future<Object> inner;

    GuestCall(Guest guest, Value fn, Object[] args) {
        this.guest = guest;
        this.fn = fn;
        this.args = args;
    }

    @Override
    public Poll<Object> poll(Context cx) {
        if (inner == null) {
            scope = new Scope(guest.current);
            Scope prev = guest.current;
            guest.current = scope;
            try {
                inner = guest.lang.call(fn, args);
            } catch (PolyglotException e) {
                if (e.isGuestException() && e.getGuestObject() != null && !e.isCancelled() && !e.isInterrupted()) {
                    throw guest.rejection(e.getGuestObject());
                }
                throw e;
            } finally {
                guest.current = prev;
            }
        }
        Scope prev = guest.current;
        guest.current = scope;
        try {
            return inner.poll(cx);
        } finally {
            guest.current = prev;
        }
    }

    @Override
    public void drop() {
        if (scope != null) {
            scope.cancel();
            guest.lang.taskCancelled(); // its code may wait for plain guest promises too
        }
        if (inner != null) {
            inner.drop();
        }
    }
}
