package dev.braid.runtime.internal;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lincheck tests of {@link LocalQueue}, a worker's bounded ring.
 *
 * <p>Thread roles are modelled with non-parallel groups: {@code owner} (push and pop, the
 * owning worker) and {@code stealer1}, {@code stealer2} (one stealing worker each). With
 * three threads Lincheck puts each group on its own thread, so owner operations never run
 * concurrently with each other, while the two stealers race each other and the owner.
 *
 * <p>Tasks are real {@link Task}s made in the constructor; the owner pushes them in order,
 * so the n-th push (counting the sequential init and post parts) is task n in both the
 * implementation and the specification. Results name tasks by their pool index, found
 * through {@link Task#id()}.
 *
 * <p>A steal uses a fresh destination queue and returns the sorted indices of everything
 * it got (the returned task plus the destination's contents).
 *
 * <p>Two scenarios:
 * <ul>
 *   <li>{@link Ops} (small queue, no overflow): linearizability against a deque where a
 *       steal takes ceil(n/2) tasks from the head ({@link Spec}). A successful steal
 *       linearizes where it reads the tail: its head CAS succeeded, so head did not move
 *       in between, and pushes meanwhile only add behind what it took. A steal that finds
 *       another steal in progress is retried (see {@link #stealAll}). The indices start
 *       just below the 32-bit wrap, which the scenario crosses. {@code len()} is not an
 *       operation: it is a snapshot, not linearizable with steals, and documented so.
 *   <li>{@link OverflowOps} (queue one short of full): pushes overflow into the inject
 *       queue while steals are in progress; a validation function checks that no task is
 *       lost or duplicated across what was popped, stolen, left in the queue and moved to
 *       the inject queue.
 * </ul>
 */
final class LocalQueueLincheckTest {
    private static final int THREADS = 3;
    private static final int MASK = LocalQueue.CAPACITY - 1;

    /** A sorted set of task indices, as an operation result (arrays do not compare by value). */
    public static final class Ids {
        final int[] ids;

        Ids(int[] ids) {
            this.ids = ids;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ids other && Arrays.equals(ids, other.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        /** Runs of consecutive indices are shown as {@code a..b}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < ids.length; ) {
                int j = i;
                while (j + 1 < ids.length && ids[j + 1] == ids[j] + 1) {
                    j++;
                }
                sb.append(sb.length() > 1 ? ", " : "").append(ids[i]);
                if (j > i) {
                    sb.append(j == i + 1 ? ", " : "..").append(ids[j]);
                }
                i = j + 1;
            }
            return sb.append(']').toString();
        }
    }

    private static final Ids NONE = new Ids(new int[0]);

    /**
     * Steals once from {@code src} into a fresh queue: the sorted pool indices of the tasks
     * obtained. {@code stealInto} also gives up (returns null) when another stealer is
     * between its claim and its release of {@code src}; a worker would just try again, and
     * so does this helper. It returns empty only when {@link LocalQueue#len()} reads 0 after
     * a failed attempt: {@code len} reads head then tail, and head's real index only grows
     * and never passes tail, so a 0 means the queue was empty when tail was read.
     */
    static Ids stealAll(LocalQueue src, TestTasks tasks) {
        for (;;) {
            Ids got = stealOnce(src, tasks);
            if (got != NONE || src.len() == 0) {
                return got;
            }
        }
    }

    /** One {@code stealInto} a fresh queue: the sorted indices of the tasks obtained. */
    static Ids stealOnce(LocalQueue src, TestTasks tasks) {
        LocalQueue dst = new LocalQueue();
        Task<?> first = src.stealInto(dst, null);
        if (first == null) {
            return NONE;
        }
        int[] got = new int[LocalQueue.CAPACITY + 1];
        int n = addContents(dst, tasks, got, 0);
        got[n++] = tasks.indexOf(first);
        return new Ids(sorted(got, n));
    }

    /** Insertion sort of {@code a[0..n)} into a new array: linear on the (normally) sorted input, and no library calls for the model checker to trace. */
    private static int[] sorted(int[] a, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int v = a[i];
            int j = i;
            while (j > 0 && out[j - 1] > v) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = v;
        }
        return out;
    }

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle BUFFER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(LocalQueue.class, MethodHandles.lookup());
            HEAD = l.findVarHandle(LocalQueue.class, "head", long.class);
            TAIL = l.findVarHandle(LocalQueue.class, "tail", int.class);
            BUFFER = l.findVarHandle(LocalQueue.class, "buffer", Task[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A new, empty queue whose head and tail indices start at {@code start} instead of 0, as
     * after that many pushes and pops, so that a scenario can cross a wrap of the 32-bit
     * counters: from -1 to 0 (the unsigned wrap) or from {@link Integer#MAX_VALUE} to
     * {@link Integer#MIN_VALUE} (the signed one).
     */
    static LocalQueue queueStartingAt(int start) {
        LocalQueue q = new LocalQueue();
        HEAD.setVolatile(q, LocalQueue.pack(start, start));
        TAIL.setVolatile(q, start);
        return q;
    }

    static int addContents(LocalQueue q, TestTasks tasks, int[] out, int at) {
        long head = (long) HEAD.getVolatile(q);
        int real = LocalQueue.real(head);
        int n = (int) TAIL.getVolatile(q) - real;
        if (LocalQueue.steal(head) != real || n < 0 || n > LocalQueue.CAPACITY || n != q.len()) {
            throw new IllegalStateException("bad indices: head " + Long.toHexString(head) + ", tail " + TAIL.getVolatile(q)
                    + ", len() " + q.len());
        }
        Task<?>[] buffer = (Task<?>[]) BUFFER.get(q);
        for (int i = 0; i < n; i++) {
            out[at++] = tasks.indexOf(buffer[(real + i) & MASK]);
        }
        return at;
    }

    // ---- linearizability against a deque -------------------------------------------------

    /** Queue operations, all without overflow (the queue stays far below capacity). */
    public static final class Ops {
        /** Tasks pushed before the scenario starts, so that steals have something to take. */
        static final int PREFILL = 3;
        /** The indices cross from -1 to 0 after the prefill and one more push. */
        private final LocalQueue queue = queueStartingAt(-(PREFILL + 1));
        private final Inject overflow = new Inject();
        private final TestTasks tasks = new TestTasks(64);
        /** Number of tasks pushed so far; touched by the owner thread only. */
        private int pushed;

        public Ops() {
            for (int i = 0; i < PREFILL; i++) {
                push();
            }
        }

        @Operation(nonParallelGroup = "owner")
        public void push() {
            queue.pushBackOrOverflow(tasks.get(pushed++), overflow, null);
        }

        @Operation(nonParallelGroup = "owner")
        public int pop() {
            Task<?> t = queue.pop();
            return t == null ? -1 : tasks.indexOf(t);
        }

        @Operation(nonParallelGroup = "stealer1")
        public Ids steal1() {
            return stealAll(queue, tasks);
        }

        @Operation(nonParallelGroup = "stealer2")
        public Ids steal2() {
            return stealAll(queue, tasks);
        }
    }

    /** The sequential specification: a deque of task indices; a steal takes ceil(n/2) from the head. */
    public static final class Spec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();
        private int pushed;

        public Spec() {
            for (int i = 0; i < Ops.PREFILL; i++) {
                push();
            }
        }

        public void push() {
            q.addLast(pushed++);
        }

        public int pop() {
            Integer v = q.pollFirst();
            return v == null ? -1 : v;
        }

        public Ids steal1() {
            int n = q.size();
            int[] got = new int[n - n / 2];
            for (int i = 0; i < got.length; i++) {
                got[i] = q.pollFirst(); // ascending: tasks are pushed in index order
            }
            return new Ids(got);
        }

        public Ids steal2() {
            return steal1();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && pushed == s.pushed && new ArrayList<>(q).equals(new ArrayList<>(s.q));
        }

        @Override
        public int hashCode() {
            return 31 * pushed + new ArrayList<>(q).hashCode();
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(300))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(4000))
                .threads(THREADS)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    // ---- overflow: no task lost or duplicated across the queue and the inject queue -------

    /**
     * The queue starts one short of full, so the owner's pushes overflow (half the queue plus
     * the task in one batch, or the task alone while a steal is in progress) while stealers
     * take half. A steal that finds another in progress just gets nothing here (no retry:
     * nothing is compared with a specification). Operations return nothing (which of the two overflow paths runs depends on
     * timing); every task they obtain is recorded, and the validation function, run after
     * the scenario, reads the queue and the inject queue and checks that each task pushed
     * turns up exactly once.
     */
    public static final class OverflowOps {
        static final int PREFILL = LocalQueue.CAPACITY - 1;
        private static final int POOL = PREFILL + 32;
        /** The indices cross from Integer.MAX_VALUE to MIN_VALUE in the middle of the prefilled tasks. */
        private final LocalQueue queue = queueStartingAt(Integer.MAX_VALUE - 99);
        private final Inject overflow = new Inject();
        private final TestTasks tasks = new TestTasks(POOL);
        private final LocalQueue.Stats stats = new LocalQueue.Stats();
        private int pushed;
        /** What each role obtained; each list is written by one thread only. */
        private final List<Integer> popped = new ArrayList<>();
        private final List<Ids> stolen1 = new ArrayList<>();
        private final List<Ids> stolen2 = new ArrayList<>();

        public OverflowOps() {
            for (int i = 0; i < PREFILL; i++) {
                queue.pushBackOrOverflow(tasks.get(pushed++), overflow, stats);
            }
        }

        @Operation(nonParallelGroup = "owner")
        public void push() {
            queue.pushBackOrOverflow(tasks.get(pushed++), overflow, stats);
        }

        @Operation(nonParallelGroup = "owner")
        public void pop() {
            Task<?> t = queue.pop();
            if (t != null) {
                popped.add(tasks.indexOf(t));
            }
        }

        @Operation(nonParallelGroup = "stealer1")
        public void steal1() {
            stolen1.add(stealOnce(queue, tasks));
        }

        @Operation(nonParallelGroup = "stealer2")
        public void steal2() {
            stolen2.add(stealOnce(queue, tasks));
        }

        @Validate
        public void noTaskLostOrDuplicated() {
            int[] count = new int[POOL];
            for (int i : popped) {
                count[i]++;
            }
            for (Ids s : stolen1) {
                for (int i : s.ids) {
                    count[i]++;
                }
            }
            for (Ids s : stolen2) {
                for (int i : s.ids) {
                    count[i]++;
                }
            }
            int[] queued = new int[LocalQueue.CAPACITY];
            int inQueue = addContents(queue, tasks, queued, 0);
            for (int k = 0; k < inQueue; k++) {
                count[queued[k]]++;
            }
            int injectLen = overflow.len();
            int[] batch = {0};
            int inInject = 0;
            for (Task<?> t = overflow.popBatch(Integer.MAX_VALUE, batch); t != null; t = t.queueNext) {
                count[tasks.indexOf(t)]++;
                inInject++;
            }
            boolean ok = injectLen == inInject && batch[0] == inInject;
            for (int i = 0; i < POOL; i++) {
                ok &= count[i] == (i < pushed ? 1 : 0);
            }
            if (!ok) {
                List<Integer> missing = new ArrayList<>();
                List<Integer> duplicated = new ArrayList<>();
                for (int i = 0; i < POOL; i++) {
                    if (i < pushed && count[i] == 0) {
                        missing.add(i);
                    } else if (count[i] > (i < pushed ? 1 : 0)) {
                        duplicated.add(i);
                    }
                }
                throw new IllegalStateException("pushed " + pushed + " tasks; missing " + new Ids(missing.stream().mapToInt(x -> x).toArray())
                        + ", duplicated " + new Ids(duplicated.stream().mapToInt(x -> x).toArray()) + "; popped " + popped
                        + ", stolen " + stolen1 + " and " + stolen2 + "; queue holds " + inQueue
                        + ", inject len " + injectLen + " holds " + inInject + " (popBatch counted " + batch[0]
                        + "), overflows " + stats.overflows);
            }
        }
    }

    @Test
    void overflowModelChecking() {
        new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(LincheckBudget.invocations(80))
                // A steal copies up to 128 slots: above Lincheck's default bound of 50
                // iterations, which would report it as a hung loop.
                .loopBound(400)
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .check(OverflowOps.class);
    }

    @Test
    void overflowStress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(2000))
                .threads(THREADS)
                .actorsPerThread(4)
                .actorsBefore(0)
                .actorsAfter(0)
                .check(OverflowOps.class);
    }
}
