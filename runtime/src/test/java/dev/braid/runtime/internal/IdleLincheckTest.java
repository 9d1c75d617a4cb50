package dev.braid.runtime.internal;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checking of the {@link Idle} protocol with three workers and one thread outside the
 * runtime that pushes tasks: no pushed task is ever stranded with every worker parked.
 *
 * <p>The workers and the pusher run what {@link MultiThreadScheduler} runs, over the real
 * {@code Idle} and the real {@link Inject} queue (the "small queue": in this model the
 * workers' LIFO slots and local queues stay empty, so the inject queue is where they find
 * work, steal from and re-check):
 * <ul>
 *   <li>the pusher, as {@code schedule} from a foreign thread: push, then
 *       {@link Idle#workerToNotify()}; the unpark itself is Idle's bookkeeping, as a woken
 *       worker leaves its wait once {@link Idle#isParked} says so;
 *   <li>a worker, one pass of {@code workerLoop} per operation: if it waits in {@code park}
 *       and is still parked it stays asleep; woken, it searches (the notifier counted it as
 *       searching). Then {@code nextTask}, {@code stealWork} (becoming a searcher if fewer
 *       than half are), and either {@code runTask}'s prologue (stop searching; as last
 *       searcher re-check the queues) or {@code park}'s (register as parked; as last
 *       searcher re-check the queues).
 * </ul>
 * Operations return nothing. Thread roles are non-parallel groups as in
 * {@link LocalQueueLincheckTest}: with four threads each group gets its own. The validation
 * function runs after the scenario, when every thread has finished its operations: a task
 * still queued then must have a worker that is not parked, since a worker that is not parked
 * passes through its loop again and finds it. Lincheck assumes sequential consistency, so
 * this checks the protocol's interleavings, not its fences: the jcstress tests in
 * {@code runtime-jcstress} check those.
 */
final class IdleLincheckTest {
    private static final int WORKERS = 3;
    private static final int THREADS = WORKERS + 1;

    public static final class Ops {
        private final Idle idle = new Idle(WORKERS);
        private final Inject inject = new Inject();
        private final TestTasks tasks = new TestTasks(32);
        /** Tasks pushed so far; touched by the pusher's thread only. */
        private int pushed;
        /** {@code Core.searching} of each worker; entry w is touched by worker w's thread only. */
        private final boolean[] searching = new boolean[WORKERS];
        /** Whether worker w is in {@code park}'s wait loop; its own thread only. */
        private final boolean[] waiting = new boolean[WORKERS];

        @Operation(nonParallelGroup = "pusher")
        public void push() {
            inject.push(tasks.get(pushed++));
            notifyParked();
        }

        @Operation(nonParallelGroup = "worker0")
        public void worker0() {
            pass(0);
        }

        @Operation(nonParallelGroup = "worker1")
        public void worker1() {
            pass(1);
        }

        @Operation(nonParallelGroup = "worker2")
        public void worker2() {
            pass(2);
        }

        /** One pass of {@code workerLoop} for worker {@code w}. */
        private void pass(int w) {
            if (waiting[w]) {
                if (idle.isParked(w)) {
                    return; // asleep: park() waits while Idle says it is parked
                }
                waiting[w] = false;
                searching[w] = true; // park(): a notifier counted us as searching
            }
            Task<?> t = inject.pop(); // nextTask
            if (t == null) {
                t = stealWork(w);
            }
            if (t != null) {
                runTask(w);
            } else {
                park(w);
            }
        }

        private Task<?> stealWork(int w) {
            if (!searching[w]) {
                searching[w] = idle.transitionWorkerToSearching();
                if (!searching[w]) {
                    return null;
                }
            }
            return inject.pop(); // no other queue holds anything here
        }

        /** {@code runTask} up to the poll (the task itself does nothing). */
        private void runTask(int w) {
            if (searching[w]) {
                searching[w] = false;
                if (idle.transitionWorkerFromSearching()) {
                    notifyIfWorkPending();
                }
            }
        }

        /** {@code park} up to its wait loop. */
        private void park(int w) {
            boolean wasSearching = searching[w];
            boolean lastSearcher;
            synchronized (idle) {
                searching[w] = false;
                lastSearcher = idle.transitionWorkerToParked(w, wasSearching);
            }
            if (lastSearcher) {
                notifyIfWorkPending();
            }
            waiting[w] = true;
        }

        private void notifyParked() {
            idle.workerToNotify(); // the woken worker sees it in isParked
        }

        private void notifyIfWorkPending() {
            if (!inject.isEmpty()) {
                notifyParked();
            }
        }

        @Validate
        public void noTaskStrandedWithEveryWorkerParked() {
            if (!inject.isEmpty() && idle.numParked() == WORKERS) {
                throw new IllegalStateException(inject.len() + " of " + pushed
                        + " pushed tasks wait in the inject queue, and all " + WORKERS
                        + " workers are parked: nobody will run them");
            }
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(300))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(0)
                .check(Ops.class);
    }

    /**
     * Real threads, for what the model checker cannot see. Half the usual invocations: four
     * threads cost more per run, and the window a broken protocol leaves (between a
     * searcher's last look and its park) is too narrow for a stress run to hit often anyway.
     */
    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(2000))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(0)
                .check(Ops.class);
    }
}
