package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.RuntimeShutdownException;

import dev.braid.runtime.TaskDump;
import dev.braid.runtime.TaskInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What both runtime flavours share: the live-task registry, the blocking pool, spawning,
 * thread bookkeeping for a leak-free shutdown, and the "current runtime" of a thread.
 */
public abstract class Scheduler implements Schedule {
    private static final ThreadLocal<Scheduler> CURRENT = new ThreadLocal<>();

    final Config config;
    final OwnedTasks owned;
    final BlockingPool blocking;
    final TimeDriver time;
    /** Every thread this runtime started and that has not ended. */
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /**
     * Threads that have left {@link #threads} but may not have terminated yet: a thread's
     * last act is to leave the set, and it is alive for a moment after. Shutdown joins these
     * too, or it could report every thread stopped while one still ends. Each thread enters
     * this set before it leaves {@link #threads}, so it is always in one of the two; dead
     * entries are pruned as others arrive.
     */
    private final Set<Thread> exiting = ConcurrentHashMap.newKeySet();

    /** A runtime thread's last step: from {@link #threads} to {@link #exiting}. */
    final void threadExits() {
        Thread me = Thread.currentThread();
        exiting.removeIf(t -> !t.isAlive());
        exiting.add(me);
        threads.remove(me);
    }
    /** Threads inside {@code blockOn}, woken by shutdown so that they fail instead of hanging. */
    final Set<ThreadWaker> blockers = ConcurrentHashMap.newKeySet();
    volatile boolean shutdown;
    /** Set once shutdown has dropped every task; a blockOn still waiting then fails. */
    volatile boolean terminated;
    /** Created by the first I/O registration; see {@link #io()}. */
    private volatile IoDriver io;
    /** The public object wrapping this scheduler; set once, right after construction (the
     *  workers are already running then, hence volatile: a plain load on x86). */
    private volatile Object facade;

    /** What adds to stall reports (see {@link dev.braid.runtime.StallListener}). */
    public final List<dev.braid.runtime.StallListener> stallListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Failed tasks whose failure nobody has retrieved yet, and where they are reported. */
    public final Failures failures = new Failures();

    /** The monitor, if this runtime runs one (see {@link Monitor}). */
    final Monitor monitor;
    /** Set once a task was woken by a thread outside this runtime: such threads may hold
     *  the key to any wait, so quiescence no longer proves a deadlock. */
    volatile boolean externallyWoken;

    Scheduler(Config config, int shards) {
        this.config = config;
        this.owned = new OwnedTasks(shards);
        this.blocking = new BlockingPool(this);
        this.time = new TimeDriver(config.clock());
        this.monitor = config.monitor() && config.multiThread() ? new Monitor(this, config.stallThreshold().toNanos()) : null;
    }

