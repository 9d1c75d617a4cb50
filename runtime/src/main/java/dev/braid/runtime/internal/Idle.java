package dev.braid.runtime.internal;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which workers are parked and how many are searching for work, so that a new task wakes at
 * most one parked worker, and only when nobody is already searching (Tokio's {@code idle.rs}).
 *
 * <h2>Counters</h2>
 * {@code state} packs the number of searching workers (high 16 bits) and of unparked
 * workers (low 16 bits). A worker woken by {@link #workerToNotify()} is counted as both
 * unparked and searching before it runs, so two wake-ups in a row do not wake two workers.
 *
 * <h2>The searching hand-off</h2>
 * <ol>
 *   <li>A worker that finds no local work becomes a searcher, unless half the workers
 *       already are ({@link #transitionWorkerToSearching()}).
 *   <li>A searcher that finds a task stops searching; if it was the last searcher and work is
 *       left in some queue, it wakes one more parked worker, which carries on the search (the
 *       chain is what spreads bursts of work over all workers). Tokio wakes one whether or
 *       not work is left; with nothing left, that worker only searches and parks again.
 *   <li>A searcher that finds nothing parks; if it was the last searcher it checks every
 *       queue once more, so that work pushed while everybody searched is not stranded.
 * </ol>
 * The sleeper list, and the unpark count when it changes, are guarded by {@code this}.
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
        // StoreLoad: this read must not move before the caller's release store of a local
        // queue's tail. Pairs with the getAndAdd in transitionWorkerToParked, after which the
        // last searcher re-checks every queue. A full fence costs a locked instruction on the
        // caller's own stack line; an RMW on state would bounce its line between workers.
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

    /** Registers the worker as parked. Returns true if it was the last searcher. */
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

    /** Returns true if the caller was the last searcher. */
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
