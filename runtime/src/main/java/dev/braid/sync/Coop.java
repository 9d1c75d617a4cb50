package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Waker;

/**
 * What every primitive of this package shares: the cooperative budget check, waking a chain
 * of waiters after the lock is released, and per-class serial numbers for {@code toString}.
 */
final class Coop {
    private Coop() {
    }

    /**
     * True if the task's budget is already spent: the task has then been woken and the caller
     * returns pending <em>before</em> it takes anything. Checking first keeps a forced yield
     * from holding a resource (a permit, a notification) across the yield.
     */
    static boolean mustYield(Context cx) {
        return cx.remainingBudget() <= 0 && !cx.pollProceed();
    }

    /**
     * Calls {@code waker.wake()} and returns the first failure seen so far, so that one
     * throwing waker does not keep the others in a chain asleep.
     */
    static Throwable wake(Waker waker, Throwable failure) {
        if (waker == null) {
            return failure;
        }
        try {
            waker.wake();
        } catch (Throwable t) {
            if (failure == null) {
                return t;
            }
            failure.addSuppressed(t);
        }
        return failure;
    }

    /** Rethrows the failure collected by {@link #wake}, if any. */
    static void rethrow(Throwable failure) {
        if (failure != null) {
            throw Coop.<RuntimeException>sneaky(failure);
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
