package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;

import dev.braid.runtime.DeadlockException;
import dev.braid.runtime.TaskDump;
import dev.braid.runtime.TaskInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
    /** How long an idle worker spins for a wake-up before it parks (0: never). */
    private final long parkSpinNanos;

    // Monitor state: touched only by the monitor thread (see monitorTick).
    private final Core[] watched;
    private final Task<?>[] watchedTask;
    private final long[] watchedPolls;
    private final int[] sameSamples;
    /** Quiescence seen by the deadlock check: since when (0: not quiescent), at which poll count. */
    private long quietSince;
    private long quietPolls;
    /** The current quiet spell has been reported (report-only mode). */
    private boolean quietReported;
    private final LongAdder suspectedDeadlocks = new LongAdder();
    /** The driver role as last sampled: its take count, and for how many samples it stayed free. */
    private long roleTakesSeen = -1;
    private int undrivenSamples;

    /** Cores whose place a replacement took while their thread was stalled; their threads
     *  still run the stalled poll. Guarded by {@code this.orphanLock}, with the counters of
     *  the cores whose threads have retired. */
    private final List<Core> orphans = new ArrayList<>();
    private final Object orphanLock = new Object();
    private final long[] retired = new long[7];
    private static final int R_SPAWNED = 0, R_COMPLETED = 1, R_STEALS = 2, R_PARKS = 3, R_POLLS = 4,
            R_FORCEDYIELDS = 5, R_OVERFLOWS = 6;
    private long retiredLongestPoll;
    private final long[] retiredSlowPolls = new long[8];
    private final LongAdder stalls = new LongAdder();
    /** Threads that gave their core away in blockInPlace and are still in that poll. */
    private final AtomicInteger handedOff = new AtomicInteger();
    private final LongAdder replacements = new LongAdder();
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
        this.watched = new Core[n];
        this.watchedTask = new Task<?>[n];
        this.watchedPolls = new long[n];
        this.sameSamples = new int[n];
        for (Core c : cores) {
            startThread(c);
        }
        startMonitor();
    }

    private void startThread(Core core) {
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
            Schedule nowhere = new Schedule() {
                @Override
                public void schedule(Task<?> task, boolean isYield) {
                }

                @Override
                public void release(Task<?> task) {
                }

                @Override
                public boolean register(Task<?> task) {
                    return true;
                }
            };
            Core c = new Core(0, 0);
            Task<Object> t = Task.idle(cx -> cx.waker() == null ? dev.braid.future.Poll.pending() : dev.braid.future.Poll.ready(null), nowhere, null, null);
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

    private void notifyParked() {
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
                retire(me, core);
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
                retire(me, core); // a replacement took this core's place while we were stalled
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
                    // as if we had woken: runWorker restarts this core on a fresh thread.
                    idle.unparkWorker(core.index);
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
     * poll returns. The pool's threads are reused and counted against its limit. At the limit
     * no thread is waited for: the body runs on this worker, which keeps its core, as a plain
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
                retire(bt, core); // already replaced: hand on what it holds, then block
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
        if (!poolLimitReported) {
            poolLimitReported = true;
            Diagnostics.LOG.log(System.Logger.Level.WARNING, () -> "blockInPlace on worker thread '"
                    + bt.getName() + "': the blocking pool is at its limit (maxBlockingThreads "
                    + config.maxBlockingThreads() + "), so the body runs on the worker, which keeps its"
                    + " place; its queued tasks are open to the other workers. Raise maxBlockingThreads"
                    + " or block less at once. (Said once per runtime.)");
        }
    }

    // ---- the monitor: stalls ------------------------------------------------------------

    @Override
    void monitorTick(long now) {
        long threshold = monitor.thresholdNanos;
        for (int i = 0; i < cores.length; i++) {
            Core c = cores[i];
            Task<?> t = c.current();
            long p = c.polls;
            if (c != watched[i] || t == null || t != watchedTask[i] || p != watchedPolls[i]) {
                if (c == watched[i] && c.stalledSince != 0) {
                    c.stalledSince = 0; // the stalled poll returned: the incident is over
                }
                watched[i] = c;
                watchedTask[i] = t;
                watchedPolls[i] = p;
                sameSamples[i] = 0;
                continue;
            }
            sameSamples[i]++;
            long ran = now - c.pollStart;
            if (c.stalledSince == 0) {
                // Both a duration and consecutive samples: a GC pause stops the monitor too,
                // and must not make every poll in flight look stalled.
                if (sameSamples[i] < monitor.minSamples || ran < threshold) {
                    continue;
                }
                c.stalledSince = now - ran;
                Thread th = c.thread;
                StackTraceElement[] stack = th != null ? th.getStackTrace() : new StackTraceElement[0];
                // Still in the same poll after its stack was taken: a stall to report. (A poll
                // that ran just past the threshold and ended meanwhile, as cold code or an OS
                // preemption makes happen, is handed on but not reported.) Checked before the
                // hand-on, which may itself end the poll by running what it waited for.
                boolean stillStalled = c.current() == t && c.polls == p;
                if (stillStalled) {
                    // Counted before the hand-on too: what it hands on may end the stalled
                    // poll, and whoever waited for that must then find the stall counted.
                    stalls.increment();
                }
                boolean replaced = handOn(i, c, t, p);
                if (stillStalled) {
                    report(c, th, t, ran, stack, replaced);
                }
            } else if (!c.orphaned) {
                handOn(i, c, t, p);
            }
        }
        sweepOrphans();
        superviseDrivers();
        if (config.deadlockDelay() != null) {
            checkDeadlock(now);
        }
    }

    /**
     * Keeps timers and I/O driven while a worker is stuck: when timers or I/O registrations
     * exist and the driver role has stayed free, and not been taken, for {@code minSamples}
     * samples (half the stall threshold), either a parked worker is unparked (it takes the
     * role before it sleeps again, see {@link #park}) or, with every worker busy or stuck, the
     * monitor fires due timers and polls I/O itself, every tick until a worker drives again.
     * The role is free while its last holder runs what it woke; if that blocks, the workers
     * that parked meanwhile sleep without a timeout and nothing else would drive.
     */
    private void superviseDrivers() {
        long takes = time.roleTakes();
        if (time.roleHeld() || takes != roleTakesSeen) {
            roleTakesSeen = takes;
            undrivenSamples = 0;
            return;
        }
        IoDriver d = ioOrNull();
        if (time.registeredTimers() == 0 && (d == null || d.registrations() == 0)) {
            undrivenSamples = 0;
            return;
        }
        if (++undrivenSamples < monitor.minSamples) {
            return;
        }
        int w = idle.anyParked();
        if (w >= 0) {
            undrivenSamples = 0;
            cores[w].unpark(); // still parked in Idle's books: it loops and takes the role
            return;
        }
        maintenance(); // tasks it wakes go to the inject queue, which handOn sees next tick
        roleTakesSeen = time.roleTakes(); // our own take: keep counting, drive again next tick
    }

    /**
     * Makes a stalled core's work available: its LIFO task goes to the inject queue (its
     * local queue can be stolen as it is), a parked worker is woken for them, and if work
     * waits with no worker free to take it, a replacement takes the core's place. Returns
     * true if a replacement was started.
     */
    private boolean handOn(int i, Core c, Task<?> t, long polls) {
        Task<?> lifo = c.takeLifo();
        if (lifo != null) {
            inject.push(lifo);
        }
        boolean queued = !c.queue.isEmpty();
        if (lifo != null || queued) {
            notifyParked();
        }
        if (!(queued || !inject.isEmpty() || otherWorkQueued(c))) {
            return false;
        }
        if (idle.numParked() != 0 || idle.numSearching() != 0) {
            return false; // a free worker will take it
        }
        return replace(i, c, t, polls);
    }

    private boolean otherWorkQueued(Core stalled) {
        for (Core c : cores) {
            if (c != stalled && (!c.queue.isEmpty() || c.hasLifo())) {
                return true;
            }
        }
        return false;
    }

    /** Gives core {@code i}'s place to a fresh core and thread; the stalled one is orphaned. */
    private boolean replace(int i, Core old, Task<?> t, long polls) {
        Core fresh = new Core(i, System.nanoTime() * 0x9E3779B97F4A7C15L + i);
        synchronized (idle) {
            // Re-check under the lock the worker parks under: the poll may have just ended.
            if (shutdown || old.orphaned || idle.isParked(i) || old.polls != polls || old.current() != t) {
                return false;
            }
            synchronized (orphanLock) {
                if (orphans.size() >= config.maxStalledThreads()) {
                    return false;
                }
                // One step for metrics (sumCores): the old core moves from cores to orphans.
                // Before orphaned is set, so that retire() always finds it there.
                orphans.add(old);
                cores[i] = fresh; // published to the new thread by start(); others may see it late
            }
            old.orphaned = true;
        }
        // Until its thread starts, this thread is the fresh core's only owner: it may fill the
        // queue (others may already steal from it). The stalled thread sends later wake-ups
        // to the inject queue, and the monitor sweeps what it queued in the race.
        Task<?> lifo = old.takeLifo();
        if (lifo != null) {
            fresh.swapLifo(lifo);
        }
        for (int tries = 0; tries < 8 && !old.queue.isEmpty(); tries++) {
            Task<?> first = old.queue.stealInto(fresh.queue, fresh.stats);
            if (first != null) {
                fresh.queue.pushBackOrOverflow(first, inject, fresh.stats);
            }
        }
        replacements.increment();
        startThread(fresh);
        return true;
    }

    /** Moves anything a stalled thread queued on its orphaned core to the inject queue. */
    private void sweepOrphans() {
        List<Core> snapshot;
        synchronized (orphanLock) {
            if (orphans.isEmpty()) {
                return;
            }
            snapshot = new ArrayList<>(orphans);
        }
        for (Core c : snapshot) {
            if (!c.hasLifo() && c.queue.isEmpty()) {
                continue;
            }
            Task<?> l = c.takeLifo();
            if (l != null) {
                inject.push(l);
            }
            LocalQueue scratch = new LocalQueue();
            Task<?> t;
            while (!c.queue.isEmpty() && (t = c.queue.stealInto(scratch, null)) != null) {
                inject.push(t);
                while ((t = scratch.pop()) != null) {
                    inject.push(t);
                }
            }
            notifyParked();
        }
    }

    /**
     * The thread of an orphaned core, back from its stalled poll (or entering blockInPlace):
     * hands on what the core still holds, folds its counters into the runtime's, and ends.
     */
    private void retire(BraidThread me, Core core) {
        me.core = null;
        core.setCurrent(null);
        Task<?> t = core.takeLifo();
        if (t != null) {
            inject.push(t);
        }
        while ((t = core.queue.pop()) != null) {
            inject.push(t);
        }
        if (core.searching) {
            core.searching = false;
            idle.transitionWorkerFromSearching();
        }
        notifyParked();
        synchronized (orphanLock) {
            orphans.remove(core);
            retired[R_SPAWNED] += core.spawnedCount();
            retired[R_COMPLETED] += core.completedCount();
            retired[R_POLLS] += core.polls;
            retired[R_PARKS] += core.parks;
            retired[R_STEALS] += core.stats.steals;
            retired[R_FORCEDYIELDS] += core.forcedYields;
            retired[R_OVERFLOWS] += core.stats.overflows;
            retiredLongestPoll = Math.max(retiredLongestPoll, core.longestPoll);
            for (int b = 0; b < 8; b++) {
                retiredSlowPolls[b] += core.slowPolls[b];
            }
        }
        long since = core.stalledSince;
        if (since != 0) {
            Diagnostics.LOG.log(System.Logger.Level.DEBUG, () -> "worker thread '" + me.getName()
                    + "' returned from its stalled poll after " + Diagnostics.format(System.nanoTime() - since)
                    + "; a replacement holds its place, so this thread ends");
        }
    }

    private void report(Core c, Thread th, Task<?> t, long ran, StackTraceElement[] st, boolean replaced) {
        Task<?> shown = innermost(t);
        String stack = Diagnostics.stack(st, 40);
        String what = Scheduler.describe(shown) + (shown != t ? " (on " + Diagnostics.executor(shown) + ")" : "")
                + ", spawned " + Diagnostics.describeSite(shown.spawnSite());
        String threadName = th != null ? th.getName() : "?";
        String more = th != null && !stallListeners.isEmpty()
                ? describeStall(th, Diagnostics.info(shown, true, Monitor.coarseNanos, threadName), ran) : "";
        Diagnostics.LOG.log(System.Logger.Level.WARNING, () -> "worker thread '" + threadName + "' is stalled: "
                + what + " has been in one poll for " + Diagnostics.format(ran) + " (stall threshold "
                + Diagnostics.format(monitor.thresholdNanos) + "). "
                + (replaced ? "A replacement worker took its place; its queued tasks moved on."
                            : "Its queued tasks are open to the other workers.")
                + " Move blocking calls and long computations to spawnBlocking or blockInPlace, or yield"
                + " between pieces of work. Stalled thread:" + stack + more);
        Events.Stall e = new Events.Stall();
        if (e.shouldCommit()) {
            e.worker = threadName;
            e.taskId = shown.id();
            e.taskName = shown.name();
            e.spawnSite = Diagnostics.describeSite(shown.spawnSite());
            e.pollDuration = ran;
            e.replaced = replaced;
            e.stack = stack;
            e.commit();
        }
    }

    /** For a strand's driver, the strand task it is running; else the task itself. */
    private static Task<?> innermost(Task<?> t) {
        if (t.futureForDiagnostics() instanceof StrandScheduler.Slice slice) {
            Task<?> inner = slice.running();
            if (inner != null) {
                return inner;
            }
        }
        return t;
    }

    @Override
    Map<Task<?>, String> runningTasks() {
        Map<Task<?>, String> out = new HashMap<>();
        long now = System.nanoTime();
        List<Core> all = new ArrayList<>(List.of(cores));
        synchronized (orphanLock) {
            all.addAll(orphans);
        }
        for (Core c : all) {
            Task<?> t = c.current();
            Thread th = c.thread;
            if (t != null && th != null) {
                String desc = "polled by " + th.getName() + (monitor != null ? " for " + Diagnostics.format(Math.max(0, now - c.pollStart)) : "")
                        + (c.orphaned || c.stalledSince != 0 ? ", stalled" : "");
                Task<?> inner = innermost(t);
                out.put(inner, desc);
            }
        }
        return out;
    }

    // ---- the monitor: deadlocks ----------------------------------------------------------

    /**
     * Reports a suspected deadlock once nothing has been able to make progress for the
     * configured delay while a thread waits in blockOn: all workers parked with empty queues,
     * no stalled thread, no timer, no I/O registration, an idle blocking pool, no wake-up
     * from outside the runtime ever, and no task awaiting something outside it. A thread the
     * runtime cannot see may still wake a task, so by default the report (log, JFR event,
     * dump) is all: blockOn keeps waiting, and the same quiet spell is reported once. In a
     * closed world ({@code Builder.closedWorld()}) no such thread exists, and every waiting
     * blockOn fails with a {@link DeadlockException}.
     */
    private void checkDeadlock(long now) {
        if (blockers.isEmpty() || externallyWoken || anyBlockerWoken() || !quiescent()) {
            quietSince = 0;
            return;
        }
        long p = polls() + blockOnPolls();
        if (quietSince == 0 || p != quietPolls) {
            quietSince = now;
            quietPolls = p;
            quietReported = false;
            return;
        }
        if (quietReported || now - quietSince < config.deadlockDelay().toNanos()) {
            return;
        }
        // One snapshot of the waiting blockOn calls: the report names them, and they (not
        // calls that began since) are the ones that fail.
        List<ThreadWaker> waiting = new ArrayList<>(blockers);
        TaskDump dump = taskDump();
        for (TaskInfo ti : dump.tasks()) {
            if (ti.waitsOn() != null && ti.waitsOn().startsWith("external.")) {
                quietSince = 0; // something outside the runtime will wake it
                return;
            }
        }
        for (ThreadWaker w : waiting) {
            String op = w.cx != null ? w.cx.waitOp() : null;
            if (op != null && op.startsWith("external.")) {
                quietSince = 0;
                return;
            }
        }
        boolean fail = config.closedWorld();
        StringBuilder msg = new StringBuilder(fail ? "deadlock" : "suspected deadlock")
                .append(": nothing in runtime '").append(config.threadNamePrefix())
                .append("' can make progress (no runnable task, timer, I/O or blocking work for ")
                .append(Diagnostics.format(now - quietSince)).append(") and ");
        List<String> waits = blockOnWaits(waiting);
        msg.append(dump.tasks().size()).append(dump.tasks().size() == 1 ? " task waits:" : " tasks wait:");
        for (TaskInfo ti : dump.tasks()) {
            msg.append("\n  ").append(ti);
        }
        for (String w : waits) {
            msg.append("\n  ").append(w);
        }
        msg.append(fail
                ? "\n(The runtime was built as a closed world, so every blockOn above fails. If a thread outside"
                        + " the runtime wakes tasks, do not declare a closed world.)"
                : "\n(blockOn keeps waiting: a thread outside the runtime may still wake one of these. If none"
                        + " will, this is a deadlock. This quiet spell is not reported again.)");
        String text = msg.toString();
        suspectedDeadlocks.increment(); // before the log: whoever reads the log finds it counted
        Diagnostics.LOG.log(fail ? System.Logger.Level.ERROR : System.Logger.Level.WARNING, text);
        Events.Deadlock e = new Events.Deadlock();
        if (e.shouldCommit()) {
            e.waitingTasks = dump.tasks().size();
            e.failedBlockOn = fail;
            e.report = text;
            e.commit();
        }
        if (fail) {
            for (ThreadWaker w : waiting) {
                w.fail(new DeadlockException(text, dump));
            }
            quietSince = 0;
        } else {
            quietReported = true;
        }
    }

    @Override
    public long suspectedDeadlocks() {
        return suspectedDeadlocks.sum();
    }

    private boolean quiescent() {
        if (idle.numParked() != cores.length || !inject.isEmpty() || time.registeredTimers() != 0
                || !blocking.isIdle() || handedOff.get() != 0) {
            return false;
        }
        for (Core c : cores) {
            if (c.hasLifo() || !c.queue.isEmpty() || c.current() != null) {
                return false;
            }
        }
        synchronized (orphanLock) {
            if (!orphans.isEmpty()) {
                return false;
            }
        }
        IoDriver d = ioOrNull();
        return d == null || d.registrations() == 0;
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
        List<Core> stalled;
        synchronized (orphanLock) {
            stalled = new ArrayList<>(orphans);
        }
        for (Core c : stalled) {
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
        return super.spawnedCount() + sumCores(c -> c.spawnedCount(), R_SPAWNED);
    }

    @Override
    long completedCount() {
        return super.completedCount() + sumCores(c -> c.completedCount(), R_COMPLETED);
    }

    // ---- metrics ------------------------------------------------------------------------

    /** A counter summed over the cores, the orphaned cores, and what retired cores left
     *  behind. Under the lock that replace() and retire() move a core between those under,
     *  so each core counts exactly once. */
    private long sumCores(java.util.function.ToLongFunction<Core> f, int retiredIndex) {
        synchronized (orphanLock) {
            long n = retired[retiredIndex];
            for (Core c : cores) {
                n += f.applyAsLong(c);
            }
            for (Core c : orphans) {
                n += f.applyAsLong(c);
            }
            return n;
        }
    }

    @Override
    public long stalls() {
        return stalls.sum();
    }

    @Override
    public long[] slowPollHistogram() {
        long[] h = new long[8];
        List<Core> all;
        synchronized (orphanLock) { // each core once (see sumCores)
            all = new ArrayList<>(List.of(cores));
            all.addAll(orphans);
            for (int b = 0; b < 8; b++) {
                h[b] += retiredSlowPolls[b];
            }
        }
        for (Core c : all) {
            for (int b = 0; b < 8; b++) {
                h[b] += c.slowPolls[b];
            }
        }
        return h;
    }

    @Override
    public long replacementWorkers() {
        return replacements.sum();
    }

    @Override
    public long longestPollNanos() {
        long n = 0;
        for (Core c : cores) {
            n = Math.max(n, c.longestPoll);
        }
        synchronized (orphanLock) {
            for (Core c : orphans) {
                n = Math.max(n, c.longestPoll);
            }
            return Math.max(n, retiredLongestPoll);
        }
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
        return sumCores(c -> c.stats.steals, R_STEALS);
    }

    @Override
    public long parks() {
        return sumCores(c -> c.parks, R_PARKS);
    }

    @Override
    public long polls() {
        return sumCores(c -> c.polls, R_POLLS);
    }

    @Override
    public long budgetForcedYields() {
        return sumCores(c -> c.forcedYields, R_FORCEDYIELDS);
    }

    @Override
    public long overflows() {
        return sumCores(c -> c.stats.overflows, R_OVERFLOWS);
    }
}
