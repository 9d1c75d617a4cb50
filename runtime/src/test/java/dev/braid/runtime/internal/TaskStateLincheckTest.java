package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Lincheck test of the task state machine ({@link Task}, {@link TaskState}): wake-ups,
 * aborts and join registrations from any thread against one executor thread that pops the
 * task from its run queue and runs it, checked against a sequential model of the task.
 *
 * <h2>Set-up</h2>
 * One task, created idle ({@link Task#idle}). A spawned task is born scheduled and queued
 * by its spawner, the same state as an idle task after a {@code wake()}; that path is
 * exercised by {@link TaskStateStressTest}. The task's {@link Schedule} records the task in a run queue (a deque under a lock) and
 * records a violation if the task is already in it (scheduled twice without a run in
 * between). Its future yields on poll 1 (wakes itself, then returns pending), returns
 * pending on poll 2 and is ready on poll {@value Ops#READY_ON_POLL}. It records a violation
 * if it is polled concurrently, after it was dropped or after it completed, dropped during a
 * poll, twice or after completing, or polled in a run that began after an {@code abort()}
 * call had returned (that run must see the cancellation). The validation function, run
 * after each scenario, fails on any violation and checks that {@code release} ran once per
 * completion, that the future was dropped iff the task ended cancelled, and that the join
 * waker was woken at most once, never before completion, and not missed.
 *
 * <h2>Roles</h2>
 * {@code runOnce} and {@code shutdown} are in the non-parallel group {@code executor}: one
 * thread runs the task, as a worker does, and shutdown never overlaps a run (the runtime
 * shuts tasks down after its workers stopped). The other operations run on any thread.
 *
 * <h2>Observations</h2>
 * {@code runOnce} pops one entry from the run queue and runs it: {@code EMPTY} (no entry,
 * or a stale one: the task was claimed by shutdown while queued), {@code PENDING} (polled,
 * still pending), {@code READY} (polled to completion) or {@code CANCELLED} (the future was
 * dropped). A wake-up moves the state to scheduled before it calls {@code schedule}; a
 * {@code runOnce} that finds the queue empty while the state says scheduled waits for that
 * entry (an executor would find it a moment later), so {@code EMPTY} means "not scheduled".
 *
 * <p>Two things are deliberately not observed. The future's poll count: an abort that lands
 * during a poll makes that run end {@code CANCELLED}, as if the abort came just before the
 * run, which had then not polled. Stale entries: shutdown sets {@code CANCELLED} before it
 * completes the task, so an abort in that window does nothing, although an
 * {@code outcome()} that saw the task incomplete after the abort may force the model to
 * order the abort first, where it would have queued the task.
 */
final class TaskStateLincheckTest {
    private static final int THREADS = 3;

    public static final class Ops {
        static final int READY_ON_POLL = 3;

        private final ArrayDeque<Task<?>> runQueue = new ArrayDeque<>();
        private volatile String violation;
        private volatile int releases;
        private final TestFuture future = new TestFuture();
        private final Task<Integer> task;
        private final Context cx = new Context(Waker.NOOP);
        /** Join waker wake-ups, and whether each saw the task complete. */
        private volatile int joinWakes;
        private volatile boolean joinWokenEarly;
        private volatile boolean joinedIncomplete;
        private volatile boolean joinedComplete;
        private final Waker joinWaker = this::onJoinWake;
        /** Set once an {@code abort()} call has returned. */
        private volatile boolean aborted;
        /** Whether the current run started after an abort returned (executor thread only). */
        private boolean runAfterAbort;

        public Ops() {
            Schedule schedule = new Schedule() {
                @Override
                public void schedule(Task<?> t, boolean isYield) {
                    synchronized (runQueue) {
                        if (runQueue.contains(t)) {
                            violate("scheduled twice without a run in between");
                        }
                        runQueue.addLast(t);
                    }
                }

                @Override
                public void release(Task<?> t) {
                    releases++; // complete() runs once, by the holder of RUNNING
                }

                @Override
                public boolean register(Task<?> t) {
                    return true;
                }
            };
            task = Task.idle(future, schedule, null, null);
        }

        private void violate(String what) {
            if (violation == null) {
                violation = what;
            }
        }

        private void onJoinWake() {
            joinWakes++;
            if (!task.isComplete()) {
                joinWokenEarly = true;
            }
        }

        /** The task's future: see the class comment. */
        private final class TestFuture implements Future<Integer> {
            int polls;
            boolean inPoll;
            boolean dropped;
            boolean finished;

            @Override
            public Poll<Integer> poll(Context c) {
                if (inPoll) {
                    violate("polled concurrently");
                }
                if (dropped) {
                    violate("polled after drop");
                }
                if (finished) {
                    violate("polled after it completed");
                }
                if (runAfterAbort) {
                    violate("polled in a run that started after abort() returned");
                }
                inPoll = true;
                int n = ++polls;
                Poll<Integer> p;
                if (n >= READY_ON_POLL) {
                    finished = true;
                    p = Poll.ready(n);
                } else {
                    if (n == 1) {
                        c.waker().wake(); // yield
                    }
                    p = Poll.pending();
                }
                inPoll = false;
                return p;
            }

            @Override
            public void drop() {
                if (inPoll) {
                    violate("dropped during a poll");
                }
                if (dropped) {
                    violate("dropped twice");
                }
                if (finished) {
                    violate("dropped after it completed");
                }
                dropped = true;
            }
        }

        @Operation
        public void wake() {
            task.wake();
        }

        @Operation
        public void abort() {
            task.abort();
            aborted = true;
        }

        @Operation(nonParallelGroup = "executor")
        public String runOnce() {
            Task<?> t;
            for (;;) {
                synchronized (runQueue) {
                    t = runQueue.pollFirst();
                }
                if (t != null) {
                    break;
                }
                int s = task.rawState();
                boolean scheduled = TaskState.isNotified(s) && !TaskState.isRunning(s) && !TaskState.isComplete(s);
                if (!scheduled) {
                    return "EMPTY";
                }
                // A wake-up or abort has moved it to scheduled and is about to queue it.
            }
            int pollsBefore = future.polls;
            runAfterAbort = aborted;
            boolean done = t.run(cx, Context.DEFAULT_BUDGET);
            boolean polled = future.polls != pollsBefore;
            if (!done) {
                // Not polled: a stale entry (the task was claimed by shutdown while queued).
                return polled ? "PENDING" : "EMPTY";
            }
            if (!task.isComplete()) {
                violate("run() returned true but the task is not complete");
            }
            return switch (task.outcome()) {
                case OK -> "READY";
                case CANCELLED -> "CANCELLED";
                case FAILED -> "FAILED: " + task.failure();
            };
        }

        @Operation(nonParallelGroup = "executor")
        public void shutdown() {
            task.shutdown();
        }

        @Operation
        public String outcome() {
            return task.isComplete() ? task.outcome().name() : "INCOMPLETE";
        }

        /** Registers the join waker; true if the task was already complete. */
        @Operation
        public boolean join() {
            boolean complete = task.registerJoinWaker(joinWaker);
            if (complete) {
                joinedComplete = true;
            } else {
                joinedIncomplete = true;
            }
            return complete;
        }

        /** Whether a joiner knows the task finished: a join saw it complete, or the join waker ran. */
        @Operation
        public boolean joinDone() {
            return joinedComplete || joinWakes > 0;
        }

        @Validate
        public void invariants() {
            if (violation != null) {
                throw new IllegalStateException(violation);
            }
            boolean complete = task.isComplete();
            if (releases != (complete ? 1 : 0)) {
                throw new IllegalStateException("release ran " + releases + " times; complete=" + complete);
            }
            if (future.dropped != (complete && task.outcome() == Task.Outcome.CANCELLED)) {
                throw new IllegalStateException("dropped=" + future.dropped + " but complete=" + complete
                        + (complete ? ", outcome " + task.outcome() : ""));
            }
            if (joinWokenEarly) {
                throw new IllegalStateException("join waker woken before completion");
            }
            if (joinWakes > 1) {
                throw new IllegalStateException("join waker woken " + joinWakes + " times");
            }
            if (complete && joinedIncomplete && joinWakes == 0) {
                throw new IllegalStateException("join waker registered before completion but never woken");
            }
        }
    }

    /** The sequential model of one task. */
    public static final class Spec {
        private enum State { IDLE, SCHEDULED, COMPLETE }

        private State state = State.IDLE;
        private boolean cancelled;
        private int polls;
        private String outcome = "INCOMPLETE";
        private boolean joined;

        public void wake() {
            if (state == State.IDLE) {
                state = State.SCHEDULED;
            }
        }

        public void abort() {
            if (state == State.COMPLETE || cancelled) {
                return;
            }
            cancelled = true;
            wake();
        }

        public String runOnce() {
            if (state != State.SCHEDULED) {
                return "EMPTY"; // nothing queued, or only a stale entry
            }
            if (cancelled) {
                state = State.COMPLETE;
                outcome = "CANCELLED";
                return "CANCELLED";
            }
            polls++;
            if (polls >= Ops.READY_ON_POLL) {
                state = State.COMPLETE;
                outcome = "OK";
                return "READY";
            }
            state = State.IDLE;
            if (polls == 1) {
                wake(); // the future yields
            }
            return "PENDING";
        }

        public void shutdown() {
            if (state != State.COMPLETE) {
                cancelled = true;
                state = State.COMPLETE;
                outcome = "CANCELLED";
            }
        }

        public String outcome() {
            return outcome;
        }

        public boolean join() {
            joined = true;
            return state == State.COMPLETE;
        }

        public boolean joinDone() {
            return joined && state == State.COMPLETE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && state == s.state && cancelled == s.cancelled
                    && polls == s.polls && outcome.equals(s.outcome) && joined == s.joined;
        }

        @Override
        public int hashCode() {
            return Objects.hash(state, cancelled, polls, outcome, joined);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(400))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(4000))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
