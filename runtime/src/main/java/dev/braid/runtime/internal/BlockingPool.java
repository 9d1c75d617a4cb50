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
 * <p>All fields are guarded by {@link #lock}.
 */
final class BlockingPool implements Schedule {
    private final Scheduler owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
    private int threads;
    private int idle;
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
            if (idle > pendingSignals) {
                pendingSignals++;
                available.signal();
            } else if (threads < owner.config.maxBlockingThreads()) {
                threads++;
                start = owner.newThread(this::run, owner.config.threadNamePrefix() + "-blocking-" + nextThreadId++);
            }
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
                Task<?> t = queue.pollFirst();
                if (t != null) {
                    lock.unlock();
                    try {
                        t.run(cx, Integer.MAX_VALUE);
                    } finally {
                        lock.lock();
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

    /** Refuses new work (it is cancelled) and cancels what waits in the queue. */
    void shutdown() {
        Task<?>[] waiting;
        lock.lock();
        try {
            shutdown = true;
            waiting = queue.toArray(new Task<?>[0]);
            queue.clear();
            available.signalAll();
        } finally {
            lock.unlock();
        }
        for (Task<?> t : waiting) {
            t.shutdown();
        }
    }

    /** No queued and no running blocking task (a paused clock may then auto-advance). */
    boolean isIdle() {
        lock.lock();
        try {
            return queue.isEmpty() && idle == threads;
        } finally {
            lock.unlock();
        }
    }

    int threads() {
        lock.lock();
        try {
            return threads;
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