    /** Starts the monitor thread, if configured; the flavours call this once set up. */
    final void startMonitor() {
        if (monitor != null) {
            Thread t = new BraidThread(this, () -> {
                try {
                    monitor.run();
                } finally {
                    threadExits();
                }
            }, config.threadNamePrefix() + "-monitor"); // runs no task: no thread hooks
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * What the stall listeners add to a report ("" if nothing), whether it replaces the
     * thread's Java frames, and the advice of the first listener that described the stall
     * and has one (null: the runtime's).
     */
    record StallDescription(String text, boolean replacesJavaStack, String advice) {
    }

    final StallDescription describeStall(Thread thread, TaskInfo task, long ranNanos) {
        StringBuilder b = new StringBuilder();
        boolean replaces = false;
        String advice = null;
        for (dev.braid.runtime.StallListener l : stallListeners) {
            try {
                String s = l.describe(thread, task, Duration.ofNanos(ranNanos));
                if (s != null && !s.isBlank()) {
                    b.append('\n').append(s.strip());
                    replaces |= l.replacesJavaStack();
                    if (advice == null) {
                        advice = l.advice();
                    }
                }
            } catch (Throwable e) {
                Diagnostics.LOG.log(System.Logger.Level.WARNING, "a stall listener failed; the report goes on without it", e);
            }
        }
        return new StallDescription(b.toString(), replaces, advice);
    }

    /** One monitor tick: look for stalls and deadlocks. */
    void monitorTick(long now) {
    }

    /** Notes a wake-up from outside the runtime (the slow path of {@code schedule}). */
    final void noteForeignWake(Task<?> task) {
        if (!externallyWoken && task.polls() != 0 && current() != this) {
            externallyWoken = true;
        }
    }

    /** This runtime's timers. */
    public TimeDriver time() {
        return time;
    }

    /** This runtime's I/O driver, created on first use. */
    public IoDriver io() {
        IoDriver d = io;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (io == null) {
                checkNotShutdown("do I/O");
                io = new IoDriver();
                time.wakeSleeper(); // the role holder parks in the selector from now on
            }
            return io;
        }
    }

    /** The I/O driver if one exists (null until the first I/O registration). */
    IoDriver ioOrNull() {
        return io;
    }

    /**
     * Busy-worker housekeeping, every {@code globalQueueInterval} ticks: if nobody holds the
     * driver role, poll I/O without blocking and fire due timers.
     */
    final void maintenance() {
        IoDriver d = io;
        if ((d != null || time.registeredTimers() != 0) && time.tryAcquireRole()) {
            try {
                if (d != null) {
                    d.select(-1);
                }
                time.process(time.now());
            } finally {
                time.releaseRole();
            }
        }
    }

    /**
     * For auto-advancing clocks, role holder only: polls I/O without blocking and returns true
     * if nothing was ready (so a paused clock may jump); readiness found is dispatched.
     */
    final boolean noIoReady() {
        IoDriver d = io;
        if (d == null || d.select(-1) == 0) {
            return true;
        }
        // Readiness was dispatched: tasks were woken, maybe into the caller's own queue.
        // Tell the driver to look again instead of going to sleep.
        time.nudge();
        return false;
    }

    /** Called after a {@code blockOn} waker unparked {@code t}; the current-thread flavour
     *  also wakes its selector when {@code t} sleeps in it. */
    void afterThreadWake(Thread t) {
    }

    public Config config() {
        return config;
    }

    public Object facade() {
        return facade;
    }

    public void setFacade(Object facade) {
        this.facade = facade;
    }

    /** The runtime the calling thread runs in (a worker, a blocking thread, or inside blockOn). */
    public static Scheduler current() {
        Thread t = Thread.currentThread();
        if (t instanceof BraidThread bt) {
            return bt.scheduler;
        }
        return CURRENT.get();
    }

    static Scheduler enter(Scheduler s) {
        Scheduler prev = CURRENT.get();
        CURRENT.set(s);
        return prev;
    }

    static void exit(Scheduler prev) {
        if (prev == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(prev);
        }
    }

    public boolean isShutdown() {
        return shutdown;
    }

    // ---- spawning -----------------------------------------------------------------------

    public <T> Task<T> spawn(Future<T> future, String name, Object site) {
        return spawnOn(future, this, name, site);
    }

    /** Spawns a task scheduled by {@code on} (this runtime, a strand, the blocking pool). */
    public <T> Task<T> spawnOn(Future<T> future, Schedule on, String name, Object site) {
        Task<T> task = new Task<>(nextTaskId(), future, on, name, site); // born scheduled
        task.spawnedAt = Monitor.coarseNanos;
        if (shutdown) {
            throw new RuntimeShutdownException("cannot spawn " + describe(task) + ": the runtime '"
                    + config.threadNamePrefix() + "' is shut down");
        }
        countSpawn();
        // Not registered as a live task yet: until its first pending poll it is always in a
        // run queue or being polled (see Task.run). A spawn racing with shutdown lands in a
        // closed queue, which cancels it.
        on.schedule(task, false);
        return task;
    }

    public <T> Task<T> spawnBlocking(Callable<T> body, String name, Object site) {
        return spawnOn(new BlockingBody<>(body), blocking, name, site);
    }

    static String describe(Task<?> t) {
        return "task #" + t.id() + (t.name() != null ? " '" + t.name() + "'" : "");
    }

    @Override
    public boolean register(Task<?> task) {
        return owned.bind(task);
    }

    @Override
    public void release(Task<?> task) {
        if (task.owned) {
            owned.remove(task);
        }
        countCompletion();
    }

    // Live-task accounting: spawned minus completed. Workers override these with per-core
    // counters; these striped adders serve every other thread.
    private final LongAdder spawned = new LongAdder();
    private final LongAdder completed = new LongAdder();

    /** A fresh task id; unique per JVM, increasing per spawning thread. */
    long nextTaskId() {
        return Task.reserveIds(1);
    }

    void countSpawn() {
        spawned.increment();
    }

    void countCompletion() {
        completed.increment();
    }

    long spawnedCount() {
        return spawned.sum();
    }

    long completedCount() {
        return completed.sum();
    }

    /** A new strand: a serial executor on this runtime. */
    public StrandScheduler newStrand(String name, dev.braid.runtime.Strand.SliceHooks hooks) {
        return new StrandScheduler(this, name, hooks);
    }

    // ---- blocking -----------------------------------------------------------------------

    /**
     * Drives {@code future} to completion on the calling thread. The multi-thread flavour
     * polls it here and parks in between; the current-thread flavour also runs its tasks.
     */
    public abstract <T> T blockOn(Future<T> future);

    /** Runs {@code body}, first handing the calling worker's queue to another thread. */
    public abstract <T> T blockInPlace(Callable<T> body) throws Exception;

    /** Polls {@code future} on the calling thread, parking between wake-ups. */
    final <T> T pollToCompletion(Future<T> future) {
        checkNotShutdown("blockOn");
        Thread me = Thread.currentThread();
        ThreadWaker waker = new ThreadWaker(me, this);
        Context cx = new Context(waker);
        waker.cx = cx;
        Scheduler prev = enter(this);
        blockers.add(waker);
        try {
            for (;;) {
                cx.reset(waker, Context.DEFAULT_BUDGET);
                waker.polls++;
                Poll<T> p = future.poll(cx);
                if (p.isReady()) {
                    return p.value();
                }
                waker.await(this);
            }
        } catch (Throwable t) {
            future.drop();
            throw t;
        } finally {
            blockers.remove(waker);
            exit(prev);
        }
    }

    final void wakeBlockers() {
        for (ThreadWaker w : blockers) {
            w.wakeForShutdown();
        }
    }

    void checkNotShutdown(String what) {
        if (shutdown) {
            throw new RuntimeShutdownException("cannot " + what + ": the runtime '" + config.threadNamePrefix() + "' is shut down");
        }
    }

    // ---- shutdown -----------------------------------------------------------------------

    /**
     * Stops the runtime: refuses new tasks, stops the threads, drops every task that is not
     * being polled (running their drop hooks), and waits up to {@code timeout} for every
     * runtime thread to end. Returns true if they all did.
     */
    public abstract boolean shutdown(Duration timeout);

    final boolean awaitThreads(long deadlineNanos) {
        // threads first, then exiting: a thread that leaves the first is already in the second
        for (Set<Thread> set : List.of(threads, exiting)) {
            for (Thread t : set) {
                if (t == Thread.currentThread()) {
                    continue;
                }
                // Counted but not started yet: its starter starts it after releasing a lock
                // (the blocking pool does), and join() would not wait for it.
                while (t.getState() == Thread.State.NEW && System.nanoTime() - deadlineNanos < 0) {
                    LockSupport.parkNanos(50_000);
                }
                long left = deadlineNanos - System.nanoTime();
                try {
                    if (left > 0) {
                        t.join(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return threads.stream().noneMatch(t -> t != Thread.currentThread() && lives(t))
                && exiting.stream().noneMatch(t -> t != Thread.currentThread() && lives(t));
    }

    /** Alive, or about to be: a thread not started yet will run. */
    private static boolean lives(Thread t) {
        return t.isAlive() || t.getState() == Thread.State.NEW;
    }

    /**
     * Drops every registered (once pending) task not being polled, then releases the threads
     * still in blockOn. The flavours drain their run queues before calling this.
     */
    final void dropAllTasks() {
        owned.forEachSnapshot(Task::shutdown);
        terminated = true;
        wakeBlockers();
        IoDriver d = io;
        if (d != null) {
            d.close(); // cancels every registration: later I/O on its channels fails clearly
        }
    }

    Thread newThread(Runnable body, String name) {
        Thread t = new BraidThread(this, () -> {
            Runnable start = config.onThreadStart();
            Runnable stop = config.onThreadStop();
            try {
                if (start != null) {
                    start.run();
                }
                body.run();
            } finally {
                try {
                    if (stop != null) {
                        stop.run();
                    }
                } finally {
                    threadExits();
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    // ---- diagnostics --------------------------------------------------------------------

    /** The tasks being polled right now, with a description of the polling thread. */
    Map<Task<?>, String> runningTasks() {
        return Map.of();
    }

    /** A snapshot of every running or once-pending task; see {@link TaskDump}. */
    public TaskDump taskDump() {
        boolean timed = monitor != null;
        long now = System.nanoTime();
        Map<Long, TaskInfo> byId = new TreeMap<>();
        runningTasks().forEach((t, thread) -> byId.put(t.id(), Diagnostics.info(t, timed, now, thread)));
        owned.forEachSnapshot(t -> {
            if (!t.isComplete()) {
                byId.putIfAbsent(t.id(), Diagnostics.info(t, timed, now, null));
            }
        });
        List<TaskInfo> tasks = new ArrayList<>(byId.values());
        long unlisted = Math.max(0, aliveTasks() - tasks.size());
        return new TaskDump(config.threadNamePrefix(), Instant.now(), tasks, unlisted);
    }

    final long blockOnPolls() {
        long n = 0;
        for (ThreadWaker w : blockers) {
            n += w.polls;
        }
        return n;
    }

    final boolean anyBlockerWoken() {
        for (ThreadWaker w : blockers) {
            if (w.isWoken()) {
                return true;
            }
        }
        return false;
    }

    /** What the threads inside blockOn wait on, one line each (deadlock reports). */
    final List<String> blockOnWaits(List<ThreadWaker> waiting) {
        List<String> out = new ArrayList<>();
        for (ThreadWaker w : waiting) {
            Context c = w.cx;
            String wait = c == null ? null : Diagnostics.describeWait(c.waitOp(), c.waitResource(), c.waitCount());
            out.add("blockOn on thread '" + w.thread.getName() + "' waits on " + (wait != null ? wait : "its future (no description)"));
        }
        return out;
    }

    // ---- metrics ------------------------------------------------------------------------

    /** Spawned and not yet completed (a racy snapshot while tasks run). */
    public long aliveTasks() {
        long done = completedCount(); // read first: a task counts as spawned before it completes
        return Math.max(0, spawnedCount() - done);
    }

    /** Tasks that have been pending at least once and are not complete. */
    public long registeredTasks() {
        return owned.aliveCount();
    }

    public int blockingThreads() {
        return blocking.threads();
    }

    public int blockingIdleThreads() {
        return blocking.idleThreads();
    }

    public int blockingQueueDepth() {
        return blocking.queueDepth();
    }

    public abstract int workers();

    public abstract int globalQueueDepth();

    public abstract int localQueueDepth(int worker);

    public abstract long steals();

    public abstract long parks();

    public abstract long polls();

    public abstract long budgetForcedYields();

    public abstract long overflows();

    /** Quiet spells that deadlock detection reported (multi-thread flavour only). */
    public long suspectedDeadlocks() {
        return 0;
    }

    /** Stall incidents the monitor detected. */
    public long stalls() {
        return 0;
    }

    /** Polls that spanned a monitor tick, in power-of-two millisecond buckets. */
    public long[] slowPollHistogram() {
        return new long[8];
    }

    /** Replacement workers started for stalled ones. */
    public long replacementWorkers() {
        return 0;
    }

    /** The longest poll seen on a worker, at the monitor clock's resolution (0 if none). */
    public long longestPollNanos() {
        return 0;
    }

    /** A waker that unparks one thread; {@link #await} parks until it was woken. */
    static final class ThreadWaker implements dev.braid.future.Waker {
        final Thread thread;
        private final Scheduler owner;
        private volatile boolean woken;
        /** The blockOn's context: what its future waits on, for deadlock reports. */
        Context cx;
        /** Polls of the blockOn's future (progress seen by the deadlock check); written by
         *  the blockOn thread, read racily. */
        long polls;
        /** Set by the deadlock detector: the blockOn fails with it. */
        volatile RuntimeException failure;

        ThreadWaker(Thread thread, Scheduler owner) {
            this.thread = thread;
            this.owner = owner;
        }

        @Override
        public void wake() {
            woken = true;
            LockSupport.unpark(thread);
            owner.afterThreadWake(thread);
        }

        void wakeForShutdown() {
            LockSupport.unpark(thread);
        }

        /** Makes the waiting blockOn throw {@code f}. */
        void fail(RuntimeException f) {
            failure = f;
            LockSupport.unpark(thread);
            owner.afterThreadWake(thread);
        }

        /** Parks until woken; fails once the runtime has dropped its tasks and nothing woke us. */
        void await(Scheduler s) {
            boolean interrupted = false;
            try {
                while (!woken) {
                    RuntimeException f = failure;
                    if (f != null) {
                        failure = null;
                        throw f;
                    }
                    if (s.terminated) {
                        throw new RuntimeShutdownException("blockOn interrupted: the runtime '"
                                + s.config.threadNamePrefix() + "' was shut down and the future can no longer complete");
                    }
                    LockSupport.park(this);
                    // park() returns at once while the flag is set: take it, restore it on exit.
                    interrupted |= Thread.interrupted();
                }
                woken = false;
                failure = null; // a wake-up is progress: a deadlock verdict that raced it is void
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean isWoken() {
            return woken;
        }

        /** Returns whether it was woken, clearing the flag. */
        boolean takeWoken() {
            if (woken) {
                woken = false;
                return true;
            }
            return false;
        }
    }

    /** The future of a {@code spawnBlocking} task: calls the body on its single poll. */
    static final class BlockingBody<T> implements Future<T> {
        private final Callable<T> body;

        BlockingBody(Callable<T> body) {
            this.body = body;
        }

        @Override
        public Poll<T> poll(Context cx) {
            try {
                return Poll.ready(body.call());
            } catch (Exception e) {
                throw dev.braid.runtime.internal.Sneaky.sneaky(e);
            }
        }
    }
}
