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
 * <p>The action of the {@link Cleaner} registration that watches the task's handle
 * references it, so it must not reference the task or the handle, or anything that holds
 * them (an executor does: its queues and poll context keep the tasks they ran): what it
 * references stays reachable while the registration lives. Hence the strand as an id.
 */
final class Failure extends Task.Finished {
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
    /** Decided by a CAS through {@link #FATE}; read plainly as a volatile. */
    private volatile int fate;
    /** The current Cleaner registration, or null; guarded by this. */
    private Watch watch;
    /** Whether {@link #watch} watches the handle (not the task); guarded by this. */
    private boolean watchingHandle;

    Failure(Task.Outcome outcome, Throwable error, long taskId, String taskName, Object spawnSite, long strandId,
            Failures owner) {
        super(outcome, error);
        this.taskId = taskId;
        this.taskName = taskName;
        this.spawnSite = spawnSite;
        this.strandId = strandId;
        this.owner = owner;
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
     * Watches {@code target} for the Cleaner: the task's handle ({@code isHandle}), or, when
     * the failing thread found none, the task itself (which a handle bound later references).
     * A handle replaces a task being watched; nothing replaces a handle. Called by the
     * failing thread after COMPLETE and the join waker, and by a spawner whose handle came
     * late ({@link Task#bindHandle}); failure paths only, hence the lock.
     */
    synchronized void watch(Object target, boolean isHandle) {
        if (fate != OPEN || watchingHandle || (watch != null && !isHandle)) {
            return;
        }
        Watch previous = watch;
        Watch w = new Watch(this);
        w.registration = Failures.cleaner().register(target, w);
        watch = w;
        watchingHandle = isHandle;
        if (previous != null) {
            previous.registration.clean(); // no longer current: its run does nothing
        }
        // watch is read by settled() after its CAS of fate, under this lock: a fate decided
        // after the check above finds this registration and ends it.
        Reference.reachabilityFence(target); // registered before it could be collected
    }

    /** Ends the Cleaner registration, if any. Called once the fate is decided. */
    void unwatch() {
        Watch w;
        synchronized (this) {
            w = watch;
            watch = null;
        }
        if (w != null) {
            w.registration.clean(); // runs w, which finds the fate decided or w replaced
        }
    }

    /** The Cleaner found {@code w}'s target unreachable: report, unless {@code w} was replaced. */
    private void collected(Watch w) {
        synchronized (this) {
            if (watch != w) {
                return;
            }
        }
        report(Reason.HANDLE_DROPPED);
    }

    /**
     * One Cleaner registration's action. Separate from the failure so that a replaced or ended
     * registration can be told from the current one; like the failure, it references neither
     * the task nor the handle.
     */
    private static final class Watch implements Runnable {
        private final Failure failure;
        Cleaner.Cleanable registration;

        Watch(Failure failure) {
            this.failure = failure;
        }

        @Override
        public void run() {
            failure.collected(this);
        }
    }
}
