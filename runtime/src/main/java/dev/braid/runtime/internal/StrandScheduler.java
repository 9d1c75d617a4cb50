package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A strand: a serial executor on a runtime. Its tasks never run on two threads at once,
 * but the strand may move between workers from one slice to the next.
 *
 * <h2>How</h2>
 * The strand's tasks are scheduled into the strand's own {@link Inject} queue. The strand
 * itself is driven by one ordinary runtime task, the <em>driver</em>, whose poll is a
 * <em>slice</em>: it runs up to {@code strandSliceTasks} queued tasks, then yields (wakes
 * itself) if more are waiting. Because the driver is one task, the task state machine
 * already guarantees that only one thread runs a slice at a time; because it yields after
 * a bounded slice, a busy strand is fair to everything else on the runtime.
 *
 * <p>A wake-up that arrives while a slice is running marks the driver notified, and the
 * driver re-queues itself after the slice, so no wake-up is lost between the last empty
 * check and the end of the slice.
 *
 * <h2>Shutdown</h2>
 * The driver is not in the live-task list (an abandoned strand must be collectable), but
 * whenever the strand's queue holds a task the driver is in a runtime run queue or
 * running, and shutdown cancels what is in the run queues; a wake-up after shutdown finds
 * the runtime's queue closed and cancels the driver on the spot. Dropping the driver's
 * slice future closes the strand's queue: the tasks waiting there are cancelled, and so is
 * anything scheduled on the strand later. (Strand tasks that have been pending are in the
 * live-task list like any other.)
 */
public final class StrandScheduler implements Schedule {
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final Scheduler runtime;
    private final long id = NEXT_ID.getAndIncrement();
    private final String name;
    private final Inject queue = new Inject();
    private final Task<Void> driver;
    /** What every poll of a strand task writes a reference into; used only inside a slice,
     *  which is serial. Replaced every {@link #RENEW_SLICES} slices so that it stays in the
     *  young generation, where those stores are cheap (see {@link Core.Slots}). */
    private PollState state = new PollState();
    private static final int RENEW_SLICES = 16;
    private final int slice;
    private volatile long slices;

    private final dev.braid.runtime.Strand.SliceHooks hooks;

    StrandScheduler(Scheduler runtime, String name, dev.braid.runtime.Strand.SliceHooks hooks) {
        this.hooks = hooks;
        this.runtime = runtime;
        this.name = name != null ? name : "strand-" + id;
        this.slice = runtime.config.strandSliceTasks();
        this.driver = Task.untrackedIdle(new Slice(), runtime, this.name, StrandScheduler.class);
    }

    public String name() {
        return name;
    }

    public long id() {
        return id;
    }

    public long slices() {
        return slices;
    }

    public int queued() {
        return queue.len();
    }

    public Scheduler runtime() {
        return runtime;
    }

    /** Whether the strand's owner says {@code failure} is a cancellation of its own (see {@link dev.braid.runtime.Strand.SliceHooks#isCancellation}). */
    boolean isCancellation(Throwable failure) {
        try {
            return hooks != null && hooks.isCancellation(failure);
        } catch (RuntimeException | Error e) {
            return false; // report it: a failure must not vanish because the check broke
        }
    }

    public <T> Task<T> spawn(Future<T> future, String taskName, Object site) {
        live.incrementAndGet();
        try {
            return runtime.spawnOn(future, this, taskName, site);
        } catch (RuntimeException | Error e) {
            taskEnded(); // refused: it never existed
            throw e;
        }
    }

    // ---- idleness: the strand's live tasks, spawned and not yet complete ------------------

    private final AtomicInteger live = new AtomicInteger();
    /** Told once the strand has no live task; guarded by itself (null: none waiting). */
    private List<Runnable> idleWaiters;

    public int liveTasks() {
        return live.get();
    }

    /** Runs {@code r} once the strand has no live task: now, on this thread, if it has none. */
    public void whenIdle(Runnable r) {
        synchronized (this) {
            if (live.get() != 0) {
                if (idleWaiters == null) {
                    idleWaiters = new ArrayList<>();
                }
                idleWaiters.add(r);
                return;
            }
        }
        r.run();
    }

    private void taskEnded() {
        if (live.decrementAndGet() != 0) {
            return;
        }
        List<Runnable> waiting;
        synchronized (this) {
            if (live.get() != 0 || idleWaiters == null) {
                return; // a task was spawned meanwhile: idle again later
            }
            waiting = idleWaiters;
            idleWaiters = null;
        }
        for (Runnable r : waiting) {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                Diagnostics.LOG.log(System.Logger.Level.WARNING, "a strand's idle callback threw", e);
            }
        }
    }

    @Override
    public void schedule(Task<?> task, boolean isYield) {
        queue.push(task); // cancels the task instead once the driver was dropped
        driver.wake();
    }

    @Override
    public void release(Task<?> task) {
        runtime.release(task);
    }

    @Override
    public void completed(Task<?> task) {
        taskEnded(); // after the completion is published: idle callbacks see the task finished
    }

    @Override
    public boolean register(Task<?> task) {
        return runtime.register(task);
    }

    /** The strand tasks' poll context, and the task being polled. */
    private static final class PollState {
        final Context cx = new Context(Waker.NOOP);
        /** The strand task this slice is polling (the monitor's stall reports name it).
         *  Plain: read racily by the monitor, which only needs it during a long poll. */
        Task<?> running;
    }

    final class Slice implements Future<Void> {
        /** Strand tasks this slice has started, and when the latest started
         *  ({@link Monitor#coarseNanos}). Plain, single writer: the monitor reads them racily
         *  to tell one strand task's long run from the next one's within a single slice. */
        private long runs;
        private long runStart;

        Task<?> running() {
            return state.running;
        }

        long runs() {
            return runs;
        }

        /** The strand's tasks queued behind the one running. */
        int waiting() {
            return queue.len();
        }

        long runStart() {
            return runStart;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            slices = slices + 1; // single writer: the driver's poll is serial
            if (hooks == null) {
                return runSlice(cx);
            }
            if (queue.isEmpty()) {
                return Poll.pending(); // nothing to enter for
            }
            hooks.enter();
            try {
                return runSlice(cx);
            } finally {
                hooks.leave();
            }
        }

        private Poll<Void> runSlice(Context cx) {
            PollState ps = state;
            if (slices % RENEW_SLICES == 0) {
                state = ps = new PollState();
            }
            for (int i = 0; i < slice; i++) {
                Task<?> t = queue.pop();
                if (t == null) {
                    return Poll.pending();
                }
                ps.running = t;
                runStart = Monitor.coarseNanos;
                runs = runs + 1;
                t.run(ps.cx, Context.DEFAULT_BUDGET);
                ps.running = null;
                if (Thread.currentThread() instanceof BraidThread bt
                        && (bt.handedOff || (bt.core != null && bt.core.orphaned))) {
                    // That task called blockInPlace, or stalled so long that a replacement
                    // took this thread's place: this thread is no worker any more.
                    break;
                }
            }
            if (!queue.isEmpty()) {
                cx.waker().wake(); // yield: the rest runs in the next slice
            }
            return Poll.pending();
        }

        /**
         * The driver was cancelled (runtime shutdown): close the strand's queue, cancelling
         * what waits in it and whatever is scheduled on the strand from now on.
         */
        @Override
        public void drop() {
            queue.close();
        }
    }
}
