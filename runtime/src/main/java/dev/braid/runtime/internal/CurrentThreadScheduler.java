package dev.braid.runtime.internal;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single-threaded flavour: tasks run on whichever thread is inside {@link #blockOn}.
 * Tasks spawned while nobody is inside {@code blockOn} wait until somebody is.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>One thread at a time holds the <em>driver</em> role ({@link #driver}). It polls its
 *       own future when woken, then runs up to {@code globalQueueInterval} tasks from the
 *       local queue, pulling the remote queue first every {@code globalQueueInterval}
 *       ticks, and parks when there is nothing to do.
 *   <li>Wake-ups on the driver thread go to the local {@link ArrayDeque}; wake-ups from
 *       other threads go to the {@link Inject} queue and unpark the driver.
 *   <li>A second concurrent {@code blockOn} polls its own future and waits for the driver
 *       role; the driver, on leaving, unparks the waiters so one of them takes over.
 * </ol>
 */
public final class CurrentThreadScheduler extends Scheduler {
    private final ArrayDeque<Task<?>> local = new ArrayDeque<>();
    private final Inject inject = new Inject();
    private final ReentrantLock driverLock = new ReentrantLock();
    private final java.util.Set<Thread> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The thread holding the driver role, or null. Written under {@link #driverLock}. */
    private volatile Thread driver;
    /** The tasks' poll context; replaced every {@link Core#RENEW_TICKS} ticks, as workers do,
     *  so that the store of each polled task into it stays cheap (see {@link Core.Slots}). */
    private Context cx = new Context(Waker.NOOP);
    private long tick;
    private long polls;
    private long parks;
    private long forcedYields;
    /** An interrupt taken while the driver parked; driver-thread only, restored by blockOn. */
    private boolean driveInterrupted;

    public CurrentThreadScheduler(Config config) {
        super(config, 4);
    }

    @Override
    public void schedule(Task<?> task, boolean isYield) {
        if (Thread.currentThread() == driver && !shutdown) {
            local.addLast(task);
        } else {
            inject.push(task);
            Thread d = driver;
            if (d != null) {
                LockSupport.unpark(d);
                afterThreadWake(d);
            }
        }
    }

    @Override
    public <T> T blockOn(Future<T> future) {
        checkNotShutdown("blockOn");
        if (Thread.currentThread() == driver) {
            throw new IllegalStateException("blockOn called re-entrantly on the current-thread runtime '"
                    + config.threadNamePrefix() + "': await the future instead");
        }
        Thread me = Thread.currentThread();
        ThreadWaker waker = new ThreadWaker(me, this);
        Context own = new Context(waker);
        Scheduler prev = enter(this);
        waiting.add(me);
        boolean interrupted = false;
        try {
            boolean woken = true;
            for (;;) {
                if (woken) {
                    own.reset(waker, Context.DEFAULT_BUDGET);
                    Poll<T> p = future.poll(own);
                    if (p.isReady()) {
                        return p.value();
                    }
                }
                if (driverLock.tryLock()) {
                    try {
                        driver = me;
                        waiting.remove(me);
                        woken = drive(waker);
                    } finally {
                        if (shutdown) {
                            drainLocal(); // only the driver may touch the local queue
                        }
                        driver = null;
                        driverLock.unlock();
                        waiting.add(me);
                        for (Thread w : waiting) {
                            if (w != me) {
                                LockSupport.unpark(w);
                            }
                        }
                    }
                } else {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        interrupted = true; // restored on exit; park() would not block with it set
                    }
                    woken = waker.takeWoken();
                    if (shutdown) {
                        checkNotShutdown("finish blockOn");
                    }
                }
            }
        } catch (Throwable t) {
            future.drop();
            throw t;
        } finally {
            waiting.remove(me);
            exit(prev);
            if (interrupted || driveInterrupted) {
                driveInterrupted = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs tasks until the blockOn future was woken; returns true then. */
    private boolean drive(ThreadWaker waker) {
        int interval = config.globalQueueInterval();
        Parker threadParker = new ThreadParker(Thread.currentThread());
        for (;;) {
            checkNotShutdown("finish blockOn");
            boolean ran = false;
            for (int i = 0; i < interval; i++) {
                tick++;
                Task<?> t = null;
                if (tick % interval == 0) {
                    t = inject.pop();
                }
                if (t == null) {
                    t = local.pollFirst();
                }
                if (t == null) {
                    t = inject.pop();
                }
                if (t == null) {
                    break;
                }
                ran = true;
                polls++;
                if ((tick & (Core.RENEW_TICKS - 1)) == 0) {
                    cx = new Context(Waker.NOOP);
                }
                long before = cx.forcedYields();
                t.run(cx, Context.DEFAULT_BUDGET);
                forcedYields += cx.forcedYields() - before;
                if (waker.isWoken()) {
                    break;
                }
            }
            maintenance();
            // Checked after the batch, not before it: a blockOn future that wakes itself on
            // every poll must not starve the tasks (at least one runs per poll of it).
            if (waker.takeWoken()) {
                return true;
            }
            if (!ran && local.isEmpty() && inject.isEmpty() && !waker.isWoken()) {
                parks++;
                IoDriver io = ioOrNull();
                Parker parker = io != null ? new IoParker(io, null) : threadParker;
                time.park(parker, () -> local.isEmpty() && inject.isEmpty() && !waker.isWoken() && blocking.isIdle()
                        && noIoReady());
                driveInterrupted |= Thread.interrupted();
            }
        }
    }

    @Override
    void afterThreadWake(Thread t) {
        IoDriver io = ioOrNull();
        if (io != null && t == driver) {
            io.wakeup(); // the driver may be sleeping in the selector rather than parked
        }
    }

    /** Driver thread only: cancels the tasks in the local queue. */
    private void drainLocal() {
        Task<?> t;
        while ((t = local.pollFirst()) != null) {
            t.shutdown();
        }
    }

    @Override
    public <T> T blockInPlace(Callable<T> body) {
        throw new IllegalStateException("blockInPlace is not available on the current-thread runtime '"
                + config.threadNamePrefix() + "': there is no other worker to hand the queue to. "
                + "Use spawnBlocking, or a multi-thread runtime");
    }

    @Override
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        shutdown = true;
        owned.close();
        Thread d = driver;
        if (d != null) {
            LockSupport.unpark(d);
        }
        for (Thread w : waiting) {
            LockSupport.unpark(w);
        }
        blocking.shutdown();
        // Wait for the driver to leave so that no task is dropped while it is being polled
        // (unless the driver is us: shutdown called from one of the runtime's tasks).
        while (driver != null && driver != Thread.currentThread() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        inject.close(); // cancels what waits there, and any later wake-up on the spot
        // The local queue belongs to whoever holds the driver lock (re-entrant when shutdown
        // is called from one of our own tasks). A driver stuck in a poll drains it on leaving.
        if (driverLock.tryLock()) {
            try {
                drainLocal();
            } finally {
                driverLock.unlock();
            }
        }
        dropAllTasks();
        return awaitThreads(deadline);
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public int globalQueueDepth() {
        return inject.len();
    }

    @Override
    public int localQueueDepth(int worker) {
        return local.size(); // racy snapshot: the deque belongs to the driver
    }

    @Override
    public long steals() {
        return 0;
    }

    @Override
    public long parks() {
        return parks;
    }

    @Override
    public long polls() {
        return polls;
    }

    @Override
    public long budgetForcedYields() {
        return forcedYields;
    }

    @Override
    public long overflows() {
        return 0;
    }

    /** The driving thread's parker: its {@link LockSupport} permit, which wake-ups also use. */
    private static final class ThreadParker implements Parker {
        private final Thread thread;

        ThreadParker(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void park() {
            LockSupport.park(this);
        }

        @Override
        public void parkNanos(long nanos) {
            LockSupport.parkNanos(this, nanos);
        }

        @Override
        public void unpark() {
            LockSupport.unpark(thread);
        }
    }
}
