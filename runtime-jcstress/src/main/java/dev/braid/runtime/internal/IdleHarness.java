package dev.braid.runtime.internal;

/**
 * The parts of {@link MultiThreadScheduler} that run the {@link Idle} protocol, over the real
 * {@code Idle}, {@link LocalQueue}s and {@link Inject}, call for call, for the jcstress tests
 * of that protocol. What it leaves out touches neither {@code Idle} nor the queues: the LIFO
 * slots (a task in a slot is not visible to other workers, and a worker's own slot is
 * checked before it searches), the random choice of the first victim, the unpark itself
 * (it sets the woken core's permit; {@code Idle} has already counted that worker as
 * unparked and searching), timers, I/O and shutdown.
 *
 * <p>Each method names the scheduler code it copies; keep them in step. Methods that may wake
 * a worker return its index, or {@link #NOBODY}.
 */
final class IdleHarness {
    /** No worker was woken. */
    static final int NOBODY = -1;

    final Idle idle;
    final LocalQueue[] queues;
    final Inject inject = new Inject();

    IdleHarness(int workers) {
        idle = new Idle(workers);
        queues = new LocalQueue[workers];
        for (int i = 0; i < workers; i++) {
            queues[i] = new LocalQueue();
        }
    }

    /** Puts worker {@code w} to sleep before the test starts (a worker that parked while not searching). */
    void parked(int w) {
        idle.transitionWorkerToParked(w, false);
    }

    /** Makes a running worker a searcher before the test starts; it must succeed. */
    void searching() {
        if (!idle.transitionWorkerToSearching()) {
            throw new IllegalStateException("too many searchers for the set-up");
        }
    }

    /** {@code scheduleLocal} on worker {@code w}, for a task that goes to its local queue. */
    int pushLocal(int w, Task<?> task) {
        queues[w].pushBackOrOverflow(task, inject, null);
        return notifyParked();
    }

    /** {@code schedule} from a thread that is not a worker. */
    int pushRemote(Task<?> task) {
        inject.push(task);
        return notifyParked();
    }

    /** {@code stealWork} for searching worker {@code w}, victims in index order. */
    Task<?> steal(int w) {
        for (int i = 0; i < queues.length; i++) {
            if (i == w) {
                continue;
            }
            Task<?> t = queues[i].stealInto(queues[w], null);
            if (t != null) {
                return t;
            }
        }
        return inject.pop();
    }

    /** {@code runTask}'s prologue for a searching worker that found a task. */
    int stopSearching() {
        if (idle.transitionWorkerFromSearching()) {
            return notifyIfWorkPending();
        }
        return NOBODY;
    }

    /** {@code park}'s prologue for searching worker {@code w}, which found nothing. */
    int parkSearcher(int w) {
        boolean lastSearcher;
        synchronized (idle) {
            lastSearcher = idle.transitionWorkerToParked(w, true);
        }
        return lastSearcher ? notifyIfWorkPending() : NOBODY;
    }

    /** {@code notifyParked}, without the unpark. */
    int notifyParked() {
        return idle.workerToNotify();
    }

    /** {@code notifyIfWorkPending}. */
    int notifyIfWorkPending() {
        for (LocalQueue q : queues) {
            if (!q.isEmpty()) {
                return notifyParked();
            }
        }
        if (!inject.isEmpty()) {
            return notifyParked();
        }
        return NOBODY;
    }
}
