package dev.braid.future;

/**
 * What a future receives when it is polled: the {@link Waker} to arrange a wake-up with,
 * and the task's cooperative budget.
 *
 * <h2>The cooperative budget</h2>
 * A task gets {@value #DEFAULT_BUDGET} units for each poll. Runtime resources (channels,
 * locks, timers, {@code JoinHandle}s) spend one unit every time they would return
 * {@code Ready}; once the budget is spent they return {@code Pending} after waking the
 * task, so a loop over always-ready resources still yields to its neighbours. Resources do
 * this by calling {@link #pollProceed()} first.
 *
 * <p>A context is owned by the thread that polls; futures must not keep it beyond the poll
 * (keep the {@link #waker()} instead).
 */
public final class Context extends ContextFields {
    /** Budget units per task poll, as in Tokio. */
    public static final int DEFAULT_BUDGET = 128;
    private static final int UNCONSTRAINED = Integer.MAX_VALUE;

    // Padding after the fields: each worker writes its own context on every poll, and a
    // copying GC may place two workers' contexts side by side (false sharing). The JVM lays
    // out superclass fields first, so the hot fields sit between two 64-byte pads.
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    /** A context with {@code waker} and no budget limit. */
    public Context(Waker waker) {
        this.waker = waker;
        this.budget = UNCONSTRAINED;
    }

    public Waker waker() {
        return waker;
    }

    /**
     * Spends one unit of budget. Returns {@code true} if the caller may proceed; otherwise
     * the task has already been woken and the caller must return {@link Poll#pending()}.
     */
    public boolean pollProceed() {
        int b = budget;
        if (b == UNCONSTRAINED) {
            return true;
        }
        if (b > 0) {
            budget = b - 1;
            return true;
        }
        forcedYields++;
        waker.wake();
        return false;
    }

    /** Units left in this poll's budget ({@link Integer#MAX_VALUE} when unconstrained). */
    public int remainingBudget() {
        return budget;
    }

    /** How many times {@link #pollProceed()} forced a yield since this context was made. */
    public long forcedYields() {
        return forcedYields;
    }

    /** Executor use: re-arms this context for the next poll of a task. */
    public void reset(Waker waker, int budget) {
        this.waker = waker;
        this.budget = budget;
        if (waits != 0) {
            clearWaits();
        }
    }

    /**
     * Records what the polled task is about to wait on, for diagnostics (the task dump and
     * the deadlock report): a resource calls this when it registers the waker and returns
     * {@code Pending}. {@code op} is a short constant such as {@code "mpsc.recv"};
     * {@code resource} is the object waited on, described when a dump is taken (a
     * {@code String}, a number or a task as is, anything else as {@code Kind@hash}). Costs
     * two field writes; builds no string.
     */
    public void waitingOn(String op, Object resource) {
        if (waits++ == 0) {
            waitOp = op;
            waitOn = resource;
        }
    }

    /** The first wait recorded in this poll ({@code null} if none). */
    public String waitOp() {
        return waitOp;
    }

    /** The resource of the first wait recorded in this poll. */
    public Object waitResource() {
        return waitOn;
    }

    /** How many waits this poll recorded (a {@code select} records one per branch). */
    public int waitCount() {
        return waits;
    }

    /** Executor use: forgets the waits recorded so far. */
    public void clearWaits() {
        waits = 0;
        waitOp = null;
        waitOn = null;
    }

    /** Executor use: swaps the waker for a nested poll, returning the previous one. */
    public Waker swapWaker(Waker waker) {
        Waker prev = this.waker;
        this.waker = waker;
        return prev;
    }
}
