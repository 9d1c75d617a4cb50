package dev.braid.sync;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Semaphore.Permit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linearizability of {@link Semaphore} against a sequential model of a fair semaphore, with
 * its futures polled and dropped by hand.
 *
 * <p>Each thread owns what it acquired: a stack of held permits and at most one pending
 * acquire future with its own {@link CountingWaker} (slots indexed by the thread id, written
 * only by their thread). {@code acquire} makes a future and polls it once; {@code poll} polls
 * the pending one again; {@code drop} abandons it. The model serves waiters FIFO and assigns
 * released permits to the head waiter first, so results pin down fairness too.
 *
 * <p>The validation function (run whenever no operation is in flight) checks that no permit
 * was lost or duplicated (available + held by permits + held by pending futures = initial +
 * added), the semaphore's internal invariants, and that every pending future that was granted
 * or closed out has been woken.
 */
final class SemaphoreLincheckTest {
    private static final int THREADS = 3;
    private static final int INITIAL = 1;
    /** Thread ids from {@link ThreadIdGen}: 0 init part, 1..THREADS parallel part, then post part. */
    private static final int THREAD_IDS = THREADS + 2;

    @Param(name = "n", gen = IntGen.class, conf = "1:2")
    public static final class Ops {
        private final Semaphore sem = new Semaphore(INITIAL);
        private final AtomicInteger added = new AtomicInteger();
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final Future<Permit>[] pending = new Future[THREAD_IDS];
        private final CountingWaker[] wakers = new CountingWaker[THREAD_IDS];
        private final List<ArrayDeque<Permit>> held = new ArrayList<>();

        public Ops() {
            for (int i = 0; i < THREAD_IDS; i++) {
                held.add(new ArrayDeque<>());
            }
        }

        @Operation
        public int tryAcquire(@Param(gen = ThreadIdGen.class) int tid, @Param(name = "n") int n) {
            Permit p = sem.tryAcquire(n);
            if (p == null) {
                return 0;
            }
            held.get(tid).push(p);
            return 1;
        }

        /** 1: ready at once; 0: pending (kept); -1: this thread already has a pending acquire. */
        @Operation
        public int acquire(@Param(gen = ThreadIdGen.class) int tid, @Param(name = "n") int n) {
            if (pending[tid] != null) {
                return -1;
            }
            Future<Permit> f = sem.acquire(n);
            CountingWaker w = new CountingWaker();
            Poll<Permit> p = w.poll(f);
            if (p.isReady()) {
                held.get(tid).push(p.value());
                return 1;
            }
            pending[tid] = f;
            wakers[tid] = w;
            return 0;
        }

        /** 1: ready now; 0: still pending; -1: nothing pending. */
        @Operation
        public int poll(@Param(gen = ThreadIdGen.class) int tid) {
            Future<Permit> f = pending[tid];
            if (f == null) {
                return -1;
            }
            Poll<Permit> p = wakers[tid].poll(f);
            if (p.isPending()) {
                return 0;
            }
            held.get(tid).push(p.value());
            pending[tid] = null;
            return 1;
        }

        @Operation
        public void drop(@Param(gen = ThreadIdGen.class) int tid) {
            Future<Permit> f = pending[tid];
            if (f != null) {
                f.drop();
                pending[tid] = null;
            }
        }

        /** Releases this thread's most recent permit; returns its size (0 if it held none). */
        @Operation
        public int release(@Param(gen = ThreadIdGen.class) int tid) {
            Permit p = held.get(tid).poll();
            if (p == null) {
                return 0;
            }
            p.close();
            return p.permits();
        }

        @Operation
        public void addPermits(@Param(name = "n") int n) {
            added.addAndGet(n);
            sem.addPermits(n);
        }

        @Operation
        public int available() {
            return sem.availablePermits();
        }

        @Validate
        public void permitsAreConserved() {
            sem.checkInvariants();
            int total = sem.availablePermits();
            for (int t = 0; t < THREAD_IDS; t++) {
                for (Permit p : held.get(t)) {
                    total += p.permits();
                }
                Future<Permit> f = pending[t];
                if (f != null) {
                    total += Semaphore.heldBy(f);
                    if (Semaphore.isResolved(f) && !wakers[t].woken()) {
                        throw new AssertionError("thread " + t + ": granted acquire never woken");
                    }
                }
            }
            if (total != INITIAL + added.get()) {
                throw new AssertionError(total + " permits accounted for, expected " + (INITIAL + added.get()));
            }
        }
    }

    /** The sequential specification: a counter and a FIFO of waiters, each with what it still needs. */
    public static final class Spec {
        private static final int NONE = 0;
        private static final int QUEUED = 1;
        private static final int GRANTED = 2;

        private int available = INITIAL;
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private final int[] state = new int[THREAD_IDS];
        private final int[] requested = new int[THREAD_IDS];
        private final int[] needed = new int[THREAD_IDS];
        private final List<ArrayDeque<Integer>> held = new ArrayList<>();

        public Spec() {
            for (int i = 0; i < THREAD_IDS; i++) {
                held.add(new ArrayDeque<>());
            }
        }

        private void give(int n) {
            while (n > 0 && !queue.isEmpty()) {
                int t = queue.peekFirst();
                int take = Math.min(n, needed[t]);
                needed[t] -= take;
                n -= take;
                if (needed[t] == 0) {
                    queue.pollFirst();
                    state[t] = GRANTED;
                }
            }
            available += n;
        }

        public int tryAcquire(int tid, int n) {
            if (available < n) {
                return 0;
            }
            available -= n;
            held.get(tid).push(n);
            return 1;
        }

        public int acquire(int tid, int n) {
            if (state[tid] != NONE) {
                return -1;
            }
            if (available >= n) {
                available -= n;
                held.get(tid).push(n);
                return 1;
            }
            requested[tid] = n;
            needed[tid] = n - available;
            available = 0;
            queue.addLast(tid);
            state[tid] = QUEUED;
            return 0;
        }

        public int poll(int tid) {
            if (state[tid] == NONE) {
                return -1;
            }
            if (state[tid] == QUEUED) {
                return 0;
            }
            held.get(tid).push(requested[tid]);
            state[tid] = NONE;
            return 1;
        }

        public void drop(int tid) {
            if (state[tid] == QUEUED) {
                queue.remove(tid);
                state[tid] = NONE;
                give(requested[tid] - needed[tid]);
            } else if (state[tid] == GRANTED) {
                state[tid] = NONE;
                give(requested[tid]);
            }
        }

        public int release(int tid) {
            Integer n = held.get(tid).poll();
            if (n == null) {
                return 0;
            }
            give(n);
            return n;
        }

        public void addPermits(int n) {
            give(n);
        }

        public int available() {
            return available;
        }

        private String key() {
            StringBuilder b = new StringBuilder().append(available).append(queue);
            for (int t = 0; t < THREAD_IDS; t++) {
                b.append('|').append(state[t]);
                if (state[t] != NONE) {
                    b.append(',').append(requested[t]).append(',').append(needed[t]);
                }
                b.append(held.get(t));
            }
            return b.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && key().equals(s.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(25)
                .invocationsPerIteration(LincheckBudget.invocations(40))
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
                .iterations(25)
                .invocationsPerIteration(LincheckBudget.invocations(250))
                .threads(THREADS)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
