package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
 * nobody is searching: invariant 1 of {@link Idle}, which also names the one exception.
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
 * worker's core to a thread lent by the blocking pool and lets the caller block; the caller
 * leaves the worker loop when its current poll returns (a worker's own thread ends, a lent
 * thread goes back to the pool). What the monitor thread does (stalls, replacement
 * workers, the drivers, deadlocks) is in {@link WorkerMonitor}, with the states of a
 * worker's place drawn in its header. Shutdown stops every thread and drops all remaining
 * tasks: each worker cancels what its core holds on the way out, then the shutdown thread
 * closes the inject queue, drains the cores of workers stuck in a poll, and sweeps the
 * live-task list.
 */
public final class MultiThreadScheduler extends Scheduler {
    /** Upper bound on tasks moved from the inject queue into a local queue at once. */
    private static final int MAX_INJECT_BATCH = 128;

    /** The cores in place; the monitor swaps in a replacement (see WorkerMonitor). */
    final Core[] cores;
    final Inject inject = new Inject();
    final Idle idle;
    private final AtomicInteger threadSerial = new AtomicInteger();
    private final int globalQueueInterval;
    private final int maxLifoPolls;
    /** How long an idle worker spins for a wake-up before it parks (0: never). */
    private final long parkSpinNanos;

    /** Stalls, orphans, drivers and deadlocks: the monitor thread's side (see its header). */
    private final WorkerMonitor watch;

    /** Threads that gave their core away in blockInPlace and are still in that poll. */
    final AtomicInteger handedOff = new AtomicInteger();
    /** Set once blockInPlace has found the blocking pool at its limit and said so. */
    private volatile boolean poolLimitReported;

    public MultiThreadScheduler(Config config, long seed) {
        super(config, config.workerThreads() * 4);
        WarmUp.once();
        int n = config.workerThreads();
        this.cores = new Core[n];
        for (int i = 0; i < n; i++) {
            cores[i] = new Core(i, seed + i * 0x632BE59BD9B4E019L);
        }
        this.idle = new Idle(n);
        this.globalQueueInterval = config.globalQueueInterval();
        this.maxLifoPolls = config.maxLifoPollsPerTick();
        this.parkSpinNanos = config.parkSpinNanos();
        this.watch = new WorkerMonitor(this, n);
        for (Core c : cores) {
            startThread(c);
        }
        startMonitor();
    }

    void startThread(Core core) {
        int serial = threadSerial.getAndIncrement();
        String name = config.threadNamePrefix() + "-worker-" + core.index
                + (serial >= cores.length ? "." + serial : "");
        Thread t = newThread(() -> runWorker(core), name);
        core.thread = t;
        t.start();
    }

    /**
     * Links the var handles of the hot paths once per JVM, at build time. The first call of
     * each access mode spins method-handle classes for 1-10 ms; done inside the first task's
     * poll, that made the monitor report task #1 as stalled.
     */
    private static final class WarmUp {
        private static boolean done;

        static synchronized void once() {
            if (done) {
                return;
            }
            done = true;
            Core c = new Core(0, 0);
            Task<Object> t = Task.idle(cx -> cx.waker() == null ? dev.braid.future.Poll.pending() : dev.braid.future.Poll.ready(null), Schedule.NOWHERE, null, null);
            t.wake();
            c.swapLifo(t);
            c.hasLifo();
            c.takeLifo();
            c.setCurrent(t);
            c.current();
            c.countSpawned();
            c.countCompleted();
            c.spawnedCount();
            c.completedCount();
            c.unpark();
            c.takeNotified();
            LocalQueue other = new LocalQueue();
            c.queue.pushBackOrOverflow(t, new Inject(), c.stats);
            c.queue.stealInto(other, new LocalQueue.Stats());
            other.pop();
            Context cx = new Context(dev.braid.future.Waker.NOOP);
            t.run(cx, Context.DEFAULT_BUDGET);
            t.isComplete();
        }
    }

    // ---- scheduling ---------------------------------------------------------------------

