package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import org.graalvm.polyglot.Value;

import java.util.function.Consumer;

/**
 * A guest outcome delivered by callbacks as a Braid future: for languages whose awaitables
 * settle by calling back (a JS promise's reactions), the plugin hands {@link #settle} to the
 * guest, which calls it from inside the strand and so wakes the polling task. A rejection
 * becomes the task's failure through the error boundary ({@link Guest#rejection}). Must be
 * polled on the guest's strand.
 */
public final class AwaitFuture implements Future<Object> {
    private final Guest guest;
    private final Object what;
    /** Registers the callbacks at the first poll, or null if they are registered already. */
    private Consumer<AwaitFuture> register;
    private boolean settled;
    private Value value;
    private Value error;
    private Waker waker;

    /**
     * A future settled through {@link #settle}; {@code register}, if not null, is run at its
     * first poll to hand {@code settle} to the guest. {@code what} says what it waits for
     * (task dumps; its {@code toString} is read when a dump is taken).
     */
    public AwaitFuture(Guest guest, Object what, Consumer<AwaitFuture> register) {
        this.guest = guest;
        this.what = what;
        this.register = register;
    }

    @Override
    public Poll<Object> poll(Context cx) {
        if (register != null) {
            Consumer<AwaitFuture> r = register;
            register = null;
            r.accept(this);
        }
        if (settled) {
            if (error != null) {
                throw guest.rejection(error);
            }
            return Poll.ready(value);
        }
        waker = cx.waker();
        cx.waitingOn("guest.promise", String.valueOf(what));
        return Poll.pending();
    }

    /** Settles with {@code v}, or with the guest error {@code e} if it is not null; the first call wins. */
    public void settle(Value v, Value e) {
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
