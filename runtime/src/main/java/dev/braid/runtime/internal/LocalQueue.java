package dev.braid.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's bounded run queue: a ring of {@value #CAPACITY} slots with one producer (the
 * owning worker, which pushes at the tail and pops at the head) and any number of stealers,
 * which take half of it at a time. The design is Tokio's {@code queue.rs}.
 *
 * <h2>Indices</h2>
 * Indices are unsigned 32-bit counters that wrap; a slot is {@code index & MASK}.
 * {@code head} packs two of them into one {@code long}: {@code steal} (high) and {@code real}
 * (low). When no steal is in progress they are equal. A stealer first advances {@code real}
 * past the tasks it claims (so the owner cannot pop them), copies them out, then moves
 * {@code steal} up to {@code real} (so the owner may reuse the slots). The owner's room
 * check counts from {@code steal}, so it never overwrites a slot being copied.
 *
 * <h2>Who calls what</h2>
 * {@link #pushBackOrOverflow}, {@link #pop} and {@link #remainingSlots}: the owner only.
 * {@link #stealInto}: any other worker, giving its own queue as the destination (it is the
 * owner of {@code dst}). {@link #len} and {@link #isEmpty}: anyone (a snapshot).
 */
public final class LocalQueue {
    public static final int CAPACITY = 256;
    private static final int MASK = CAPACITY - 1;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Task[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LocalQueue.class, "head", long.class);
            TAIL = l.findVarHandle(LocalQueue.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** pack(steal, real); CAS by the owner (pop, overflow) and stealers. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Written only by the owner (release); read by stealers (acquire). */
    @SuppressWarnings("unused")
    private volatile int tail;
    private final Task<?>[] buffer = new Task<?>[CAPACITY];

    static long pack(int steal, int real) {
        return ((long) steal << 32) | (real & 0xFFFF_FFFFL);
    }

    static int steal(long head) {
        return (int) (head >>> 32);
    }

    static int real(long head) {
        return (int) head;
    }

    /** Number of tasks, as a snapshot. */
    public int len() {
        long h = (long) HEAD.getAcquire(this);
        int t = (int) TAIL.getAcquire(this);
        int n = t - real(h);
        return Math.max(0, Math.min(n, CAPACITY));
    }

    public boolean isEmpty() {
        return len() == 0;
    }

    /** Room left for the owner to push. Owner only. */
    int remainingSlots() {
        int steal = steal((long) HEAD.getAcquire(this));
        int t = (int) TAIL.getOpaque(this); // opaque: only the owner writes tail
        return CAPACITY - (t - steal);
    }

    /**
     * Owner only: pushes {@code task}; when full, moves half of the queue plus the task to
     * {@code overflow} in one batch. If a stealer is mid-steal the task goes to
     * {@code overflow} alone (the stealer is about to make room).
     */
    public void pushBackOrOverflow(Task<?> task, Inject overflow, Stats stats) {
        for (;;) {
            long h = (long) HEAD.getAcquire(this); // acquire: pairs with the release CAS in stealInto
            int steal = steal(h);
            int real = real(h);
            int t = (int) TAIL.getOpaque(this); // opaque: we are the only writer of tail
            if (t - steal < CAPACITY) {
                SLOT.setOpaque(buffer, t & MASK, task); // published by the release of tail below
                TAIL.setRelease(this, t + 1); // release: pairs with the acquire of tail in stealInto/len
                return;
            }
            if (steal != real) {
                overflow.push(task);
                return;
            }
            if (pushOverflow(task, real, t, overflow)) {
                if (stats != null) {
                    stats.overflows++;
                }
                return;
            }
            // A stealer took tasks meanwhile: there is room now; retry.
        }
    }

    /**
     * The overflow half of {@link #pushBackOrOverflow}, its only caller (so the owner only),
     * when the queue is full and no steal is in progress ({@code head} is both the steal and
     * the real head; {@code tail} the owner's tail): claims the older half of the queue with
     * one CAS on {@code head} and moves it, with {@code task} last, to {@code overflow} in one
     * batch. Returns false, having moved nothing, if a stealer moved {@code head} first; the
     * caller then retries and finds room.
     */
    private boolean pushOverflow(Task<?> task, int head, int tail, Inject overflow) {
        final int half = CAPACITY / 2;
        if (tail - head != CAPACITY) {
            throw new AssertionError("queue is not full; tail=" + tail + " head=" + head);
        }
        // Claim half the tasks by moving both steal and real past them.
        long prev = pack(head, head);
        long next = pack(head + half, head + half);
        if (!HEAD.compareAndSet(this, prev, next)) {
            return false;
        }
        Task<?> first = null;
        Task<?> last = null;
        for (int i = 0; i < half; i++) {
            Task<?> t = (Task<?>) SLOT.getOpaque(buffer, (head + i) & MASK); // claimed by our CAS
            if (first == null) {
                first = t;
            } else {
                last.queueNext = t;
            }
            last = t;
        }
        last.queueNext = task;
        task.queueNext = null;
        overflow.pushBatch(first, task, half + 1);
        return true;
    }

    /** Owner only: takes the task at the head, or null. */
    public Task<?> pop() {
        long h = (long) HEAD.getAcquire(this);
        for (;;) {
            int steal = steal(h);
            int real = real(h);
            int t = (int) TAIL.getOpaque(this); // opaque: we are the only writer of tail
            if (real == t) {
                return null;
            }
            int nextReal = real + 1;
            long next = steal == real ? pack(nextReal, nextReal) : pack(steal, nextReal);
            long witness = (long) HEAD.compareAndExchange(this, h, next);
            if (witness == h) {
                return (Task<?>) SLOT.getOpaque(buffer, real & MASK); // claimed by the CAS
            }
            h = witness;
        }
    }

    /**
     * Steals half of this queue into {@code dst} (owned by the calling worker) and returns
     * one of the stolen tasks to run at once, or null if nothing was stolen.
     */
    public Task<?> stealInto(LocalQueue dst, Stats dstStats) {
        int dstTail = (int) TAIL.getOpaque(dst); // opaque: the caller owns dst
        int dstSteal = steal((long) HEAD.getAcquire(dst));
        if (dstTail - dstSteal > CAPACITY / 2) {
            return null; // dst has no room for half a queue; we will find work at home
        }
        int n = stealInto2(dst, dstTail);
        if (n == 0) {
            return null;
        }
        if (dstStats != null) {
            dstStats.steals++;
            dstStats.stolenTasks += n;
        }
        // Keep the last stolen task to run now; publish the rest.
        n--;
        int retIdx = (dstTail + n) & MASK;
        Task<?> ret = (Task<?>) SLOT.getOpaque(dst.buffer, retIdx);
        if (n > 0) {
            TAIL.setRelease(dst, dstTail + n); // release: publishes the copied slots
        }
        return ret;
    }

    private int stealInto2(LocalQueue dst, int dstTail) {
        long prev = (long) HEAD.getAcquire(this);
        int n;
        long next;
        for (;;) {
            int srcSteal = steal(prev);
            int srcReal = real(prev);
            if (srcSteal != srcReal) {
                return 0; // another stealer is at work here
            }
            int srcTail = (int) TAIL.getAcquire(this); // acquire: pairs with the owner's release
            n = srcTail - srcReal;
            n = n - n / 2;
            if (n == 0) {
                return 0;
            }
            int stealTo = srcReal + n;
            next = pack(srcSteal, stealTo);
            long witness = (long) HEAD.compareAndExchange(this, prev, next);
            if (witness == prev) {
                break;
            }
            prev = witness;
        }
        int first = steal(next);
        for (int i = 0; i < n; i++) {
            Task<?> t = (Task<?>) SLOT.getOpaque(buffer, (first + i) & MASK); // claimed: owner will not pop or overwrite
            SLOT.setOpaque(dst.buffer, (dstTail + i) & MASK, t); // dst is ours; published by its tail release
        }
        // Finish: move steal up to real, releasing the slots back to the owner.
        prev = next;
        for (;;) {
            int real = real(prev);
            long done = pack(real, real);
            long witness = (long) HEAD.compareAndExchange(this, prev, done); // release: our slot reads happen before the owner reuses them
            if (witness == prev) {
                return n;
            }
            prev = witness; // the owner popped meanwhile (real moved); steal is still ours
        }
    }

    /** Per-worker counters written by the owner, read racily by metrics. */
    public static final class Stats {
        public long steals;
        public long stolenTasks;
        public long overflows;
    }
}
