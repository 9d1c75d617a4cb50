package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import org.graalvm.polyglot.Value;

/**
 * A guest awaitable (a JS promise) as a Braid future. The first poll registers settle
 * callbacks; the guest calls them from its microtask queue, inside the strand, and they wake
 * the polling task. Must be polled on the guest's strand.
 */
final class AwaitFuture implements Future<Object> {
    private final Guest guest;
    private final Value awaitable;
    private boolean registered;
    private boolean settled;
    private Value value;
    private Value error;
    private Waker waker;

    AwaitFuture(Guest guest, Value awaitable) {
        this.guest = guest;
        this.awaitable = awaitable;
    }

    /** For an awaitable already observed by {@link LanguageAdapter#invoke}: call {@link #settle}. */
    AwaitFuture(Guest guest) {
        this.guest = guest;
        this.awaitable = null;
        this.registered = true;
    }

    @Override
    public Poll<Object> poll(Context cx) {
        if (!registered) {
            registered = true;
            guest.lang.onSettled(awaitable, v -> settle(v, null), e -> settle(null, e));
        }
        if (settled) {
            if (error != null) {
                throw guest.rejection(error);
            }
            return Poll.ready(value);
        }
        waker = cx.waker();
        cx.waitingOn("guest.promise", awaitable != null ? awaitable.toString() : "the guest function's promise");
        return Poll.pending();
    }

    void settle(Value v, Value e) {
        if (settled) {
            return;
        }
        settled = true;
        value = v;
        error = e;
        Waker w = waker;
        waker = null;
        if (w != null) {
            w.wake();
        }
    }

    @Override
    public void drop() {
        waker = null; // the guest promise settles into nothing
    }
}
