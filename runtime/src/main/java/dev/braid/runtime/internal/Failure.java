package dev.braid.runtime.internal;

import dev.braid.runtime.UnretrievedFailure.Reason;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A task's failure (or its drop hook's exception), as its output slot keeps it: the
 * exception, what a report names, and its fate. Made only when a task fails; see
 * {@link Failures} for the protocol.
 *
 * <pre>
 *   OPEN ──retrieve()──▶ RETRIEVED    a joiner took it
 *     └───report(r)───▶ REPORTED     handle collected, session ended, shutdown
 * </pre>
 * One CAS decides, so a failure is reported at most once and never after a joiner took it.
 *
 * <p>It is also the cleaning action of the {@link Cleaner} registration that watches the
 * task's handle, so it must not reference the task or the handle, or anything that holds
 * them (an executor does: its queues and poll context keep the tasks they ran): what it
 * references stays reachable while the registration lives. Hence the strand as an id.
 */
final class Failure extends Task.Finished implements Runnable {
    private static final int OPEN = 0;
    private static final int RETRIEVED = 1;
    private static final int REPORTED = 2;
    private static final VarHandle FATE;

    static {
        try {
            FATE = MethodHandles.lookup().findVarHandle(Failure.class, "fate", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long taskId;
    final String taskName;
    final Object spawnSite;
    /** The id of the strand that ran the task, or 0 (see {@link Failures#reportStrand}). */
    final long strandId;
    private final Failures owner;
    /** Accessed through {@link #FATE} and plainly-volatile reads. */
    @SuppressWarnings("unused")
    private volatile int fate;
    /** The Cleaner registration, once {@link #watch} made it. */
    private volatile Cleaner.Cleanable watching;

    Failure(Task.Outcome outcome, Throwable error, long taskId, String taskName, Object spawnSite, long strandId,
            Failures owner) {
        super(outcome, error);
        this.taskId = taskId;
        this.taskName = taskName;
        this.spawnSite = spawnSite;
        this.strandId = strandId;
        this.owner = owner;
    }

    boolean isOpen() {
        return fate == OPEN;
    }

    /** A joiner took the failure: it is never reported. */
    void retrieve() {
        if (fate == OPEN && FATE.compareAndSet(this, OPEN, RETRIEVED)) {
            owner.settled(this);
        }
    }

    /** Reports it through the runtime's handler unless it was retrieved or reported; returns true if this call did. */
    boolean report(Reason reason) {
        if (fate == OPEN && FATE.compareAndSet(this, OPEN, REPORTED)) {
            owner.settled(this);
            owner.deliver(this, reason);
            return true;
        }
        return false;
    }

    /**
     * Failing thread, after COMPLETE and the join waker: watches {@code handle}, or, when the
     * task had none that the failing thread could see, the task itself (which the handle, if
     * one comes, references).
     */
    void watch(Object handle, Task<?> task) {
        if (fate != OPEN) {
            return; // taken already: nothing to watch
        }
        Object watched = handle != null ? handle : task;
        Cleaner.Cleanable c = Failures.cleaner().register(watched, this);
        watching = c;
        // Volatile store, then volatile load; settled() does the CAS, then loads watching:
        // one of the two sees the other, so a registration never outlives the fate's decision.
        if (fate != OPEN) {
            c.clean();
        }
        Reference.reachabilityFence(watched); // registered before it could be collected
    }

    /** Ends the Cleaner registration, if any (running this action again, which finds the fate decided). */
    void unwatch() {
        Cleaner.Cleanable c = watching;
        if (c != null) {
            c.clean();
        }
    }

    /** The Cleaner's action: the watched handle became unreachable. */
    @Override
    public void run() {
        report(Reason.HANDLE_DROPPED);
    }
}
