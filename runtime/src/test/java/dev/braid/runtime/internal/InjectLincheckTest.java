package dev.braid.runtime.internal;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Linearizability of {@link Inject}, the global run queue, against a plain FIFO.
 *
 * <p>Every thread may call every operation. Each push takes a fresh {@link Task} from a
 * pool made in the constructor (a task is in at most one queue at a time, so it is never
 * pushed twice); a task's label is the operation's parameter and is found again through
 * {@link Task#id()}. Batches push {@code n} tasks labelled {@code 10·label + i}.
 */
final class InjectLincheckTest {
    private static final int THREADS = 3;

    /**
     * The operations under test. Lincheck instantiates it reflectively, so it is public
     * (the JUnit class itself stays package-private).
     */
    @Param(name = "label", gen = IntGen.class, conf = "1:6")
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    @Param(name = "max", gen = IntGen.class, conf = "0:3")
    public static final class Ops {
        /** Thread ids from {@link ThreadIdGen}: 0 is the init part, 1..THREADS the parallel part, then the post part. */
        private static final int THREAD_IDS = THREADS + 2;
        /** Enough for every actor of one thread to push a full batch. */
        private static final int PER_THREAD = 3 * 8;

        private final Inject inject = new Inject();
        private final TestTasks tasks = new TestTasks(PER_THREAD * THREAD_IDS);
        /** used[tid]: tasks taken by thread tid; each slot is written by its own thread only. */
        private final int[] used = new int[THREAD_IDS];
        /** labels[i]: label of pool task i, written by its pusher before the push publishes it. */
        private final int[] labels = new int[PER_THREAD * THREAD_IDS];

        private Task<?> fresh(int tid, int label) {
            int i = tid * PER_THREAD + used[tid]++;
            labels[i] = label;
            return tasks.get(i);
        }

        private int labelOf(Task<?> task) {
            return labels[tasks.indexOf(task)];
        }

        @Operation
        public void push(@Param(gen = ThreadIdGen.class) int tid, @Param(name = "label") int label) {
            inject.push(fresh(tid, label));
        }

        @Operation
        public void pushBatch(@Param(gen = ThreadIdGen.class) int tid, @Param(name = "n") int n,
                              @Param(name = "label") int label) {
            Task<?> first = null;
            Task<?> last = null;
            for (int i = 1; i <= n; i++) {
                Task<?> t = fresh(tid, 10 * label + i);
                if (first == null) {
                    first = t;
                } else {
                    last.queueNext = t;
                }
                last = t;
            }
            inject.pushBatch(first, last, n);
        }

        @Operation
        public int pop() {
            Task<?> t = inject.pop();
            if (t == null) {
                return -1;
            }
            if (t.queueNext != null) {
                throw new IllegalStateException("popped task still linked");
            }
            return labelOf(t);
        }

        @Operation
        public List<Integer> popBatch(@Param(name = "max") int max) {
            int[] count = {-1};
            Task<?> t = inject.popBatch(max, count);
            List<Integer> out = new ArrayList<>();
            for (; t != null; t = t.queueNext) {
                out.add(labelOf(t));
            }
            if (out.size() != count[0]) {
                throw new IllegalStateException("chain of " + out.size() + " tasks, count says " + count[0]);
            }
            return out;
        }

        @Operation
        public int len() {
            return inject.len();
        }
    }

    /** The sequential specification: a FIFO of labels. */
    public static final class Spec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();

        public void push(int tid, int label) {
            q.addLast(label);
        }

        public void pushBatch(int tid, int n, int label) {
            for (int i = 1; i <= n; i++) {
                q.addLast(10 * label + i);
            }
        }

        public int pop() {
            Integer v = q.pollFirst();
            return v == null ? -1 : v;
        }

        public List<Integer> popBatch(int max) {
            List<Integer> out = new ArrayList<>();
            while (out.size() < max && !q.isEmpty()) {
                out.add(q.pollFirst());
            }
            return out;
        }

        public int len() {
            return q.size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && new ArrayList<>(q).equals(new ArrayList<>(s.q));
        }

        @Override
        public int hashCode() {
            return new ArrayList<>(q).hashCode();
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(400))
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
                .invocationsPerIteration(LincheckBudget.invocations(3000))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
