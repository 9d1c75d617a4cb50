package dev.braid.runtime.internal;

import dev.braid.runtime.DeadlockException;
import dev.braid.runtime.TaskDump;
import dev.braid.runtime.TaskInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the monitor thread does for a {@link MultiThreadScheduler} on every tick
 * ({@link Monitor}): it finds stalled workers and moves their work on, keeps timers and I/O
 * driven, and looks for deadlocks. Everything here runs on the monitor thread, except
 * {@link #retire}, which a stalled thread calls when its poll returns, and the counters.
 *
 * <h2>A worker's place, as the monitor sees it</h2>
 * A place is a worker index {@code i}; {@code cores[i]} is the core that holds it.
 * <pre>
 *                 same task, same poll for the threshold
 *                 and for minSamples samples in a row
 *   RUNNING ───────────────────────────────────────────▶ STALLED ──── the poll returns ───▶ RUNNING
 *      │                                                    │          (stalledSince cleared)
 *      │ blockInPlace                                       │ work waits, no worker parked or
 *      ▼                                                    │ searching, the same poll still runs
 *   HANDED OFF: the core goes to a thread lent by the       ▼ (re-checked under Idle's lock)
 *   blocking pool; the caller keeps only its poll        ORPHANED: cores[i] = a fresh core on a
 *   (or, the pool full, keeps its core: RUNNING)          new thread, with the old one's queued
 *                                                         work; the old core joins orphans
 *                                                           │ its thread's poll returns
 *                                                           ▼
 *                                                        RETIRED: the thread hands on what the
 *                                                         core still holds, folds its counters
 *                                                         into retired, and ends
 * </pre>
 * On entering STALLED the monitor moves the LIFO task to the inject queue (the local queue
 * can be stolen as it is) and wakes a parked worker. While STALLED it hands on again every
 * tick, and orphans the core once work waits that no free worker will take.
 * The stall it counts and reports is the task's: for a strand's slice, each strand task that
 * ran the threshold by itself. It takes the thread's stack and counts the stall only if the
 * same poll (and strand task) still ran after the stack was taken; it reports a task of no
 * strand at once, a strand task once it holds someone up (see {@link #worthReporting}). Orphans are swept every tick: a wake-up the stalled thread sent to
 * its own core before it saw it orphaned moves to the inject queue.
 *
 * <h2>Two locks</h2>
 * <ul>
 *   <li>{@link Idle}'s lock: a worker parks under it, and {@link #replace} re-checks the poll
 *       and sets {@code orphaned} under it, so a core is never both parked and orphaned;
 *       {@code blockInPlace} detaches its core under it, so a core is never both handed off
 *       and orphaned.
 *   <li>{@link #orphanLock}, taken inside the first: the orphan list and the counters of
 *       retired cores. A core moves from {@code cores} to the orphans, and from the orphans
 *       to the retired counters, in one step under it, so metrics count each core once.
 * </ul>
 *
 * <h2>The drivers</h2>
 * See {@link #superviseDrivers}: with timers or sockets registered, a free and untaken
 * driver role for half the stall threshold means nobody fires timers or polls I/O.
 *
 * <h2>Deadlocks</h2>
 * See {@link #checkDeadlock}: a report, and in a closed world a failed {@code blockOn}.
 */
final class WorkerMonitor {
    private final MultiThreadScheduler s;

    // Sampling state: the monitor thread's only.
    private final Core[] watched;
    private final Task<?>[] watchedTask;
    private final long[] watchedPolls;
    /** For a strand's slice, how many strand tasks it had started (see {@code Slice.runs}). */
    private final long[] watchedRuns;
    /** A counted stall whose report waits: for a strand task, until something waits behind it (see {@link #worthReporting}). */
    private final boolean[] reportPending;
    /** While a report is pending: since when the stalled task's strand has had tasks waiting (0: none). */
    private final long[] waitingSince;
    /** Consecutive samples of the same strand task (see {@code sameSamples} for the poll). */
    private final int[] runSamples;
    /** Whether the stall of the task (or strand task) being watched has been counted. */
    private final boolean[] counted;
    /** A strand task nothing waits behind is reported after this many stall thresholds. */
    static final int RUNAWAY_THRESHOLDS = 10;
    private final int[] sameSamples;
    /** Quiescence seen by the deadlock check: since when (0: not quiescent), at which poll count. */
    private long quietSince;
    private long quietPolls;
    /** The current quiet spell has been reported (report-only mode). */
    private boolean quietReported;
    /** The driver role as last sampled: its take count, and for how many samples it stayed free. */
    private long roleTakesSeen = -1;
    private int undrivenSamples;

    /** Cores whose place a replacement took while their thread was stalled; their threads
     *  still run the stalled poll. Guarded by {@code orphanLock}, with the counters of the
     *  cores whose threads have retired. */
    private final List<Core> orphans = new ArrayList<>();
    private final Object orphanLock = new Object();
    private final long[] retired = new long[7];
    static final int R_SPAWNED = 0, R_COMPLETED = 1, R_STEALS = 2, R_PARKS = 3, R_POLLS = 4,
            R_FORCEDYIELDS = 5, R_OVERFLOWS = 6;
    private long retiredLongestPoll;
    private final long[] retiredSlowPolls = new long[8];

    private final LongAdder stalls = new LongAdder();
    private final LongAdder replacements = new LongAdder();
    private final LongAdder suspectedDeadlocks = new LongAdder();

    WorkerMonitor(MultiThreadScheduler s, int workers) {
        this.s = s;
        this.watched = new Core[workers];
        this.watchedTask = new Task<?>[workers];
        this.watchedPolls = new long[workers];
        this.watchedRuns = new long[workers];
        this.reportPending = new boolean[workers];
        this.waitingSince = new long[workers];
        this.runSamples = new int[workers];
        this.counted = new boolean[workers];
        this.sameSamples = new int[workers];
    }

    // ---- stalls ----------------------------------------------------------------------------

    /** One sample of every core, then the orphans, the drivers and the deadlock check. */
    void tick(long now) {
        long threshold = s.monitor.thresholdNanos;
        int minSamples = s.monitor.minSamples;
        for (int i = 0; i < s.cores.length; i++) {
            Core c = s.cores[i];
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
                watchedRuns[i] = -1; // the task's own incident starts with the next sample
                reportPending[i] = false;
                continue;
            }
            sameSamples[i]++;
            // A strand's slice runs several strand tasks in one poll. The poll decides when its
            // worker's queue is handed on (a slice of many short tasks holds it as long as one
            // long task would); each strand task is a stall of its own to count and report.
            StrandScheduler.Slice slice = t.futureForDiagnostics() instanceof StrandScheduler.Slice sl ? sl : null;
            long runs = slice != null ? slice.runs() : 0;
            if (runs != watchedRuns[i]) {
                watchedRuns[i] = runs;
                runSamples[i] = 0;
                counted[i] = false;
                reportPending[i] = false;
                waitingSince[i] = 0;
            } else {
                runSamples[i]++;
            }
            long pollRan = now - c.pollStart;
            long ran = slice != null && slice.runStart() - c.pollStart > 0 ? now - slice.runStart() : pollRan;
            Thread th = c.thread;
            StackTraceElement[] stack = null;
            // Both a duration and consecutive samples: a GC pause stops the monitor too, and
            // must not make every poll in flight look stalled.
            if (!counted[i] && ran >= threshold && (slice != null ? runSamples[i] : sameSamples[i]) >= minSamples) {
                stack = th != null ? th.getStackTrace() : new StackTraceElement[0];
                // Still in the same poll (and strand task) after its stack was taken: a stall.
                // (One that ran just past the threshold and ended meanwhile, as cold code or an
                // OS preemption makes happen, is not counted.) Checked, and counted, before the
                // hand-on, which may itself end the poll by running what it waited for: whoever
                // waited for that must then find the stall counted.
                if (stillIn(c, t, p, slice, runs)) {
                    counted[i] = true;
                    stalls.increment();
                    reportPending[i] = true;
                }
            }
            boolean replaced = false;
            if (c.stalledSince == 0) {
                if (sameSamples[i] < minSamples || pollRan < threshold) {
                    continue;
                }
                c.stalledSince = now - pollRan;
                replaced = handOn(i, c, t, p);
            } else if (!c.orphaned) {
                replaced = handOn(i, c, t, p);
            }
            if (reportPending[i] && (replaced || worthReporting(i, slice, now, ran, threshold))) {
                reportPending[i] = false;
                if (stack == null) {
                    stack = th != null ? th.getStackTrace() : new StackTraceElement[0];
                }
                if (replaced || stillIn(c, t, p, slice, runs)) {
                    report(c, th, t, ran, stack, replaced);
                }
            }
        }
        sweepOrphans();
        superviseDrivers();
        if (s.config.deadlockDelay() != null) {
            checkDeadlock(now);
        }
    }

    /** Whether core {@code c} is still in poll {@code p} of task {@code t} (and, in a slice, in strand task {@code runs}). */
    private static boolean stillIn(Core c, Task<?> t, long p, StrandScheduler.Slice slice, long runs) {
        return c.current() == t && c.polls == p && (slice == null || slice.runs() == runs);
    }

    /**
     * Whether a stall is reported now. A task of no strand: at once. A strand task holds back
     * only its strand's other tasks (the worker's queue is handed on), so it is reported once
     * one of them has waited behind it for the threshold, or once it has run
     * {@value #RUNAWAY_THRESHOLDS} times the threshold with nothing waiting. A long computation
     * in a job with nothing else to do (as cold, interpreted guest code is) is no stall to
     * report, and neither is a task whose own end wakes the task that awaits it; a runaway
     * loop is, and so is a computation that keeps a timer's task waiting.
     */
    private boolean worthReporting(int i, StrandScheduler.Slice slice, long now, long ran, long threshold) {
        if (slice == null || ran >= RUNAWAY_THRESHOLDS * threshold) {
            return true;
        }
        if (slice.waiting() == 0) {
            waitingSince[i] = 0;
            return false;
        }
        if (waitingSince[i] == 0) {
            waitingSince[i] = now;
        }
        return now - waitingSince[i] >= threshold;
    }

    /**
     * Keeps timers and I/O driven while a worker is stuck: when timers or I/O registrations
     * exist and the driver role has stayed free, and not been taken, for {@code minSamples}
     * samples (half the stall threshold), either a parked worker is unparked (it takes the
     * role before it sleeps again, see {@code MultiThreadScheduler.park}) or, with every
     * worker busy or stuck, the monitor fires due timers and polls I/O itself, every tick
     * until a worker drives again.
     * The role is free while its last holder runs what it woke; if that blocks, the workers
     * that parked meanwhile sleep without a timeout and nothing else would drive.
     */
    private void superviseDrivers() {
        long takes = s.time.roleTakes();
        if (s.time.roleHeld() || takes != roleTakesSeen) {
            roleTakesSeen = takes;
            undrivenSamples = 0;
            return;
        }
        IoDriver d = s.ioOrNull();
        if (s.time.registeredTimers() == 0 && (d == null || d.registrations() == 0)) {
            undrivenSamples = 0;
            return;
        }
        if (++undrivenSamples < s.monitor.minSamples) {
            return;
        }
        int w = s.idle.anyParked();
        if (w >= 0) {
            undrivenSamples = 0;
            s.cores[w].unpark(); // still parked in Idle's books: it loops and takes the role
            return;
        }
        s.maintenance(); // tasks it wakes go to the inject queue, which handOn sees next tick
        roleTakesSeen = s.time.roleTakes(); // our own take: keep counting, drive again next tick
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
            s.inject.push(lifo);
        }
        boolean queued = !c.queue.isEmpty();
        if (lifo != null || queued) {
            s.notifyParked();
        }
        if (!(queued || !s.inject.isEmpty() || otherWorkQueued(c))) {
            return false;
        }
        if (s.idle.numParked() != 0 || s.idle.numSearching() != 0) {
            return false; // a free worker will take it
        }
        return replace(i, c, t, polls);
    }

    private boolean otherWorkQueued(Core stalled) {
        for (Core c : s.cores) {
            if (c != stalled && (!c.queue.isEmpty() || c.hasLifo())) {
                return true;
            }
        }
        return false;
    }

    /** Gives core {@code i}'s place to a fresh core and thread; the stalled one is orphaned. */
    private boolean replace(int i, Core old, Task<?> t, long polls) {
        Core fresh = new Core(i, System.nanoTime() * 0x9E3779B97F4A7C15L + i);
        synchronized (s.idle) {
            // Re-check under the lock the worker parks under: the poll may have just ended.
            if (s.shutdown || old.orphaned || s.idle.isParked(i) || old.polls != polls || old.current() != t) {
                return false;
            }
            synchronized (orphanLock) {
                if (orphans.size() >= s.config.maxStalledThreads()) {
                    return false;
                }
                // One step for metrics (sumCores): the old core moves from cores to orphans.
                // Before orphaned is set, so that retire() always finds it there.
                orphans.add(old);
                s.cores[i] = fresh; // published to the new thread by start(); others may see it late
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
                fresh.queue.pushBackOrOverflow(first, s.inject, fresh.stats);
            }
        }
        replacements.increment();
        s.startThread(fresh);
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
                s.inject.push(l);
            }
            LocalQueue scratch = new LocalQueue();
            Task<?> t;
            while (!c.queue.isEmpty() && (t = c.queue.stealInto(scratch, null)) != null) {
                s.inject.push(t);
                while ((t = scratch.pop()) != null) {
                    s.inject.push(t);
                }
            }
            s.notifyParked();
        }
    }

    /**
     * The thread of an orphaned core, back from its stalled poll (or entering blockInPlace):
     * hands on what the core still holds, folds its counters into the runtime's, and ends.
     */
    void retire(BraidThread me, Core core) {
        me.core = null;
        core.setCurrent(null);
        Task<?> t = core.takeLifo();
        if (t != null) {
            s.inject.push(t);
        }
        while ((t = core.queue.pop()) != null) {
            s.inject.push(t);
        }
        if (core.searching) {
            core.searching = false;
            s.idle.transitionWorkerFromSearching();
        }
        s.notifyParked();
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
        int waiting = t.futureForDiagnostics() instanceof StrandScheduler.Slice slice ? slice.waiting() : 0;
        String what = Scheduler.describe(shown) + (shown != t ? " (on " + Diagnostics.executor(shown) + ")" : "");
        String heldBack = waiting > 0 ? " (" + waiting + " other task" + (waiting == 1 ? "" : "s") + " of its strand wait"
                + (waiting == 1 ? "s" : "") + " behind it)" : "";
        String threadName = th != null ? th.getName() : "?";
        Scheduler.StallDescription described = th != null && !s.stallListeners.isEmpty()
                ? s.describeStall(th, Diagnostics.info(shown, true, Monitor.coarseNanos, threadName), ran) : null;
        // What the listeners know (a script's own stack) leads; the Java frames follow unless it replaces them.
        String more = described == null || described.text().isEmpty() ? ""
                : described.text() + (described.replacesJavaStack() ? "" : "\nJava stack of the stalled thread:");
        boolean forScript = described != null && !described.text().isEmpty() && described.replacesJavaStack();
        String javaStack = forScript ? "" : stack;
        String advice = described != null && !described.text().isEmpty() && described.advice() != null ? described.advice()
                : "Move blocking calls and long computations to spawnBlocking or blockInPlace, or yield between pieces of work.";
        // The spawn site names Java code: noise to a script's users, whose stack says more.
        String site = forScript ? "" : ", spawned " + Diagnostics.describeSite(shown.spawnSite());
        Diagnostics.LOG.log(System.Logger.Level.WARNING, () -> "worker thread '" + threadName + "' is stalled: "
                + what + site + heldBack + " has been in one poll for " + Diagnostics.format(ran) + " (stall threshold "
                + Diagnostics.format(s.monitor.thresholdNanos) + "). "
                + (forScript ? "" : replaced ? "A replacement worker took its place; its queued tasks moved on. "
                            : "Its queued tasks are open to the other workers. ")
                + advice + (more.isEmpty() ? " Stalled thread:" : "") + more + javaStack);
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
    static Task<?> innermost(Task<?> t) {
        if (t.futureForDiagnostics() instanceof StrandScheduler.Slice slice) {
            Task<?> inner = slice.running();
            if (inner != null) {
                return inner;
            }
        }
        return t;
    }

    /** The cores in place and the orphaned ones, each once. */
    List<Core> allCores() {
        synchronized (orphanLock) {
            List<Core> all = new ArrayList<>(List.of(s.cores));
            all.addAll(orphans);
            return all;
        }
    }

    // ---- deadlocks ---------------------------------------------------------------------------

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
        if (s.blockers.isEmpty() || s.externallyWoken || s.anyBlockerWoken() || !quiescent()) {
            quietSince = 0;
            return;
        }
        long p = s.polls() + s.blockOnPolls();
        if (quietSince == 0 || p != quietPolls) {
            quietSince = now;
            quietPolls = p;
            quietReported = false;
            return;
        }
        if (quietReported || now - quietSince < s.config.deadlockDelay().toNanos()) {
            return;
        }
        // One snapshot of the waiting blockOn calls: the report names them, and they (not
        // calls that began since) are the ones that fail.
        List<Scheduler.ThreadWaker> waiting = new ArrayList<>(s.blockers);
        TaskDump dump = s.taskDump();
        for (TaskInfo ti : dump.tasks()) {
            if (ti.waitsOn() != null && ti.waitsOn().startsWith("external.")) {
                quietSince = 0; // something outside the runtime will wake it
                return;
            }
        }
        for (Scheduler.ThreadWaker w : waiting) {
            String op = w.cx != null ? w.cx.waitOp() : null;
            if (op != null && op.startsWith("external.")) {
                quietSince = 0;
                return;
            }
        }
        boolean fail = s.config.closedWorld();
        StringBuilder msg = new StringBuilder(fail ? "deadlock" : "suspected deadlock")
                .append(": nothing in runtime '").append(s.config.threadNamePrefix())
                .append("' can make progress (no runnable task, timer, I/O or blocking work for ")
                .append(Diagnostics.format(now - quietSince)).append(") and ");
        List<String> waits = s.blockOnWaits(waiting);
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
            for (Scheduler.ThreadWaker w : waiting) {
                w.fail(new DeadlockException(text, dump));
            }
            quietSince = 0;
        } else {
            quietReported = true;
        }
    }

    long suspectedDeadlocks() {
        return suspectedDeadlocks.sum();
    }

    private boolean quiescent() {
        if (s.idle.numParked() != s.cores.length || !s.inject.isEmpty() || s.time.registeredTimers() != 0
                || !s.blocking.isIdle() || s.handedOff.get() != 0) {
            return false;
        }
        for (Core c : s.cores) {
            if (c.hasLifo() || !c.queue.isEmpty() || c.current() != null) {
                return false;
            }
        }
        synchronized (orphanLock) {
            if (!orphans.isEmpty()) {
                return false;
            }
        }
        IoDriver d = s.ioOrNull();
        return d == null || d.registrations() == 0;
    }

    // ---- counters ----------------------------------------------------------------------------

    /** A counter summed over the cores, the orphaned cores, and what retired cores left
     *  behind. Under the lock that replace() and retire() move a core between those under,
     *  so each core counts exactly once. */
    long sumCores(java.util.function.ToLongFunction<Core> f, int retiredIndex) {
        synchronized (orphanLock) {
            long n = retired[retiredIndex];
            for (Core c : s.cores) {
                n += f.applyAsLong(c);
            }
            for (Core c : orphans) {
                n += f.applyAsLong(c);
            }
            return n;
        }
    }

    long stalls() {
        return stalls.sum();
    }

    long[] slowPollHistogram() {
        long[] h = new long[8];
        List<Core> all;
        synchronized (orphanLock) { // each core once (see sumCores)
            all = new ArrayList<>(List.of(s.cores));
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

    long replacementWorkers() {
        return replacements.sum();
    }

    long longestPollNanos() {
        long n = 0;
        for (Core c : s.cores) {
            n = Math.max(n, c.longestPoll);
        }
        synchronized (orphanLock) {
            for (Core c : orphans) {
                n = Math.max(n, c.longestPoll);
            }
            return Math.max(n, retiredLongestPoll);
        }
    }
}
