package dev.braid.runtime.internal;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which workers are parked and how many are searching for work, so that a new task wakes at
 * most one parked worker, and only when nobody is already searching (Tokio's {@code idle.rs}).
 * This class owns the wake-up protocol; its invariant is stated here, once.
 *
 * <h2>Counters</h2>
 * {@code state} packs the number of searching workers (high 16 bits) and of unparked
 * workers (low 16 bits). A worker woken by {@link #workerToNotify()} is counted as both
 * unparked and searching before it runs, so two wake-ups in a row do not wake two workers.
 * The sleeper list, and the unparked count when it changes, are guarded by {@code this}, so
 * under that lock the unparked count is {@code numWorkers} minus the number of sleepers:
 * fewer than all unparked means a sleeper to wake.
 *
 * <h2>The searching hand-off</h2>
 * <ol>
 *   <li>A worker that finds no work of its own becomes a searcher, unless half the workers
 *       already are ({@link #transitionWorkerToSearching()}).
 *   <li>A searcher that finds a task stops searching; if it was the last searcher and work is
 *       left in some queue, it wakes one more parked worker, which carries on the search (the
 *       chain is what spreads bursts of work over all workers). Tokio wakes one whether or
 *       not work is left; with nothing left, that worker only searches and parks again, a
 *       futex wake-up per task when one task at a time is runnable (a chain of spawns,
 *       requests one at a time from outside).
 *   <li>A searcher that finds nothing parks; if it was the last searcher it looks at every
 *       queue once more (the re-check of invariant 1).
 * </ol>
 *
 * <h2>Invariant 1: no wake-up is lost</h2>
 * A task pushed into a run queue that other workers take from (the inject queue, or a
 * worker's local queue) is never left there while every worker is parked. (This assumes
 * polls return; a poll that blocks its worker is the monitor's business.) Every worker looks
 * at its own LIFO slot, its own local queue and the inject queue before it parks
 * ({@code MultiThreadScheduler.nextTask}); the protocol is what makes other workers come.
 * <ol>
 *   <li><b>Pusher.</b> It publishes the task (a release store of a local queue's tail, or a
 *       volatile store of {@code Inject.len}), then calls {@link #workerToNotify}, whose
 *       {@link #notifyShouldWakeup} executes a full fence and then reads {@code state}. If it
 *       reads no searcher and fewer than all workers unparked, it takes the lock, reads
 *       again, and wakes one sleeper, counted as searching.
 *   <li><b>Workers.</b> Every change of the two counts is an atomic read-modify-write of
 *       {@code state}, itself a full fence: becoming a searcher, stopping, parking, being
 *       woken. A worker whose RMW takes the searching count to zero is the last searcher and
 *       looks at every queue afterwards: after {@link #transitionWorkerToParked} or
 *       {@link #transitionWorkerFromSearching} returns true, the scheduler calls
 *       {@code notifyIfWorkPending}, which wakes a worker (step 1's notification) if any
 *       local queue or the inject queue holds a task. ({@code blockInPlace} and
 *       {@code retire} call {@code notifyParked} without looking.)
 *   <li><b>The pairing.</b> Step 1's fence pairs with every RMW of step 2 (store, fence, load
 *       against RMW, load): either the pusher's read of {@code state} sees the RMW, or the
 *       loads that follow the RMW see the task. So a pusher that saw a searcher, and woke
 *       nobody, is covered by that searcher's side: the last searcher stops after the
 *       pusher's read and its re-check sees the task. This is the window the re-check
 *       closes: a searcher that scanned a queue just before the push.
 *   <li><b>Why it is enough.</b> Suppose a task stays queued and every worker ends up
 *       parked. Take the last RMW before that which takes the searching count to zero. It
 *       is a worker parking as the last searcher: a worker that stops searching any other
 *       way (to run a task, or in {@code blockInPlace}) must park later, and then could
 *       neither search again (that needs a later zero) nor give up searching
 *       ({@link #transitionWorkerToSearching} refuses only while others search).
 *       If that park comes after the pusher's read, its re-check sees the task (3); if
 *       before, the pusher read no searcher and a parked worker (1). Either way a worker is
 *       woken as a searcher, and its search must end in a later zero: a contradiction.
 *   <li><b>The wake-up itself</b> is not lost either: {@code Core.unpark} sets a permit that
 *       {@code Core.park} consumes, the parked worker re-reads {@link #isParked} under the
 *       lock before it sleeps again, and a worker that sleeps in the I/O selector publishes
 *       that first and is woken through the selector ({@code IoParker}).
 * </ol>
 * Not pushes in this sense: filling a LIFO slot (only its owner takes from it, and the monitor
 * from a stalled worker), and moving tasks that are already queued (a batch from the inject
 * queue into the mover's own queue, half a full local queue into the inject queue), since the
 * mover is awake and looks at both before it parks.
 *
 * <p><b>The one exception, on purpose.</b> When a worker has run tasks from its LIFO slot
 * {@code maxLifoPollsPerTick} times in a row after a poll, the next one it takes from the
 * slot goes to the back of its own local queue (or, if that is full, with half of it to the
 * inject queue) and nobody is notified, even if workers are parked and none searches. The task is still never
 * stranded: its pusher owns that queue, is awake, and looks at both queues before it parks.
 * What is given up is only that an idle worker comes to share it, deliberately: one that came
 * would steal a chain of tasks that wake each other and move it to another core at every
 * cap. Should the owner's next poll block, the monitor hands its queue on and wakes a parked
 * worker ({@code WorkerMonitor.handOn}).
 */
final class Idle {
    private static final int UNPARK_MASK = 0xFFFF;
    private static final int SEARCH_ONE = 1 << 16;

    private final AtomicInteger state;
    private final int numWorkers;
    /** Guarded by {@code this}: a stack of parked worker indices. */
    private final int[] sleepers;
    private int numSleepers;
    private final boolean[] parked;

    Idle(int numWorkers) {
        this.numWorkers = numWorkers;
        this.state = new AtomicInteger(numWorkers); // all unparked, none searching
        this.sleepers = new int[numWorkers];
        this.parked = new boolean[numWorkers];
    }

    static int searching(int s) {
        return s >>> 16;
    }

    static int unparked(int s) {
        return s & UNPARK_MASK;
    }

    private boolean notifyShouldWakeup() {
        // Step 1 of invariant 1 (class comment): the StoreLoad fence keeps this read after the
        // caller's store of the task and pairs with every RMW on state. A full fence costs a
        // locked instruction on the caller's own stack line; an RMW on state would bounce its
        // line between workers.
        VarHandle.fullFence();
        int s = state.get();
        return searching(s) == 0 && unparked(s) < numWorkers;
    }

    /** Picks a parked worker to wake (counted as unparked and searching), or -1. */
    int workerToNotify() {
        if (!notifyShouldWakeup()) {
            return -1;
        }
        synchronized (this) {
            if (!notifyShouldWakeup() || numSleepers == 0) {
                return -1;
            }
            state.addAndGet(SEARCH_ONE + 1);
            int w = sleepers[--numSleepers];
            parked[w] = false;
            return w;
        }
    }

    /** Registers the worker as parked. Returns true if it was the last searcher: the caller
     *  must then look at every queue (invariant 1). */
    boolean transitionWorkerToParked(int worker, boolean isSearching) {
        synchronized (this) {
            int dec = 1 + (isSearching ? SEARCH_ONE : 0);
            int prev = state.getAndAdd(-dec);
            sleepers[numSleepers++] = worker;
            parked[worker] = true;
            return isSearching && searching(prev) == 1;
        }
    }

    boolean transitionWorkerToSearching() {
        int s = state.get();
        if (2 * searching(s) >= numWorkers) {
            return false;
        }
        // Racy with the check above by design (Tokio does the same): at worst one extra searcher.
        state.addAndGet(SEARCH_ONE);
        return true;
    }

    /** Returns true if the caller was the last searcher: it must then look at every queue
     *  (invariant 1). */
    boolean transitionWorkerFromSearching() {
        int prev = state.getAndAdd(-SEARCH_ONE);
        return searching(prev) == 1;
    }

    /**
     * Takes a parked worker off the sleeper list as unparked but not searching (it found work
     * of its own while parked: timers it fired). Returns false if it was not parked.
     */
    synchronized boolean unparkWorker(int worker) {
        if (!parked[worker]) {
            return false;
        }
        for (int i = 0; i < numSleepers; i++) {
            if (sleepers[i] == worker) {
                System.arraycopy(sleepers, i + 1, sleepers, i, numSleepers - i - 1);
                numSleepers--;
                break;
            }
        }
        parked[worker] = false;
        state.addAndGet(1);
        return true;
    }

    /** A parked worker (left on the sleeper list), or -1 if none is parked. */
    synchronized int anyParked() {
        return numSleepers == 0 ? -1 : sleepers[numSleepers - 1];
    }

    synchronized boolean isParked(int worker) {
        return parked[worker];
    }

    /** Wakes every sleeper for shutdown; returns nothing, the caller unparks them all. */
    synchronized void unparkAll() {
        for (int i = 0; i < numSleepers; i++) {
            parked[sleepers[i]] = false;
        }
        state.addAndGet(numSleepers);
        numSleepers = 0;
    }

    int numSearching() {
        return searching(state.get());
    }

    synchronized int numParked() {
        return numSleepers;
    }
}
