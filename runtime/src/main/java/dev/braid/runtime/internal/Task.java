package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.runtime.internal.TaskState.ToIdle;
import dev.braid.runtime.internal.TaskState.ToNotified;
import dev.braid.runtime.internal.TaskState.ToRunning;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A spawned future plus its header: id, name, spawn site, packed {@link TaskState state},
 * output slot and join waker. The task is its own {@link Waker}, so waking allocates nothing.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>{@link #wake()} (any thread): idle → scheduled, then {@link Schedule#schedule}.
 *   <li>{@link #run(Context)} (the thread that popped it from a run queue): scheduled →
 *       running, one poll, then complete, idle, or back to a queue if woken meanwhile.
 *   <li>{@link #abort()} (any thread): marks it cancelled; an idle task is scheduled so that
 *       the future is dropped by its own executor (a strand task is dropped on its strand).
 *   <li>{@link #shutdown()} (the runtime, after its workers stopped): claims any task not
 *       being polled and drops it on the calling thread.
 *   <li>Completion stores the output, publishes {@code COMPLETE} (a volatile CAS), then
 *       wakes the join waker. A joiner stores its waker (volatile), then re-reads the state:
 *       one of the two sides always sees the other.
 *   <li>A failure (or a drop hook's exception) is stored as a {@link Failure}, which
 *       {@link Failures} reports unless a joiner takes it first ({@link #takeFailure()}).
 *       A successful task never meets that machinery: its only cost is the {@link #handle}
 *       reference its join handle stores at spawn.
 * </ol>
 */
public final class Task<T> implements Waker {
    private static final AtomicLong NEXT_ID = new AtomicLong(1);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final String name;
    private final Object spawnSite;
    private final Schedule scheduler;
    /** Registered as a live task once pending; false only for strand drivers. */
    private final boolean tracked;
    /** Only touched by the holder of RUNNING. */
    private Future<T> future;
    /** Accessed through {@link #STATE}. */
    @SuppressWarnings("unused")
    private volatile int state;
    /** Written before COMPLETE is published (the CAS releases it), read after seeing it. */
    private Object output;
    /**
     * What a joiner holds to take this task's outcome (its {@code JoinHandle}, or its
     * {@code JoinSet} entry), or null: when the task fails, {@link Failures} watches this
     * object, and reports the failure if it becomes unreachable first. Stored once by the
     * joiner, with a plain store after the task was published, so the failing thread may
     * miss it (see {@link Failures}); taken (cleared) by the failing thread, so that
     * the task no longer keeps it alive.
     */
    private Object handle;
    private volatile Waker joinWaker;
    /** Polls so far; written only by the holder of RUNNING (whose CAS publishes it), read
     *  racily by diagnostics. */
    private long polls;
    /** {@link Monitor#coarseNanos} when spawned; 0 when unknown. Diagnostics only. */
    long spawnedAt;
    /** Duration of the last poll by a worker, in coarse nanoseconds (0: under one monitor
     *  tick). Written racily after the poll; diagnostics only. */
    long lastPoll;
    /** What the last pending poll registered a waker with (see Context.waitingOn); written
     *  by the holder of RUNNING, read racily by dumps. */
    private String waitOp;
    private Object waitOn;
    private int waits;

    /** Intrusive link for {@link Inject} and other queues; owned by the queue holding it. */
    Task<?> queueNext;
    /** Intrusive links for {@link OwnedTasks}; guarded by that shard's lock. */
    Task<?> ownedPrev;
    Task<?> ownedNext;
    /** Registered in {@link OwnedTasks} (after its first pending poll). Written under the
     *  shard lock, and only ever by the holder of RUNNING, which is also the only reader. */
    boolean owned;

    /**
     * A new task, already in the scheduled state: the spawner must {@link Schedule#schedule}
     * it, which saves the idle → scheduled CAS on every spawn.
     */
    public Task(Future<T> future, Schedule scheduler, String name, Object spawnSite) {
        this(future, scheduler, name, spawnSite, TaskState.NOTIFIED);
    }

    /** As above, with an id from {@link #reserveIds} (workers take ids in blocks). */
    Task(long id, Future<T> future, Schedule scheduler, String name, Object spawnSite) {
        STATE.set(this, TaskState.NOTIFIED); // published by the run queue that receives the task
        this.id = id;
        this.tracked = true;
        this.future = future;
        this.scheduler = scheduler;
        this.name = name;
        this.spawnSite = spawnSite;
    }

    /** Reserves {@code n} consecutive task ids and returns the first. */
    static long reserveIds(int n) {
        return NEXT_ID.getAndAdd(n);
    }

    /** A task that starts idle: it runs only once something wakes it. */
    static <T> Task<T> idle(Future<T> future, Schedule scheduler, String name, Object spawnSite) {
        return new Task<>(future, scheduler, name, spawnSite, 0, true);
    }

    /**
     * An idle task that is never registered as a live task (a strand's driver: it is in a run
     * queue whenever it has work, and an abandoned strand must be collectable).
     */
    static <T> Task<T> untrackedIdle(Future<T> future, Schedule scheduler, String name, Object spawnSite) {
        return new Task<>(future, scheduler, name, spawnSite, 0, false);
    }

    private Task(Future<T> future, Schedule scheduler, String name, Object spawnSite, int initialState) {
        this(future, scheduler, name, spawnSite, initialState, true);
    }

    private Task(Future<T> future, Schedule scheduler, String name, Object spawnSite, int initialState, boolean tracked) {
        this.tracked = tracked;
        STATE.set(this, initialState); // published by the run queue that receives the task
        this.id = NEXT_ID.getAndIncrement();
        this.future = future;
        this.scheduler = scheduler;
        this.name = name;
        this.spawnSite = spawnSite;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Object spawnSite() {
        return spawnSite;
    }

    public long polls() {
        return polls;
    }

    /**
     * Records {@code h} as what joins this task (see {@link #handle}): one plain store and
     * one read of the state on every spawn that returns a handle. The task may have failed
     * already, on another thread that could not see {@code h}: then {@code h} is handed to
     * the failure here. (See {@link Failures} for the window that is left.)
     */
    public void bindHandle(Object h) {
        handle = h;
        if (isComplete() && output instanceof Failure f) { // output is visible once COMPLETE is
            Object mine = takeHandle();
            if (mine != null) {
                f.watch(mine, true);
            }
        }
    }

    /** The handle, cleared: the failing thread's, once (see {@link #handle}). */
    Object takeHandle() {
        Object h = handle;
        handle = null;
        return h;
    }

    /** The op recorded by the last pending poll ({@code mpsc.recv}...), or null. */
    public String waitOp() {
        return waitOp;
    }

    public Object waitResource() {
        return waitOn;
    }

    public int waitCount() {
        return waits;
    }

    /** The future, read racily (diagnostics: a strand driver's slice names its running task). */
    Future<T> futureForDiagnostics() {
        return future;
    }

    public Schedule scheduler() {
        return scheduler;
    }

    public int rawState() {
        return state;
    }

    public String stateName() {
        return TaskState.describe(state);
    }

    public boolean isComplete() {
        return TaskState.isComplete(state);
    }

    // ---- transitions (each a CAS loop over the packed state) --------------------------

    ToNotified transitionToNotified() {
        int s = state;
        for (;;) {
            if ((s & (TaskState.COMPLETE | TaskState.NOTIFIED)) != 0) {
                return ToNotified.DO_NOTHING;
            }
            int next = s | TaskState.NOTIFIED;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return TaskState.isRunning(s) ? ToNotified.DO_NOTHING : ToNotified.SUBMIT;
            }
            s = witness;
        }
    }

    ToNotified transitionToNotifiedAndCancel() {
        int s = state;
        for (;;) {
            if (TaskState.isComplete(s) || TaskState.isCancelled(s)) {
                return ToNotified.DO_NOTHING;
            }
            int next = s | TaskState.CANCELLED | TaskState.NOTIFIED;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                // Running: it re-queues itself. Already queued: the runner sees CANCELLED.
                return (s & (TaskState.RUNNING | TaskState.NOTIFIED)) == 0 ? ToNotified.SUBMIT : ToNotified.DO_NOTHING;
            }
            s = witness;
        }
    }

    ToRunning transitionToRunning() {
        int s = state;
        for (;;) {
            if ((s & (TaskState.RUNNING | TaskState.COMPLETE)) != 0 || !TaskState.isNotified(s)) {
                return ToRunning.FAILED;
            }
            int next = (s & ~TaskState.NOTIFIED) | TaskState.RUNNING;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return TaskState.isCancelled(s) ? ToRunning.CANCELLED : ToRunning.SUCCESS;
            }
            s = witness;
        }
    }

    ToIdle transitionToIdle() {
        int s = state;
        for (;;) {
            if (TaskState.isCancelled(s)) {
                return ToIdle.CANCELLED; // keep RUNNING: the caller drops the future
            }
            int next = s & ~TaskState.RUNNING;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return TaskState.isNotified(s) ? ToIdle.NOTIFIED : ToIdle.OK;
            }
            s = witness;
        }
    }

    /** Claims the task for shutdown if nobody is polling it. Returns true if claimed. */
    boolean transitionToShutdown() {
        int s = state;
        for (;;) {
            if (TaskState.isComplete(s)) {
                return false;
            }
            int next = s | TaskState.CANCELLED;
            if (!TaskState.isRunning(s)) {
                next |= TaskState.RUNNING;
            }
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return !TaskState.isRunning(s);
            }
            s = witness;
        }
    }

    private void transitionToComplete() {
        int s = state;
        for (;;) {
            int next = (s & ~(TaskState.RUNNING | TaskState.NOTIFIED)) | TaskState.COMPLETE;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    // ---- operations ---------------------------------------------------------------------

    @Override
    public void wake() {
        if (transitionToNotified() == ToNotified.SUBMIT) {
            scheduler.schedule(this, false);
        }
    }

    /** Requests cancellation. Returns immediately; the future is dropped by its executor. */
    public void abort() {
        if (transitionToNotifiedAndCancel() == ToNotified.SUBMIT) {
            scheduler.schedule(this, true);
        }
    }

    /**
     * Runs one poll of a task popped from a run queue. Returns true if the task completed.
     * The context is re-armed with this task as waker and a fresh budget.
     */
    public boolean run(Context cx, int budget) {
        switch (transitionToRunning()) {
            case FAILED:
                return false;
            case CANCELLED:
                cancelFromRunning();
                return true;
            default:
                break;
        }
        Poll<T> p;
        cx.reset(this, budget);
        polls++; // single writer: the holder of RUNNING
        try {
            p = future.poll(cx);
        } catch (Throwable t) {
            future = null;
            cx.reset(Waker.NOOP, 0); // the executor's context must not keep a failed task reachable
            complete(Outcome.FAILED, t);
            return true;
        }
        if (p.isReady()) {
            future = null;
            complete(Outcome.OK, p.value());
            return true;
        }
        if (cx.waitCount() != 0) {
            waitOp = cx.waitOp();
            waitOn = cx.waitResource();
            waits = cx.waitCount();
        } else if (waits != 0) {
            waitOp = null;
            waitOn = null;
            waits = 0;
        }
        // First time pending: from now on the task may wait indefinitely, so shutdown must be
        // able to find it. (A task that finishes in its first poll is never registered: it is
        // always in a run queue or being polled, and shutdown drains the queues.) Done while
        // we hold RUNNING, so it cannot complete elsewhere before it is registered.
        if (tracked && !owned && !scheduler.register(this)) {
            cancelFromRunning(); // the runtime is shutting down
            return true;
        }
        switch (transitionToIdle()) {
            case NOTIFIED:
                scheduler.schedule(this, true);
                return false;
            case CANCELLED:
                cancelFromRunning();
                return true;
            default:
                return false;
        }
    }

    /** Drops the future of a task claimed by {@link #transitionToShutdown()}. */
    public void shutdown() {
        if (transitionToShutdown()) {
            cancelFromRunning();
        }
    }

    private void cancelFromRunning() {
        Future<T> f = future;
        future = null;
        Throwable dropFailure = null;
        if (f != null) {
            try {
                f.drop();
            } catch (Throwable t) {
                dropFailure = t;
            }
        }
        complete(Outcome.CANCELLED, dropFailure);
    }

    private void complete(Outcome outcome, Object value) {
        Failure failure = null;
        if (outcome == Outcome.OK) {
            this.output = value;
        } else if (value == null) {
            this.output = new Finished(outcome, null); // a plain cancellation: nothing to report
        } else {
            Finished f = Failures.track(this, outcome, (Throwable) value);
            this.output = f;
            failure = f instanceof Failure tracked ? tracked : null;
        }
        scheduler.release(this); // before COMPLETE: a joiner then sees the live-task count drop
        transitionToComplete();
        Waker w = joinWaker;
        if (w != null) {
            joinWaker = null;
            try {
                w.wake();
            } catch (Throwable t) {
                // A joiner's waker is user code (any Waker may be registered); it must not
                // take the worker, strand or pool thread down with it.
                System.getLogger("dev.braid.runtime").log(System.Logger.Level.ERROR,
                        "join waker of " + this + " threw; the joiner may not be woken", t);
            }
        }
        if (failure != null) {
            // After the join waker: one that takes the outcome at once (toCompletableFuture)
            // has retrieved it by now, so its handle, which the caller may have dropped, is
            // not watched.
            Object h = takeHandle();
            failure.watch(h != null ? h : this, h != null);
        }
        scheduler.completed(this);
    }

    // ---- join side ----------------------------------------------------------------------

    /** Registers the waker to call on completion; returns true if already complete. */
    public boolean registerJoinWaker(Waker waker) {
        if (isComplete()) {
            return true;
        }
        joinWaker = waker;
        return isComplete(); // pairs with the COMPLETE CAS then joinWaker read in complete()
    }

    public void clearJoinWaker() {
        joinWaker = null;
    }

    /** Outcome of a complete task. Only valid after {@link #isComplete()} returned true. */
    public Outcome outcome() {
        return output instanceof Finished f ? f.outcome : Outcome.OK;
    }

    /**
     * The failure (FAILED) or the exception its drop hook threw (CANCELLED), else null; for
     * diagnostics: a joiner that hands the outcome on calls {@link #takeFailure()}.
     */
    public Throwable failure() {
        return output instanceof Finished f ? f.error : null;
    }

    /**
     * As {@link #failure()}, for a joiner that hands the outcome on: from now on the failure
     * counts as retrieved and is never reported as unretrieved.
     */
    public Throwable takeFailure() {
        Object o = output;
        if (o instanceof Failure f) {
            f.retrieve();
        }
        return o instanceof Finished f ? f.error : null;
    }

    @SuppressWarnings("unchecked")
    public T value() {
        return output instanceof Finished ? null : (T) output;
    }

    public enum Outcome { OK, FAILED, CANCELLED }

    /** The output of a task that produced no value. */
    static class Finished {
        final Outcome outcome;
        final Throwable error;

        Finished(Outcome outcome, Throwable error) {
            this.outcome = outcome;
            this.error = error;
        }
    }

    @Override
    public String toString() {
        return "Task#" + id + (name != null ? "(" + name + ")" : "") + "[" + stateName() + "]";
    }
}
