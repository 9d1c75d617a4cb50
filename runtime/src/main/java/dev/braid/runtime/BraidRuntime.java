package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.runtime.internal.ClockImpl;
import dev.braid.runtime.internal.Config;
import dev.braid.runtime.internal.CurrentThreadScheduler;
import dev.braid.runtime.internal.MultiThreadScheduler;
import dev.braid.runtime.internal.Scheduler;
import dev.braid.time.Clock;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A Braid runtime: a scheduler (multi-thread work-stealing, or current-thread), a blocking
 * pool, and the tasks spawned on it.
 *
 * <pre>{@code
 * try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).build()) {
 *     JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(6 * 7));
 *     int answer = rt.blockOn(h);
 * }
 * }</pre>
 *
 * Named {@code BraidRuntime} so that it does not shadow {@link java.lang.Runtime}.
 */
public final class BraidRuntime implements AutoCloseable {
    private final Scheduler scheduler;
    private final RuntimeMetrics metrics;

    private BraidRuntime(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.metrics = new RuntimeMetrics(scheduler);
        scheduler.setFacade(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A multi-thread runtime with one worker per available processor. */
    public static BraidRuntime newMultiThread() {
        return builder().build();
    }

    /** A current-thread runtime: tasks run inside {@link #blockOn}. */
    public static BraidRuntime newCurrentThread() {
        return builder().currentThread().build();
    }

    /** The runtime the calling thread runs in; throws outside any runtime. */
    public static BraidRuntime current() {
        BraidRuntime rt = currentOrNull();
        if (rt == null) {
            throw new IllegalStateException("not inside a Braid runtime: call this from a task, a "
                    + "blocking task or blockOn, or use a BraidRuntime directly");
        }
        return rt;
    }

    static BraidRuntime currentOrNull() {
        Scheduler s = Scheduler.current();
        return s == null ? null : (BraidRuntime) s.facade();
    }

    Config config() {
        return scheduler.config();
    }

    // ---- tasks ----------------------------------------------------------------------------

    /** Spawns {@code future} as a task. Nothing of it runs before the task's first poll. */
    public <T> JoinHandle<T> spawn(Future<T> future) {
        return new JoinHandle<>(spawnTask(null, future));
    }

    /** Spawns a named task; the name appears in errors, metrics and task dumps. */
    public <T> JoinHandle<T> spawn(String name, Future<T> future) {
        return new JoinHandle<>(spawnTask(name, future));
    }

    <T> dev.braid.runtime.internal.Task<T> spawnTask(String name, Future<T> future) {
        Objects.requireNonNull(future, "future");
        return scheduler.spawn(future, name, SpawnSites.capture(scheduler.config().spawnSiteCapture(), future));
    }

    /** Runs {@code body} on the blocking pool; the handle completes with its result. */
    public <T> JoinHandle<T> spawnBlocking(Callable<T> body) {
        return spawnBlocking(null, body);
    }

    public <T> JoinHandle<T> spawnBlocking(String name, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return new JoinHandle<>(scheduler.spawnBlocking(body, name,
                SpawnSites.capture(scheduler.config().spawnSiteCapture(), body)));
    }

    /** A new serial executor on this runtime. */
    public Strand newStrand() {
        return newStrand(null);
    }

    public Strand newStrand(String name) {
        return new Strand(this, scheduler.newStrand(name, null));
    }

    /** A strand whose slices run between {@code hooks.enter()} and {@code hooks.leave()}. */
    public Strand newStrand(String name, Strand.SliceHooks hooks) {
        return new Strand(this, scheduler.newStrand(name, java.util.Objects.requireNonNull(hooks, "hooks")));
    }

    /**
     * Drives {@code future} to completion from a thread outside the runtime and returns its
     * value (or throws its exception). On the current-thread flavour, the runtime's tasks run
     * on this thread meanwhile. Calling it from a worker thread is an error: it would block
     * the worker.
     */
    public <T> T blockOn(Future<T> future) {
        return scheduler.blockOn(future);
    }

    /**
     * Runs blocking {@code body} on the calling worker thread after handing its queued tasks
     * to a new worker thread, so nothing waits behind the block. Outside a worker, it just
     * runs {@code body}. Not available on the current-thread flavour.
     */
    public <T> T blockInPlace(Callable<T> body) throws Exception {
        return scheduler.blockInPlace(body);
    }

    /** The clock of this runtime's timers. */
    public Clock clock() {
        return scheduler.time().clock();
    }

    /**
     * Every live task that is running or has been pending: id, name, state, spawn site,
     * age, polls, last poll duration and what it waits on. {@code toString()} renders it
     * as text. Works during and after shutdown (then it shows polls that never returned).
     */
    public TaskDump taskDump() {
        return scheduler.taskDump();
    }

    /**
     * Registers {@code listener} to add to this runtime's stall reports (see
     * {@link Builder#stallThreshold}); it stays until {@link #removeStallListener}.
     */
    public void addStallListener(StallListener listener) {
        scheduler.stallListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeStallListener(StallListener listener) {
        scheduler.stallListeners.remove(listener);
    }

    public RuntimeMetrics metrics() {
        return metrics;
    }

    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    /**
     * Shuts down: spawning fails from now on, every queued or waiting task is dropped (its
     * drop hooks run) and its handle reports cancellation, and the runtime's threads end.
     * Then every task failure that nobody retrieved is reported (see
     * {@link Builder#onUnretrievedFailure}). Returns true if every thread ended within
     * {@code timeout}; a task stuck inside a poll (or a blocking task still running) keeps
     * its thread alive past it.
     */
    public boolean shutdown(Duration timeout) {
        boolean stopped = scheduler.shutdown(timeout);
        scheduler.failures.reportAll(UnretrievedFailure.Reason.SHUTDOWN);
        return stopped;
    }

    /** {@link #shutdown(Duration)} with a 10 second timeout. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "BraidRuntime[" + scheduler.config().threadNamePrefix() + ", " + metrics.workers() + " workers]";
    }

    /** Settings for a new runtime. */
    public static final class Builder {
        private static final java.util.concurrent.atomic.AtomicInteger SERIAL = new java.util.concurrent.atomic.AtomicInteger();
        private boolean multiThread = true;
        private int workerThreads = Runtime.getRuntime().availableProcessors();
        private String threadNamePrefix;
        private int maxBlockingThreads = 512;
        private Duration blockingKeepAlive = Duration.ofSeconds(10);
        private int globalQueueInterval = 61;
        private int maxLifoPollsPerTick = 3;
        private int strandSliceTasks = 32;
        private SpawnSiteCapture spawnSiteCapture = SpawnSiteCapture.FUTURE_CLASS;
        private Consumer<? super UnretrievedFailure> onUnretrievedFailure;
        private Runnable onThreadStart;
        private Runnable onThreadStop;
        private long seed = System.nanoTime();
        private Clock clock = Clock.system();
        private boolean monitor = true;
        private Duration stallThreshold = Duration.ofMillis(10);
        private int maxStalledThreads = 256;
        private Duration deadlockDelay = Duration.ofSeconds(1);
        private boolean closedWorld;
        private Duration parkSpin = Duration.ofNanos(50_000);

        private Builder() {
        }

        /** The work-stealing flavour (the default). */
        public Builder multiThread() {
            multiThread = true;
            return this;
        }

        /** Everything runs on the thread that calls {@link BraidRuntime#blockOn}. */
        public Builder currentThread() {
            multiThread = false;
            return this;
        }

        /** Worker threads for the multi-thread flavour; default: available processors. */
        public Builder workerThreads(int n) {
            if (n < 1 || n > 0x7FFF) {
                throw new IllegalArgumentException("workerThreads must be in 1..32767, got " + n);
            }
            workerThreads = n;
            return this;
        }

        /** Threads are named {@code <prefix>-worker-<i>} and {@code <prefix>-blocking-<i>}. */
        public Builder threadNamePrefix(String prefix) {
            threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder maxBlockingThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBlockingThreads must be at least 1, got " + n);
            }
            maxBlockingThreads = n;
            return this;
        }

        /** How long an idle blocking thread waits for work before it ends. */
        public Builder blockingKeepAlive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("blockingKeepAlive must be positive, got " + d);
            }
            blockingKeepAlive = d;
            return this;
        }

        /** Ticks between two looks at the global queue before the local one (default 61). */
        public Builder globalQueueInterval(int ticks) {
            if (ticks < 1) {
                throw new IllegalArgumentException("globalQueueInterval must be at least 1, got " + ticks);
            }
            globalQueueInterval = ticks;
            return this;
        }

        /** Tasks run from the LIFO slot in a row after a poll (default 3; 0 disables the slot). */
        public Builder maxLifoPollsPerTick(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxLifoPollsPerTick must not be negative, got " + n);
            }
            maxLifoPollsPerTick = n;
            return this;
        }

