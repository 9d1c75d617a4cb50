package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.runtime.internal.StrandScheduler;
import dev.braid.runtime.internal.Task;

/**
 * A serial executor on a runtime: its tasks never run on two threads at once (so they may
 * share unsynchronised state, or a single-threaded guest-language context), yet the strand
 * moves freely between workers between slices, and many strands run in parallel. A busy
 * strand yields to the rest of the runtime after each slice of
 * {@code strandSliceTasks} polls.
 *
 * <p>Happens-before: everything one task of the strand did in a poll is visible to the next
 * poll of any task of the same strand.
 */
public final class Strand {
    private final BraidRuntime runtime;
    private final StrandScheduler strand;

    Strand(BraidRuntime runtime, StrandScheduler strand) {
        this.runtime = runtime;
        this.strand = strand;
    }

    public <T> JoinHandle<T> spawn(Future<T> future) {
        return new JoinHandle<>(spawnTask(null, future));
    }

    public <T> JoinHandle<T> spawn(String name, Future<T> future) {
        return new JoinHandle<>(spawnTask(name, future));
    }

    <T> Task<T> spawnTask(String name, Future<T> future) {
        return strand.spawn(future, name, SpawnSites.capture(runtime.config().spawnSiteCapture(), future));
    }

    public String name() {
        return strand.name();
    }

    /** Tasks spawned on the strand and not yet complete (running, queued or waiting). */
    public int liveTasks() {
        return strand.liveTasks();
    }

    /**
     * Completes once the strand has no live task: at once if it has none now. A job that
     * runs on a strand waits for this to know that all the work it started has ended (tasks
     * spawned after it completed make it busy again, unseen by this stage).
     */
    public java.util.concurrent.CompletableFuture<Void> whenIdle() {
        java.util.concurrent.CompletableFuture<Void> idle = new java.util.concurrent.CompletableFuture<>();
        strand.whenIdle(() -> idle.complete(null));
        return idle;
    }

    /**
     * Code run around each slice, on the slice's thread: {@code enter} before the first task
     * of a slice, {@code leave} after the last (also when a task failed). A strand that drives
     * a guest-language context enters the context once per slice instead of once per call.
     * A task that calls {@code blockInPlace} ends its slice, so a slice never changes thread.
     */
    public interface SliceHooks {
        void enter();

        void leave();

        /**
         * Whether {@code failure}, what one of the strand's tasks threw, is the consequence of
         * the owner cancelling the strand's work (a guest session interrupting the guest code
         * it runs) rather than a failure of the task's own: if so, it is never reported as an
         * {@link UnretrievedFailure}, as a cancellation would not be. Its joiners still get it.
         * Called on the thread the task failed on; what it throws counts as false.
         */
        default boolean isCancellation(Throwable failure) {
            return false;
        }
    }

    /**
     * Reports every failure of this strand's tasks that nobody has retrieved yet through the
     * runtime's {@linkplain BraidRuntime.Builder#onUnretrievedFailure handler}, with reason
     * {@link UnretrievedFailure.Reason#SESSION_ENDED}, and returns how many it reported. For
     * the owner of a strand whose work has ended (a guest session that closes), so that
     * failures nobody waited for are reported now rather than when the garbage collector
     * finds their handles. Each failure is reported at most once; one retrieved later is
     * still handed to its joiner.
     */
    public int reportUnretrievedFailures() {
        return strand.runtime().failures.reportStrand(strand.id(), UnretrievedFailure.Reason.SESSION_ENDED);
    }

    /** Slices run so far. */
    public long slices() {
        return strand.slices();
    }

    /** Tasks waiting for the next slice. */
    public int queued() {
        return strand.queued();
    }

    public BraidRuntime runtime() {
        return runtime;
    }

    @Override
    public String toString() {
        return "Strand[" + name() + "]";
    }
}
