package dev.braid.runtime.internal;

import dev.braid.future.Context;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The elastic pool behind {@code spawnBlocking}: a FIFO of tasks and up to
 * {@code maxBlockingThreads} threads. A task starts a new thread only when no thread is
 * idle; an idle thread retires after the keep-alive. Tasks beyond the maximum wait in the
 * queue. A blocking task is a normal {@link Task} whose single poll runs the body, so it
 * has a {@code JoinHandle} and can be aborted until it starts (not while it runs).
 *
 * <p>The pool also lends threads to the scheduler ({@link #lend}): {@code blockInPlace}
 * hands its worker's core to a pool thread, which drives it until the core is handed on
 * again (which may be never) and then comes back to the pool. A loan takes an idle thread
 * or a new one within the limit, and never waits in the queue: without either it is
 * refused. While it drives a core, a lent thread is a worker, not blocking capacity: it no
 * longer counts against the limit, and {@link #threads()} leaves it out (there are at most
 * as many as the runtime has worker places, plus stalled ones).
 *
 * <p>All fields are guarded by {@link #lock}.
 */
final class BlockingPool implements Schedule {
    private final Scheduler owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    /** Blocking tasks, and loans (a {@link Runnable}, always at the front). */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int threads;
    private int idle;
    /** Loans granted and not yet ended (their threads drive a worker's core, not blocking work). */
    private int lent;
    private int pendingSignals;
    private boolean shutdown;
    private int nextThreadId;

    BlockingPool(Scheduler owner) {
        this.owner = owner;
    }

    @Override
    public void schedule(Task<?> task, boolean isYield) {
        Thread start = null;
        lock.lock();
        try {
            if (shutdown) {
                lock.unlock();
                try {
                    task.shutdown(); // too late to run: cancel it
                } finally {
                    lock.lock();
                }
                return;
            }
            queue.addLast(task);
            Thread t = claimThread(); // none at the limit: the task waits in the queue
            start = t == SIGNALLED ? null : t;
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.start();
        }
    }

    @Override
    public void release(Task<?> task) {
        owner.release(task);
    }

    @Override
    public boolean register(Task<?> task) {
        return owner.register(task);
    }

    private void run() {
        Context cx = ((BraidThread) Thread.currentThread()).cx;
        long keepAlive = owner.config.blockingKeepAlive().toNanos();
        lock.lock();
        try {
            for (;;) {
                Object job = queue.pollFirst();
                if (job instanceof Task<?> t) {
                    lock.unlock();
                    try {
                        t.run(cx, Integer.MAX_VALUE);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (job != null) {
                    runLoan((Runnable) job);
                    if (threads - lent > owner.config.maxBlockingThreads()) {
                        break; // back from driving a core into a pool at its limit: retire
                    }
                    continue;
                }
                if (shutdown) {
                    break;
                }
                idle++;
                if (owner.time.autoAdvances()) {
                    // The runtime may have become idle. (Pool lock, then the driver's lock:
                    // the driver never holds its lock while it asks whether we are idle.)
                    owner.time.nudge();
                }
                long left;
                try {
                    left = available.awaitNanos(keepAlive);
                } catch (InterruptedException e) {
                    left = 0;
                } finally {
                    idle--;
                }
                if (pendingSignals > 0) {
                    pendingSignals--;
                    continue;
                }
                if (left <= 0 && queue.isEmpty()) {
                    break; // retire
                }
            }
        } finally {
            threads--; // also if something escaped, so the pool can start a replacement
            lock.unlock();
        }
    }

    /**
     * Runs {@code loan} on a pool thread now: an idle one, or a new one if the pool is below
     * its limit. Returns false, running nothing, when the pool is at its limit or shut down.
     */
    boolean lend(Runnable loan) {
        Thread start = null;
        lock.lock();
        try {
            Thread t = shutdown ? null : claimThread();
            if (t == null) {
                return false;
            }
            start = t == SIGNALLED ? null : t;
            // Lent from now on, not from when a thread takes it up: a task scheduled in
            // between must see that the thread it might wait for will drive a core instead.
            lent++;
            // At the front: whichever thread looks next takes it, ahead of queued tasks.
            queue.addFirst(loan);
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.start();
        }
        return true;
    }

    /** What {@link #claimThread} returns when it signalled an idle thread. Never started. */
    private static final Thread SIGNALLED = new Thread((Runnable) null, "signalled");

    /**
     * With the lock held, arranges for a thread to take one more job: signals an idle thread
     * ({@link #SIGNALLED}), or, below the limit, counts a new thread and returns it, to be
     * started once the lock is released. Null at the limit.
     */
    private Thread claimThread() {
        if (idle > pendingSignals) {
            pendingSignals++;
            available.signal();
            return SIGNALLED;
        }
        if (threads - lent < owner.config.maxBlockingThreads()) { // lent threads drive cores
            threads++;
            return owner.newThread(this::run, owner.config.threadNamePrefix() + "-blocking-" + nextThreadId++);
        }
        return null;
    }

    /** Called and returns with the lock held; runs the loan (counted in {@link #lent} since {@link #lend}) without it. */
    private void runLoan(Runnable loan) {
        lock.unlock();
        try {
            loan.run();
        } finally {
            lock.lock();
            lent--;
        }
    }

    /** Refuses new work (it is cancelled) and cancels what waits in the queue. */
    void shutdown() {
        Task<?>[] waiting;
        lock.lock();
        try {
            shutdown = true;
            waiting = queue.stream().filter(j -> j instanceof Task<?>).toArray(Task<?>[]::new);
            queue.removeIf(j -> j instanceof Task<?>); // a loan still runs: it drains its core
            available.signalAll();
        } finally {
            lock.unlock();
        }
        for (Task<?> t : waiting) {
            t.shutdown();
        }
    }

    /** No queued and no running blocking task (a paused clock may then auto-advance).
     *  Threads on loan drive workers, which the scheduler counts for itself. */
    boolean isIdle() {
        lock.lock();
        try {
            return queue.isEmpty() && idle + lent == threads;
        } finally {
            lock.unlock();
        }
    }

    /** Threads doing the pool's own work, busy or idle (not those lent to drive a core). */
    int threads() {
        lock.lock();
        try {
            return threads - lent;
        } finally {
            lock.unlock();
        }
    }

    /** Threads running a blocking task (neither idle nor on loan). */
    int busyThreads() {
        lock.lock();
        try {
            return Math.max(0, threads - idle - lent); // a signalled idle thread taking a loan is briefly both
        } finally {
            lock.unlock();
        }
    }

    int idleThreads() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    int queueDepth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
