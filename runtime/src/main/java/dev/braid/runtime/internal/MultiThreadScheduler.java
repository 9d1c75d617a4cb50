package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work-stealing scheduler: one {@link Core} per worker, a shared {@link Inject} queue
 * and the {@link Idle} bookkeeping. The mechanics follow Tokio's multi-thread scheduler
 * ({@code scheduler/multi_thread/worker.rs}).
 *
 * <h2>Where a scheduled task goes</h2>
 * <ol>
 *   <li>Woken or spawned on a worker thread, by the running task: into that worker's LIFO
 *       slot; the task it displaces goes to the back of the local queue. This keeps a
 *       message's receiver hot in cache right after the sender.
 *   <li>A task that woke itself (a yield): the back of the local queue, never the LIFO slot.
 *   <li>A full local queue moves half of itself, plus the new task, to the inject queue.
 *   <li>From any other thread: the inject queue.
 * </ol>
 * Whenever a task lands where another worker could take it, one parked worker is woken if
 * nobody is searching (see {@link Idle}).
 *
 * <h2>What a worker runs next</h2>
 * <ol>
 *   <li>Every {@code globalQueueInterval} ticks, the inject queue first (fairness: remote
 *       work is never starved by a busy local queue).
 *   <li>The LIFO slot, then the local queue, then a batch from the inject queue.
 *   <li>After a task's poll, up to {@code maxLifoPollsPerTick} tasks from the LIFO slot
 *       run straight away; past the cap the LIFO task goes to the back of the queue, so two
 *       tasks waking each other cannot monopolise a worker.
 *   <li>Nothing local: steal half of a random other worker's queue, then the inject queue.
 *   <li>Still nothing: park until notified.
 * </ol>
 *
 * <h2>Threads</h2>
 * Each core is driven by one thread at a time. {@link #blockInPlace} hands the calling
 * worker's core to a new thread and lets the caller block; the caller's thread ends when
 * its current poll returns. Shutdown stops every thread and drops all remaining tasks: each
 * worker cancels what its core holds on the way out, then the shutdown thread closes the
 * inject queue, drains the cores of workers stuck in a poll, and sweeps the live-task list.
 */
public final class MultiThreadScheduler extends Scheduler {
    /** Upper bound on tasks moved from the inject queue into a local queue at once. */
    private static final int MAX_INJECT_BATCH = 128;

    private final Core[] cores;
    private final Inject inject = new Inject();
    private final Idle idle;
    private final AtomicInteger threadSerial = new AtomicInteger();
    private final int globalQueueInterval;
    private final int maxLifoPolls;

    public MultiThreadScheduler(Config config, long seed) {
        super(config, config.workerThreads() * 4);
        int n = config.workerThreads();
        this.cores = new Core[n];
        for (int i = 0; i < n; i++) {
            cores[i] = new Core(i, seed + i * 0x632BE59BD9B4E019L);
        }
        this.idle = new Idle(n);
        this.globalQueueInterval = config.globalQueueInterval();
        this.maxLifoPolls = config.maxLifoPollsPerTick();
        for (Core c : cores) {
            startThread(c);
        }
    }

    private void startThread(Core core) {
        int serial = threadSerial.getAndIncrement();
        String name = config.threadNamePrefix() + "-worker-" + core.index
                + (serial >= cores.length ? "." + serial : "");
        Thread t = newThread(() -> runWorker(core), name);
        core.thread = t;
        t.start();
    }

    // ---- scheduling ---------------------------------------------------------------------

    @Override
    public void schedule(Task<?> task, boolean isYield) {
        Thread t = Thread.currentThread();
        if (t instanceof BraidThread bt && bt.scheduler == this && bt.core != null && !shutdown) {
            scheduleLocal(bt.core, task, isYield);
        } else {
            inject.push(task);
            notifyParked();
        }
    }

    private void scheduleLocal(Core core, Task<?> task, boolean isYield) {
        if (isYield || maxLifoPolls == 0) {
            core.queue.pushBackOrOverflow(task, inject, core.stats);
        } else {
            Task<?> prev = core.swapLifo(task);
            if (prev == null) {
                return; // only the LIFO slot changed: this worker runs it next
            }
            core.queue.pushBackOrOverflow(prev, inject, core.stats);
        }
        notifyParked();
    }

    private void notifyParked() {
        int w = idle.workerToNotify();
        if (w >= 0) {
            cores[w].unpark();
        }
    }

    private void notifyIfWorkPending() {
        for (Core c : cores) {
            if (!c.queue.isEmpty()) {
                notifyParked();
                return;
            }
        }
        if (!inject.isEmpty()) {
            notifyParked();
        }
    }

    // ---- the worker loop ----------------------------------------------------------------

    private void runWorker(Core initial) {
        BraidThread me = (BraidThread) Thread.currentThread();
        me.core = initial;
        try {
            workerLoop(me);
        } catch (Throwable t) {
            // Tasks cannot throw out of run(); this is a hook or a bug. Keep the core alive
            // on a fresh thread so that its queued tasks are not stranded, then die loudly.
            Core core = me.core;
            me.core = null;
            if (core != null && !shutdown) {
                startThread(core);
            }
            throw t;
        }
    }

    private void workerLoop(BraidThread me) {
        for (;;) {
            Core core = me.core;
            if (core == null) {
                return; // handed off by blockInPlace
            }
            if (shutdown) {
                drainCore(core); // what this core still holds was never polled, or was woken
                return;
            }
            core.tick++;
            if (core.tick % globalQueueInterval == 0) {
                maintenance(); // timers fire and I/O is polled while every worker is busy
            }
            Task<?> task = nextTask(core);
            if (task == null) {
                task = stealWork(core);
            }
            if (task != null) {
                runTask(me, core, task);
            } else {
                park(core);
            }
        }
    }

    private Task<?> nextTask(Core core) {
        if (core.tick % globalQueueInterval == 0) {
            Task<?> t = inject.pop();
            if (t != null) {
                return t;
            }
        }
        Task<?> t = core.takeLifo();
        if (t != null) {
            return t;
        }
        t = core.queue.pop();
        if (t != null) {
            return t;
        }
        if (inject.isEmpty()) {
            return null;
        }
        // Take a fair share of the inject queue in one lock acquisition.
        int room = core.queue.remainingSlots();
        int n = Math.min(Math.min(inject.len() / cores.length + 1, room), MAX_INJECT_BATCH);
        int[] count = new int[1];
        Task<?> first = inject.popBatch(Math.max(1, n), count);
        if (first == null) {
            return null;
        }
        Task<?> rest = first.queueNext;
        first.queueNext = null;
        while (rest != null) {
            Task<?> next = rest.queueNext;
            rest.queueNext = null;
            core.queue.pushBackOrOverflow(rest, inject, core.stats);
            rest = next;
        }
        return first;
    }

    private Task<?> stealWork(Core core) {
        if (!core.searching) {
            core.searching = idle.transitionWorkerToSearching();
            if (!core.searching) {
                return null;
            }
        }
        int n = cores.length;
        int start = n > 1 ? core.rng.nextInt(n) : 0;
        for (int i = 0; i < n; i++) {
            Core victim = cores[(start + i) % n];
            if (victim == core) {
                continue;
            }
            Task<?> t = victim.queue.stealInto(core.queue, core.stats);
            if (t != null) {
                return t;
            }
        }
        return inject.pop();
    }

    private void runTask(BraidThread me, Core core, Task<?> task) {
        if (core.searching) {
            core.searching = false;
            if (idle.transitionWorkerFromSearching()) {
                notifyParked(); // we were the last searcher: keep the search going
            }
        }
        Context cx = me.cx;
        pollOnce(me, core, cx, task);
        for (int lifoPolls = 0; ; lifoPolls++) {
            core = me.core;
            if (core == null || shutdown) {
                return;
            }
            Task<?> next = core.takeLifo();
            if (next == null) {
                return;
            }
            if (lifoPolls >= maxLifoPolls) {
                // To the back of our own queue, which this worker pops next unless it has older
                // work. No other worker is woken for it: one that came would steal a chain of
                // tasks that wake each other and move it to another core on every cap.
                core.queue.pushBackOrOverflow(next, inject, core.stats);
                return;
            }
            pollOnce(me, core, cx, next);
        }
    }

    private static void pollOnce(BraidThread me, Core core, Context cx, Task<?> task) {
        core.polls++;
        long yieldsBefore = cx.forcedYields();
        task.run(cx, Context.DEFAULT_BUDGET);
        long forced = cx.forcedYields() - yieldsBefore;
        if (forced != 0 && me.core == core) { // after a blockInPlace hand-off the core is not ours to write
            core.forcedYields += forced;
        }
    }

    private void park(Core core) {
        boolean wasSearching = core.searching;
        core.searching = false;
        if (idle.transitionWorkerToParked(core.index, wasSearching)) {
            notifyIfWorkPending();
        }
        core.parks++;
        boolean ownWork = false;
        while (idle.isParked(core.index) && !shutdown) {
            if (time.tryAcquireRole()) {
                try {
                    IoDriver io = ioOrNull();
                    time.park(io != null ? core.ioParker(io) : core, this::isIdle);
                } finally {
                    time.releaseRole();
                }
                // Timers fired here woke tasks into this core's LIFO slot and queue.
                if ((core.hasLifo() || !core.queue.isEmpty()) && idle.unparkWorker(core.index)) {
                    ownWork = true;
                }
            } else {
                if (time.autoAdvances()) {
                    time.nudge(); // the driver re-checks whether the runtime is idle
                }
                core.park();
            }
        }
        // A notifier counted us as searching when it took us off the sleeper list.
        core.searching = !shutdown && !ownWork;
    }

    /** Nothing runnable anywhere and no blocking work: a paused clock may jump ahead. */
    private boolean isIdle() {
        if (idle.numParked() != cores.length || !inject.isEmpty() || !blocking.isIdle()) {
            return false;
        }
        for (Core c : cores) {
            if (c.hasLifo() || !c.queue.isEmpty()) {
                return false;
            }
        }
        return noIoReady();
    }

    // ---- blocking -----------------------------------------------------------------------

    @Override
    public <T> T blockOn(Future<T> future) {
        Thread t = Thread.currentThread();
        if (t instanceof BraidThread bt && bt.scheduler == this && bt.core != null) {
            throw new IllegalStateException("blockOn called from a worker thread of runtime '"
                    + config.threadNamePrefix() + "': this would block the worker. Await the future "
                    + "from a task, or wrap the call in blockInPlace/spawnBlocking");
        }
        return pollToCompletion(future);
    }

    @Override
    public <T> T blockInPlace(Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        if (t instanceof BraidThread bt && bt.scheduler == this && bt.core != null) {
            Core core = bt.core;
            bt.core = null;
            // The LIFO task and the local queue travel with the core to the new thread.
            if (core.searching) {
                core.searching = false;
                if (idle.transitionWorkerFromSearching()) {
                    notifyParked();
                }
            }
            if (!shutdown) {
                startThread(core);
            }
        }
        return body.call();
    }

    // ---- shutdown -----------------------------------------------------------------------

    @Override
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        shutdown = true;
        owned.close();
        idle.unparkAll();
        for (Core c : cores) {
            c.unpark();
        }
        blocking.shutdown();
        boolean stopped = awaitThreads(deadline);
        // Workers drained their own cores on the way out. Cancel what is left in the queues:
        // the inject queue (closing it also cancels later wake-ups on the spot) and the cores
        // of workers stuck in a poll.
        inject.close();
        for (Core c : cores) {
            drainCore(c);
        }
        dropAllTasks();
        return stopped && awaitThreads(deadline);
    }

    /**
     * Cancels the tasks in a core's LIFO slot and queue. Safe from any thread: the slot is
     * exchanged atomically and the queue is emptied by stealing, even while its owner runs.
     */
    private static void drainCore(Core core) {
        Task<?> t = core.takeLifo();
        if (t != null) {
            t.shutdown();
        }
        LocalQueue scratch = new LocalQueue();
        while (!core.queue.isEmpty()) {
            t = core.queue.stealInto(scratch, null);
            if (t == null) {
                Thread.onSpinWait(); // another thread is stealing from it; it will finish soon
                continue;
            }
            t.shutdown();
            while ((t = scratch.pop()) != null) {
                t.shutdown();
            }
        }
    }

    // ---- live-task accounting -------------------------------------------------------------

    private Core ownCore() {
        return Thread.currentThread() instanceof BraidThread bt && bt.scheduler == this ? bt.core : null;
    }

    /**
     * The common case, spawning onto this runtime from one of its own workers, without the
     * general path's repeated "which core am I on?" lookups: id, count and LIFO slot all come
     * from the core looked up once.
     */
    @Override
    public <T> Task<T> spawnOn(Future<T> future, Schedule on, String name, Object site) {
        Core c = on == this ? ownCore() : null;
        if (c == null || shutdown) {
            return super.spawnOn(future, on, name, site);
        }
        Task<T> task = new Task<>(takeId(c), future, this, name, site); // born scheduled
        c.countSpawned();
        scheduleLocal(c, task, false);
        return task;
    }

    /** Ids in blocks: one shared atomic increment per 1 024 spawns on a worker. */
    private static final int ID_BLOCK = 1024;

    @Override
    long nextTaskId() {
        Core c = ownCore();
        return c == null ? super.nextTaskId() : takeId(c);
    }

    /** The next id of the core's block, reserving a new block when it is used up. */
    private static long takeId(Core c) {
        if (c.nextId == c.idLimit) {
            c.nextId = Task.reserveIds(ID_BLOCK);
            c.idLimit = c.nextId + ID_BLOCK;
        }
        return c.nextId++;
    }

    @Override
    void countSpawn() {
        Core c = ownCore();
        if (c != null) {
            c.countSpawned();
        } else {
            super.countSpawn();
        }
    }

    @Override
    void countCompletion() {
        Core c = ownCore();
        if (c != null) {
            c.countCompleted();
        } else {
            super.countCompletion();
        }
    }

    @Override
    long spawnedCount() {
        long n = super.spawnedCount();
        for (Core c : cores) {
            n += c.spawnedCount();
        }
        return n;
    }

    @Override
    long completedCount() {
        long n = super.completedCount();
        for (Core c : cores) {
            n += c.completedCount();
        }
        return n;
    }

    // ---- metrics ------------------------------------------------------------------------

    @Override
    public int workers() {
        return cores.length;
    }

    @Override
    public int globalQueueDepth() {
        return inject.len();
    }

    @Override
    public int localQueueDepth(int worker) {
        Core c = cores[worker];
        return c.queue.len() + (c.hasLifo() ? 1 : 0);
    }

    @Override
    public long steals() {
        long n = 0;
        for (Core c : cores) {
            n += c.stats.steals;
        }
        return n;
    }

    @Override
    public long parks() {
        long n = 0;
        for (Core c : cores) {
            n += c.parks;
        }
        return n;
    }

    @Override
    public long polls() {
        long n = 0;
        for (Core c : cores) {
            n += c.polls;
        }
        return n;
    }

    @Override
    public long budgetForcedYields() {
        long n = 0;
        for (Core c : cores) {
            n += c.forcedYields;
        }
        return n;
    }

    @Override
    public long overflows() {
        long n = 0;
        for (Core c : cores) {
            n += c.stats.overflows;
        }
        return n;
    }
}
