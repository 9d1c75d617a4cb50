package dev.braid.runtime.internal;

import dev.braid.future.Context;

/**
 * A thread started by a runtime: a worker (while it drives a {@link Core}) or a blocking
 * pool thread. Knowing the type lets {@code schedule} find the local queue without a
 * thread-local lookup.
 */
final class BraidThread extends Thread {
    final Scheduler scheduler;
    /** The core this thread drives; null on blocking threads and after a hand-off. Only
     *  this thread writes it. */
    Core core;
    /** Set while this thread, having handed its core on in blockInPlace, finishes that poll. */
    boolean handedOff;
    /** This thread's poll context, reused for the tasks it polls. A worker replaces it now
     *  and then ({@link #renewContext}); only this thread writes it, diagnostics read it. */
    volatile Context cx = new Context(dev.braid.future.Waker.NOOP);

    /**
     * A fresh context, so that the one each poll writes its task into stays in the young
     * generation (the reason is in {@link Core.Slots}). Between polls only.
     */
    void renewContext() {
        cx = new Context(dev.braid.future.Waker.NOOP);
    }

    BraidThread(Scheduler scheduler, Runnable body, String name) {
        super(body, name);
        this.scheduler = scheduler;
    }
}
