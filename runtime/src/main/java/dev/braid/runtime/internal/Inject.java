package dev.braid.runtime.internal;

/**
 * The global run queue: an intrusive FIFO list of tasks (linked through
 * {@link Task#queueNext}) behind a lock, with a volatile length so that the common
 * "is there anything?" check takes no lock. Remote spawns and wake-ups, and a worker's
 * overflow, come here; workers take from it every {@code globalQueueInterval} ticks and
 * when their own queue is empty.
 *
 * <p>A task is linked here at most once at a time: only a transition to the scheduled
 * state puts a task in a run queue, and the task leaves that state only when popped.
 * Any thread may call any method.
 *
 * <p>Shutdown {@link #close() closes} the queue: a task pushed afterwards is cancelled on
 * the pushing thread instead of queued, so no task can slip into a queue that shutdown has
 * already drained.
 */
public final class Inject {
    private Task<?> head;
    private Task<?> tail;
    /**
     * The number of linked tasks. Every push, pop and close writes it (volatile) under the
     * lock, after relinking; {@link #len}, {@link #isEmpty} and the fast paths of {@link #pop}
     * and {@link #popBatch} read it without the lock. Not a hint: a push writes it before the
     * pusher notifies anyone, so a reader ordered after that notification (by the fence of
     * {@link Idle}'s invariant 1, or by a strand driver's wake-up) reads at least 1 while the
     * task is queued. Invariant 1 depends on it: the last searcher's re-check
     * ({@code MultiThreadScheduler.notifyIfWorkPending}), a searcher's scan ({@code pop}) and
     * a worker's look before it parks ({@code nextTask}) must not read 0 while a task waits.
     * So do a strand's slice and the idleness checks (a paused clock's jump, the deadlock
     * check). What a reader may see is 1 just after another thread took the last task: then
     * {@code pop} finds nothing under the lock, or a worker is woken for nothing.
     */
    private volatile int len;
    /** Guarded by the lock. */
    private boolean closed;

    public int len() {
        return len;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    /** Appends {@code task}; on a closed queue, cancels it instead (on the calling thread). */
    public void push(Task<?> task) {
        task.queueNext = null;
        pushBatch(task, task, 1);
    }

    /**
     * Appends a chain {@code first … last} of {@code n} tasks already linked together; on a
     * closed queue, cancels them instead.
     */
    public void pushBatch(Task<?> first, Task<?> last, int n) {
        last.queueNext = null;
        synchronized (this) {
            if (!closed) {
                if (tail == null) {
                    head = first;
                } else {
                    tail.queueNext = first;
                }
                tail = last;
                len = len + n;
                return;
            }
        }
        cancelChain(first);
    }

    /** Refuses further pushes (they cancel their tasks) and cancels every queued task. */
    public void close() {
        Task<?> chain;
        synchronized (this) {
            closed = true;
            chain = head;
            head = null;
            tail = null;
            len = 0;
        }
        cancelChain(chain);
    }

    /** Cancels a chain of scheduled tasks linked through {@code queueNext}. */
    static void cancelChain(Task<?> t) {
        while (t != null) {
            Task<?> next = t.queueNext;
            t.queueNext = null;
            t.shutdown();
            t = next;
        }
    }

    public Task<?> pop() {
        if (len == 0) {
            return null;
        }
        synchronized (this) {
            Task<?> t = head;
            if (t == null) {
                return null;
            }
            head = t.queueNext;
            if (head == null) {
                tail = null;
            }
            t.queueNext = null;
            len = len - 1;
            return t;
        }
    }

    /**
     * Pops up to {@code max} tasks as a chain linked through {@code queueNext} (the last
     * link is null). Returns null if empty; {@code count[0]} receives the number popped.
     */
    public Task<?> popBatch(int max, int[] count) {
        count[0] = 0;
        if (len == 0 || max <= 0) {
            return null;
        }
        synchronized (this) {
            Task<?> first = head;
            if (first == null) {
                return null;
            }
            Task<?> last = first;
            int n = 1;
            while (n < max && last.queueNext != null) {
                last = last.queueNext;
                n++;
            }
            head = last.queueNext;
            if (head == null) {
                tail = null;
            }
            last.queueNext = null;
            len = len - n;
            count[0] = n;
            return first;
        }
    }
}
