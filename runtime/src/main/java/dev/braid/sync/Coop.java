package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Waker;

/**
 * What every primitive of this package shares: the cooperative budget check and waking
 * waiters after the lock is released.
 *
 * <h2>Wakers that throw</h2>
 * A waker may be user code, and {@link Waker#wake()} may throw. The primitives of this package
 * never let such an exception escape: {@link #wake} logs it at {@code ERROR} on the
 * {@link System.Logger} named {@value #LOGGER} and returns normally, so the caller goes on
 * to wake the other waiters of its chain and to finish its own operation. By the time a
 * waker is called, the waiter's new phase has already been written under the lock, so the
 * state is consistent whatever the waker does; only that one waiter may then not be polled
 * again (its task's waker is broken). This holds for {@code Permit.close()},
 * {@code Guard.close()}, {@code addPermits}, {@code close()}, {@code notifyOne()},
 * {@code notifyWaiters()}, every {@code drop()} and the polls that wake others (a barrier's
 * leader, a {@code OnceCell} initialiser that publishes its value): none of them fails
 * because of somebody else's waker.
 */
final class Coop {
    /** The name of the logger that records exceptions thrown by wakers. */
    static final String LOGGER = "dev.braid.sync";

    private Coop() {
    }

    /**
     * True if the task's budget is already spent: the task has then been woken and the caller
     * returns pending <em>before</em> it takes anything, so a forced yield on the first poll
     * holds no resource. (A waiter granted while queued already holds its permit or
     * notification when it is next polled; if that poll must yield, it keeps it across the
     * yield, and a drop hands it on.)
     */
    static boolean mustYield(Context cx) {
        return cx.remainingBudget() <= 0 && !cx.pollProceed();
    }

    /**
     * Calls {@code waker.wake()} (nothing if it is null). If the waker throws, the exception
     * is logged with {@code owner} (the primitive) and swallowed; see the class comment.
     */
    static void wake(Waker waker, Object owner) {
        if (waker == null) {
            return;
        }
        try {
            waker.wake();
        } catch (Throwable t) {
            System.getLogger(LOGGER).log(System.Logger.Level.ERROR,
                    "a waker woken by " + owner + " threw; ignored, its task may not be polled again", t);
        }
    }
}
