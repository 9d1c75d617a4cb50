package dev.braid.runtime.internal;

import dev.braid.runtime.UnretrievedFailure;
import dev.braid.runtime.UnretrievedFailure.Reason;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A runtime's failures that nobody has retrieved yet, and their reports: a failed task whose
 * outcome no joiner takes is reported once, like asyncio's "Task exception was never
 * retrieved", instead of vanishing.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Spawn: the join handle (or {@code JoinSet} entry) stores itself in the task
 *       ({@link Task#bindHandle}: one plain store, one read of the task's state). Nothing
 *       else happens for a task that succeeds, or that is cancelled without its drop hook
 *       throwing.
 *   <li>Failure (the thread that completes the task): {@link #track} makes a {@link Failure},
 *       adds it to {@link #open} and stores it as the task's output, all before COMPLETE
 *       is published, so a joiner that sees the failure also sees it tracked. After COMPLETE
 *       and the join waker, {@link Failure#watch} registers it with the {@link Cleaner} on
 *       the handle, which the task then stops referencing.
 *   <li>Retrieval (a joiner, {@link Task#takeFailure}): fate OPEN → RETRIEVED; the failure
 *       leaves {@link #open} and its Cleaner registration ends.
 *   <li>Report (the Cleaner thread when the handle was collected; the caller of
 *       {@link #reportStrand} or {@link #reportAll}): fate OPEN → REPORTED, then the
 *       handler runs. The handler is user code: what it throws is logged, never passed on.
 * </ol>
 *
 * <h2>Races</h2>
 * <ul>
 *   <li>The handle is stored after the task was published, so a task that fails at once on
 *       another thread (a worker that was spinning for work, a strand's driver) may not see
 *       it. The failing thread then watches the task itself, and the spawner, which reads
 *       the state right after storing the handle, finds the task complete and hands the
 *       handle over to the failure ({@link Task#bindHandle}). Both can miss each other only
 *       in a store-buffering window (the spawner's store not yet visible when the failing
 *       thread reads the field, the failing thread's CAS not yet visible when the spawner
 *       reads the state), which closing would take a fence on every spawn. Then the task
 *       stays watched: the handle references the task, so the task becomes unreachable no
 *       sooner than the handle; later if a stale reference to it remains in a worker's
 *       local run queue, and then the report comes at the next sweep. A {@code JoinSet}
 *       entry has no such window: the entry's registration as join waker, a volatile store
 *       and load, follows the handle's store, and the failing thread reads the join waker
 *       after its CAS.
 *   <li>Until it fails, the task references its handle, so a dropped handle cannot be
 *       collected before the failure; the failing thread holds it until it is watched.
 *   <li>A joiner and a report racing for the fate: one CAS decides.
 *   <li>A registration racing with the fate's decision, or with the hand-over of a handle:
 *       {@link Failure#watch} and {@link Failure#unwatch} take the failure's lock.
 * </ul>
 *
 * <p>The Cleaner is one daemon thread for the whole JVM, started by the first failure.
 */
public final class Failures {
    /** The default handler: {@link #log}. */
    static final Consumer<UnretrievedFailure> LOG = Failures::log;
    /** For a failure whose runtime cannot be found (see {@link #of}); never expected. */
    private static final Failures UNOWNED = new Failures();

    private final Set<Failure> open = ConcurrentHashMap.newKeySet();
    private volatile Consumer<? super UnretrievedFailure> handler = LOG;

    /** The default handler: one {@code ERROR} record on the runtime's logger, with the exception. */
    private static void log(UnretrievedFailure r) {
        Diagnostics.LOG.log(System.Logger.Level.ERROR, r.toString(), r.exception());
    }

    /** Sets the handler (null: the default, which logs). */
    public void handler(Consumer<? super UnretrievedFailure> h) {
        handler = h != null ? h : LOG;
    }

    /**
     * Failing thread, before COMPLETE: the task's output for {@code error}, a tracked
     * {@link Failure}, or an untracked one when the task's strand says that its owner's
     * cancellation caused it.
     */
    static Task.Finished track(Task<?> task, Task.Outcome outcome, Throwable error) {
        Schedule s = task.scheduler();
        long strand = 0;
        if (s instanceof StrandScheduler st) {
            if (st.isCancellation(error)) {
                return new Task.Finished(outcome, error);
            }
            strand = st.id();
        }
        Failures owner = of(s);
        Failure f = new Failure(outcome, error, task.id(), task.name(), task.spawnSite(), strand, owner);
        owner.open.add(f);
        return f;
    }

    /** The failures of the runtime that {@code s} belongs to. */
    private static Failures of(Schedule s) {
        if (s instanceof Scheduler r) {
            return r.failures;
        }
        if (s instanceof StrandScheduler st) {
            return st.runtime().failures;
        }
        // The blocking pool: its tasks fail only inside their poll, on the pool's own threads
        // (a task cancelled while queued has a drop hook that cannot throw).
        Scheduler r = Scheduler.current();
        return r != null ? r.failures : UNOWNED;
    }

    /** The failure left {@link #open} (retrieved or reported): forget it and its registration. */
    void settled(Failure f) {
        open.remove(f);
        f.unwatch();
    }

    /** Runs the handler for {@code f}; any thread. */
    void deliver(Failure f, Reason reason) {
        UnretrievedFailure report = new UnretrievedFailure(f.taskId, f.taskName, Diagnostics.describeSite(f.spawnSite),
                f.error, f.outcome == Task.Outcome.CANCELLED, reason);
        try {
            handler.accept(report);
        } catch (Throwable t) {
            try {
                Diagnostics.LOG.log(System.Logger.Level.WARNING, "the unretrieved-failure handler threw while handling: "
                        + report + "; the handler's exception is attached", t);
            } catch (Throwable ignored) {
                // a logger that throws too: nothing left to tell
            }
        }
    }

    /** Reports the open failures of the strand {@code strandId}; returns how many. */
    public int reportStrand(long strandId, Reason reason) {
        return report(f -> f.strandId == strandId, reason);
    }

    /** Reports every open failure; returns how many. */
    public int reportAll(Reason reason) {
        return report(f -> true, reason);
    }

    private int report(Predicate<Failure> which, Reason reason) {
        List<Failure> due = new ArrayList<>();
        for (Failure f : open) {
            if (which.test(f)) {
                due.add(f);
            }
        }
        due.sort(Comparator.comparingLong(f -> f.taskId)); // in spawn order, for readers and tests
        int n = 0;
        for (Failure f : due) {
            if (f.report(reason)) {
                n++;
            }
        }
        return n;
    }

    static Cleaner cleaner() {
        return Watcher.CLEANER;
    }

    /** Holds the Cleaner, so that its thread starts with the first failure, not with the class. */
    private static final class Watcher {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "braid-unretrieved-failures");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String toString() {
        return "Failures(" + open.size() + " open)";
    }
}