        /** Polls a strand runs before it yields to the rest of the runtime (default 32). */
        public Builder strandSliceTasks(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("strandSliceTasks must be at least 1, got " + n);
            }
            strandSliceTasks = n;
            return this;
        }

        public Builder spawnSiteCapture(SpawnSiteCapture mode) {
            spawnSiteCapture = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Where the runtime reports a task's failure that nobody retrieved (see
         * {@link UnretrievedFailure}): by default, one {@code ERROR} line on the
         * {@code System.Logger} {@code dev.braid.runtime}, with the exception. Like asyncio's
         * exception handler or Tokio's {@code unhandled_panic}, but never fatal: a report
         * does not stop the runtime.
         *
         * <p>Each failure is reported once, on the thread that finds it unretrieved: the
         * runtime's reference-cleaning thread ({@code braid-unretrieved-failures}) when its
         * handle was collected, the caller of {@link Strand#reportUnretrievedFailures()}
         * (for a guest session's close, a task on the session's strand, so a runtime
         * worker), or the caller of {@link BraidRuntime#shutdown}. Keep it short; never block
         * or call {@code blockOn} in it. What it throws is logged and ignored.
         */
        public Builder onUnretrievedFailure(Consumer<? super UnretrievedFailure> handler) {
            onUnretrievedFailure = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Runs on every runtime thread (worker or blocking) when it starts. */
        public Builder onThreadStart(Runnable hook) {
            onThreadStart = hook;
            return this;
        }

        /** Runs on every runtime thread just before it ends. */
        public Builder onThreadStop(Runnable hook) {
            onThreadStop = hook;
            return this;
        }

        /** Seed for the workers' steal-victim choice, for reproducible runs. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The clock of this runtime's timers (default {@link Clock#system()}). Tests pass
         * {@link Clock#paused()} or {@link Clock#manual()} to make timing exact and instant.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether the monitor thread runs (default on). It detects stalled workers (a poll
         * that blocks), hands their queued work to other threads and reports them; it also
         * keeps the coarse clock behind task ages and poll durations in task dumps, and
         * detects deadlocks. Off, a blocked worker stays blocked with whatever it queued.
         */
        public Builder monitor(boolean enabled) {
            monitor = enabled;
            return this;
        }

        /**
         * How long one poll may run before its worker counts as stalled (default 10 ms,
         * chosen from measured poll durations: see docs/diagnostics.md). At least 1 ms. A
         * stalled task of no strand is reported at once; a strand's task once the monitor has
         * seen other tasks of its strand waiting behind it for this long (so after twice this
         * long at the soonest), or after ten times this long.
         */
        public Builder stallThreshold(Duration d) {
            if (d.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("stallThreshold must be at least 1 ms, got " + d);
            }
            stallThreshold = d;
            return this;
        }

        /**
         * Stalled worker threads that may exist at once after being replaced (default 256).
         * Past it, a newly stalled worker is reported but not replaced.
         */
        public Builder maxStalledThreads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxStalledThreads must not be negative, got " + n);
            }
            maxStalledThreads = n;
            return this;
        }

        /**
         * Deadlock detection: when nothing in the runtime can make progress (no runnable
         * task, no timer, no I/O registration, no blocking work, nothing awaited from
         * outside) for {@code delay} while a thread waits in {@code blockOn}, the runtime
         * reports a suspected deadlock: a warning naming the waiting tasks and what each
         * waits on, a {@code dev.braid.Deadlock} JFR event and
         * {@link RuntimeMetrics#suspectedDeadlocks()}. The {@code blockOn} keeps waiting,
         * since a thread the runtime cannot see (a plain thread, another runtime) may still
         * wake one of the tasks; each quiet spell is reported once. Only in a
         * {@link #closedWorld() closed world} does the {@code blockOn} fail, with a
         * {@link DeadlockException}. Default: on, 1 second. Requires the monitor. Once a task
         * has been woken from outside the runtime, detection stays quiet for good.
         */
        public Builder deadlockDetection(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("deadlock detection delay must not be negative, got " + delay);
            }
            deadlockDelay = delay;
            return this;
        }

        /**
         * Lets an idle worker spin, waiting to be woken, for up to {@code limit} before it
         * parks its thread (default 50 µs; 0: it parks at once). A wake-up that arrives while
         * the worker spins costs no system call and no wait for the OS to run the thread
         * again (about 20 µs on a virtual machine whose CPU has halted), which shortens the
         * hop into the runtime when work comes in quick succession (a request at a time from a
         * thread outside, hand-offs between tasks).
         *
         * <p>The spin adapts, and it is paid for with work. A worker spins only if most of its
         * last 8 idle waits ended within the limit, and then for about twice the longest of
         * those recent waits, so work that arrives further apart than the limit, a steady
         * trickle, costs no spinning. And a worker spins no longer in total than it has been
         * busy (up to 4 limits of credit), so spinning at most doubles the CPU time the
         * workers use: a stream of tiny tasks, where a spin would cost far more than the work,
         * gets almost none. Only the multi-thread flavour spins; a worker that drives the
         * timers and I/O never does.
         */
        public Builder parkSpin(Duration limit) {
            if (limit == null || limit.isNegative() || limit.compareTo(Duration.ofMillis(1)) > 0) {
                throw new IllegalArgumentException("parkSpin must be between 0 and 1 ms, got " + limit);
            }
            parkSpin = limit;
            return this;
        }

        /** Switches deadlock detection off. */
        public Builder noDeadlockDetection() {
            deadlockDelay = null;
            return this;
        }

        /**
         * Declares a closed world: no thread outside this runtime will ever wake one of its
         * tasks or a {@code blockOn} (as in a process that runs guest code, which cannot start
         * threads of its own, and no other runtime). A deadlock that detection finds is then
         * certain, and every {@code blockOn} waiting on it fails with a
         * {@link DeadlockException} instead of waiting for good. Off by default: an embedding
         * application's threads may wake tasks at any time, so the runtime only reports.
         */
        public Builder closedWorld() {
            closedWorld = true;
            return this;
        }

        private BraidRuntime newRuntime() {
            String prefix = threadNamePrefix != null ? threadNamePrefix : "braid-" + SERIAL.incrementAndGet();
            Config c = new Config(multiThread, multiThread ? workerThreads : 1, prefix, maxBlockingThreads,
                    blockingKeepAlive, globalQueueInterval, maxLifoPollsPerTick, strandSliceTasks,
                    spawnSiteCapture, onThreadStart, onThreadStop, (ClockImpl) clock,
                    monitor, stallThreshold, maxStalledThreads, monitor ? deadlockDelay : null, parkSpin.toNanos(), closedWorld);
            return new BraidRuntime(multiThread ? new MultiThreadScheduler(c, seed) : new CurrentThreadScheduler(c));
        }

        public BraidRuntime build() {
            BraidRuntime rt = newRuntime();
            rt.scheduler.failures.handler(onUnretrievedFailure); // before any task can fail
            return rt;
        }
    }
}