    @Override
    public void schedule(Task<?> task, boolean isYield) {
        Thread t = Thread.currentThread();
        Core c;
        if (t instanceof BraidThread bt && bt.scheduler == this && (c = bt.core) != null && !c.orphaned && !shutdown) {
            scheduleLocal(c, task, isYield);
        } else {
            noteForeignWake(task); // a plain thread, or another runtime's: either may hold the key to a wait
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

    void notifyParked() {
        int w = idle.workerToNotify();
        if (w >= 0) {
            cores[w].unpark();
        }
    }

    /** The last searcher's look at every queue (Idle, invariant 1): wakes a worker if work is left. */
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
            if (me.core == null && me.handedOff) {
                me.handedOff = false;
                handedOff.decrementAndGet();
            }
            // Tasks cannot throw out of run(); this is a hook or a bug. Keep the core alive
            // on a fresh thread so that its queued tasks are not stranded, then die loudly.
            Core core = me.core;
            if (core != null && core.orphaned) {
                watch.retire(me, core);
            } else if (core != null) {
                me.core = null;
                if (!shutdown) {
                    startThread(core);
                }
            }
            throw t;
        }
    }

    private void workerLoop(BraidThread me) {
        for (;;) {
            Core core = me.core;
            if (core == null) {
                if (me.handedOff) { // the poll that called blockInPlace has returned
                    me.handedOff = false;
                    handedOff.decrementAndGet();
                }
                return; // handed off by blockInPlace
            }
            if (core.orphaned) {
                watch.retire(me, core); // a replacement took this core's place while we were stalled
                return;
            }
            if (shutdown) {
                drainCore(core); // what this core still holds was never polled, or was woken
                return;
            }
            core.tick++;
            if ((core.tick & (Core.RENEW_TICKS - 1)) == 0) {
                renew(me, core);
            }
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
                renew(me, core); // a long park may have seen them promoted
            }
        }
    }

    /** Keeps the objects every poll writes a task into young (see {@link Core.Slots}). */
    private static void renew(BraidThread me, Core core) {
        core.renewSlots();
        me.renewContext();
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
                // The last searcher's re-check (Idle: invariant 1; hand-off step 2 says why only if work is left).
                notifyIfWorkPending();
            }
        }
        Context cx = me.cx;
        pollOnce(me, core, cx, task);
        for (int lifoPolls = 0; ; lifoPolls++) {
            core = me.core;
            if (core == null || shutdown || core.orphaned) {
                return;
            }
            Task<?> next = core.takeLifo();
            if (next == null) {
                return;
            }
            if (lifoPolls >= maxLifoPolls) {
                // To the back of our own queue, waking nobody: the one exception to Idle's
                // invariant 1, argued there.
                core.queue.pushBackOrOverflow(next, inject, core.stats);
                return;
            }
            pollOnce(me, core, cx, next);
        }
    }

    private static void pollOnce(BraidThread me, Core core, Context cx, Task<?> task) {
        core.polls++;
        long start = Monitor.coarseNanos;
        core.pollStart = start;
        core.setCurrent(task); // the monitor watches this (see Monitor)
        long yieldsBefore = cx.forcedYields();
        task.run(cx, Context.DEFAULT_BUDGET);
        long took = Monitor.coarseNanos - start;
        if (me.core != core) {
            return; // after a blockInPlace hand-off the core is not ours to write
        }
        core.setCurrent(null);
        long forced = cx.forcedYields() - yieldsBefore;
        if (forced != 0) {
            core.forcedYields += forced;
        }
        if (took != task.lastPoll) {
            task.lastPoll = took;
            if (took > 0) {
                slowPoll(core, task, took);
            }
        }
    }

    /** A poll that spanned at least one monitor tick: longest-poll metric and JFR event. */
    private static void slowPoll(Core core, Task<?> task, long took) {
        if (took > core.longestPoll) {
            core.longestPoll = took;
        }
        long ms = took / 1_000_000;
        core.slowPolls[Math.min(7, 63 - Long.numberOfLeadingZeros(Math.max(1, ms)))]++;
        if (took >= SLOW_POLL_NANOS) {
            Events.SlowPoll e = new Events.SlowPoll();
            if (e.shouldCommit()) {
                e.taskId = task.id();
                e.taskName = task.name();
                e.pollDuration = took;
                e.commit();
            }
        }
    }

    /** Polls at least this long (coarse clock) are JFR SlowPoll events: over 1 ms for sure. */
    private static final long SLOW_POLL_NANOS = 2_000_000;

    private void park(Core core) {
        boolean wasSearching = core.searching;
        boolean lastSearcher;
        synchronized (idle) { // the monitor orphans a core under this lock: never both
            if (core.orphaned) {
                return; // the worker loop retires this thread
            }
            core.searching = false;
            lastSearcher = idle.transitionWorkerToParked(core.index, wasSearching);
        }
        if (lastSearcher) {
            notifyIfWorkPending(); // the re-check of Idle's invariant 1
        }
        core.parks++;
        Events.Park event = new Events.Park();
        event.begin();
        boolean drove = false;
        boolean ownWork = false;
        boolean waited = false;
        core.beginIdle(System.nanoTime(), parkSpinNanos);
        while (idle.isParked(core.index) && !shutdown) {
            if (time.tryAcquireRole()) {
                drove = true;
                try {
                    IoDriver io = ioOrNull();
                    time.park(io != null ? core.ioParker(io) : core, this::isIdle);
                } catch (Throwable t) {
                    // Wakers are guarded, so this is the selector failing. Leave Idle's books
                    // as if we had woken: runWorker restarts this core on a fresh thread. If a
                    // notifier already took us off the sleeper list, it counted us as
                    // searching: the restarted worker must give that count back.
                    core.searching = !idle.unparkWorker(core.index);
                    throw t;
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
                long spin = core.spinBudget(parkSpinNanos);
                if (spin == 0 || !core.spinForUnpark(spin)) {
                    core.park();
                }
                waited = true;
            }
        }
        if (waited && !drove && !shutdown) {
            core.learnNotifiedWait(parkSpinNanos);
        }
        if (parkSpinNanos != 0) {
            core.endIdle(System.nanoTime()); // busy from here: that earns spin credit
        }
        // A notifier counted us as searching when it took us off the sleeper list.
        core.searching = !shutdown && !ownWork;
        if (event.shouldCommit()) {
            event.worker = core.index;
            event.driver = drove;
            event.commit();
        }
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

    /**
     * Hands the calling worker's core (its LIFO task and local queue) to a thread lent by the
     * blocking pool, then runs {@code body} here; this thread leaves the worker loop when its
     * poll returns. The loan takes an idle pool thread or a new one within the pool's limit;
     * while it drives the core the thread does not count against that limit (see
     * {@link BlockingPool}). With neither available no thread is waited for: the body runs on this worker, which keeps its core, as a plain
     * blocking call would. Its LIFO task moves to the inject queue first (its local queue can
     * be stolen anyway), a warning names the limit once per runtime, and a body that outlasts
     * the stall threshold is handled as a stall.
     */
    @Override
    public <T> T blockInPlace(Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        if (t instanceof BraidThread bt && bt.scheduler == this && bt.core != null) {
            Core core = bt.core;
            Task<?> running = core.current();
            boolean detached = false;
            synchronized (idle) { // not while the monitor orphans this core
                if (!core.orphaned) {
                    bt.core = null;
                    bt.handedOff = true; // counted as work in progress until the poll returns
                    handedOff.incrementAndGet();
                    core.setCurrent(null); // this poll may block now: it is no stall
                    if (core.searching) {
                        core.searching = false;
                        if (idle.transitionWorkerFromSearching()) {
                            notifyParked();
                        }
                    }
                    detached = true;
                }
            }
            if (detached) {
                // The LIFO task and the local queue travel with the core to the lent thread.
                if (shutdown) {
                    drainCore(core);
                } else if (!blocking.lend(() -> driveLent(core))) {
                    keepCoreAtLimit(bt, core, running);
                }
            } else {
                watch.retire(bt, core); // already replaced: hand on what it holds, then block
                bt.handedOff = true;
                handedOff.incrementAndGet();
            }
        }
        return body.call();
    }

    /** A pool thread drives a handed-off core until it is handed on again, then goes back. */
    private void driveLent(Core core) {
        Thread me = Thread.currentThread();
        String poolName = me.getName();
        int serial = threadSerial.getAndIncrement();
        me.setName(config.threadNamePrefix() + "-worker-" + core.index + "." + serial);
        core.thread = me;
        try {
            runWorker(core);
        } finally {
            ((BraidThread) me).core = null; // the shutdown path leaves it set; this is a pool thread again
            me.setName(poolName);
        }
    }

    /** The pool is at its limit: this thread keeps its core and blocks with it. */
    private void keepCoreAtLimit(BraidThread bt, Core core, Task<?> running) {
        synchronized (idle) {
            bt.core = core;
            bt.handedOff = false;
            handedOff.decrementAndGet();
            core.setCurrent(running); // a long body is now a stall, as it is one
        }
        Task<?> lifo = core.takeLifo();
        if (lifo != null) {
            inject.push(lifo);
        }
        if (lifo != null || !core.queue.isEmpty()) {
            notifyParked();
        }
        if (!poolLimitReported && !shutdown) {
            poolLimitReported = true;
            Diagnostics.LOG.log(System.Logger.Level.WARNING, () -> "blockInPlace on worker thread '"
                    + bt.getName() + "': the blocking pool is at its limit (maxBlockingThreads "
                    + config.maxBlockingThreads() + "), so the body runs on the worker, which keeps its"
                    + " place; its queued tasks are open to the other workers. Raise maxBlockingThreads"
                    + " or block less at once. (Said once per runtime.)");
        }
    }

    // ---- the monitor's side (see WorkerMonitor) ------------------------------------------

    @Override
    void monitorTick(long now) {
        watch.tick(now);
    }

    @Override
    Map<Task<?>, String> runningTasks() {
        Map<Task<?>, String> out = new HashMap<>();
        long now = System.nanoTime();
        for (Core c : watch.allCores()) {
            Task<?> t = c.current();
            Thread th = c.thread;
            if (t != null && th != null) {
                String desc = "polled by " + th.getName() + (monitor != null ? " for " + Diagnostics.format(Math.max(0, now - c.pollStart)) : "")
                        + (c.orphaned || c.stalledSince != 0 ? ", stalled" : "");
                out.put(WorkerMonitor.innermost(t), desc);
            }
        }
        return out;
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
        for (Core c : watch.allCores()) { // the orphans too
            drainCore(c);
        }
        dropAllTasks();
        if (stopped && awaitThreads(deadline)) {
            return true;
        }
        reportStuck(timeout);
        return false;
    }

    /** Names the tasks whose polls kept their threads alive past the shutdown timeout. */
    private void reportStuck(Duration timeout) {
        StringBuilder b = new StringBuilder();
        runningTasks().forEach((t, where) -> b.append("\n  ").append(Scheduler.describe(t))
                .append(", spawned ").append(Diagnostics.describeSite(t.spawnSite())).append(", ").append(where));
        int blockingBusy = blocking.busyThreads();
        if (blockingBusy > 0) {
            b.append("\n  ").append(blockingBusy).append(" blocking-pool thread(s) still running their task");
        }
        Diagnostics.LOG.log(System.Logger.Level.WARNING, "shutdown of runtime '" + config.threadNamePrefix()
                + "' timed out after " + Diagnostics.format(timeout.toNanos())
                + "; these polls never returned (their daemon threads are left running):" + b);
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
        if (c == null || shutdown || c.orphaned) {
            return super.spawnOn(future, on, name, site);
        }
        Task<T> task = new Task<>(takeId(c), future, this, name, site); // born scheduled
        task.spawnedAt = Monitor.coarseNanos;
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
        return super.spawnedCount() + sumCores(c -> c.spawnedCount(), WorkerMonitor.R_SPAWNED);
    }

    @Override
    long completedCount() {
        return super.completedCount() + sumCores(c -> c.completedCount(), WorkerMonitor.R_COMPLETED);
    }

    // ---- metrics ------------------------------------------------------------------------

    private long sumCores(java.util.function.ToLongFunction<Core> f, int retiredIndex) {
        return watch.sumCores(f, retiredIndex);
    }

    @Override
    public long stalls() {
        return watch.stalls();
    }

    @Override
    public long[] slowPollHistogram() {
        return watch.slowPollHistogram();
    }

    @Override
    public long replacementWorkers() {
        return watch.replacementWorkers();
    }

    @Override
    public long longestPollNanos() {
        return watch.longestPollNanos();
    }

    @Override
    public long suspectedDeadlocks() {
        return watch.suspectedDeadlocks();
    }

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
        return sumCores(c -> c.stats.steals, WorkerMonitor.R_STEALS);
    }

    @Override
    public long parks() {
        return sumCores(c -> c.parks, WorkerMonitor.R_PARKS);
    }

    @Override
    public long polls() {
        return sumCores(c -> c.polls, WorkerMonitor.R_POLLS);
    }

    @Override
    public long budgetForcedYields() {
        return sumCores(c -> c.forcedYields, WorkerMonitor.R_FORCEDYIELDS);
    }

    @Override
    public long overflows() {
        return sumCores(c -> c.stats.overflows, WorkerMonitor.R_OVERFLOWS);
    }
}
