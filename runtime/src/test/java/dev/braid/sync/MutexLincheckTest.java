package dev.braid.sync;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

/**
 * Linearizability of {@link Mutex} against a sequential fair lock. Each thread holds at most
 * one guard and at most one pending {@code lock()} future (slots indexed by thread id). The
 * holder's {@code unlock} increments the protected counter through the guard and returns the
 * value it read, so a second holder at the same time, a lost unlock or a stale read changes the
 * results. The validation function checks that at most one guard is open or lock granted, and
 * that a pending future that was granted has been woken; the lock's own state (locked, waiter
 * count) must agree with the guards and futures the threads hold.
 */
final class MutexLincheckTest {
    private static final int THREADS = 3;
    private static final int THREAD_IDS = THREADS + 2;

    public static final class Ops {
        private final Mutex<Integer> mutex = new Mutex<>(0);
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final Future<Mutex.Guard<Integer>>[] pending = new Future[THREAD_IDS];
        private final CountingWaker[] wakers = new CountingWaker[THREAD_IDS];
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final Mutex.Guard<Integer>[] guards = new Mutex.Guard[THREAD_IDS];

        /** 1: locked; 0: busy; -1: this thread already holds or awaits the lock. */
        @Operation
        public int tryLock(@Param(gen = ThreadIdGen.class) int tid) {
            if (guards[tid] != null || pending[tid] != null) {
                return -1;
            }
            Mutex.Guard<Integer> g = mutex.tryLock();
            if (g == null) {
                return 0;
            }
            guards[tid] = g;
            return 1;
        }

        /** 1: locked at once; 0: pending; -1: this thread already holds or awaits the lock. */
        @Operation
        public int lock(@Param(gen = ThreadIdGen.class) int tid) {
            if (guards[tid] != null || pending[tid] != null) {
                return -1;
            }
            Future<Mutex.Guard<Integer>> f = mutex.lock();
            CountingWaker w = new CountingWaker();
            Poll<Mutex.Guard<Integer>> p = w.poll(f);
            if (p.isReady()) {
                guards[tid] = p.value();
                return 1;
            }
            pending[tid] = f;
            wakers[tid] = w;
            return 0;
        }

        /** 1: locked now; 0: still pending; -1: nothing pending. */
        @Operation
        public int poll(@Param(gen = ThreadIdGen.class) int tid) {
            Future<Mutex.Guard<Integer>> f = pending[tid];
            if (f == null) {
                return -1;
            }
            Poll<Mutex.Guard<Integer>> p = wakers[tid].poll(f);
            if (p.isPending()) {
                return 0;
            }
            pending[tid] = null;
            guards[tid] = p.value();
            return 1;
        }

        @Operation
        public void drop(@Param(gen = ThreadIdGen.class) int tid) {
            Future<Mutex.Guard<Integer>> f = pending[tid];
            if (f != null) {
                f.drop();
                pending[tid] = null;
            }
        }

        /** Increments the counter and unlocks; returns the value read, or -1 if not holding. */
        @Operation
        public int unlock(@Param(gen = ThreadIdGen.class) int tid) {
            Mutex.Guard<Integer> g = guards[tid];
            if (g == null) {
                return -1;
            }
            int v = g.get();
            g.set(v + 1);
            guards[tid] = null;
            g.close();
            return v;
        }

        @Validate
        public void oneHolderAtMost() {
            int open = 0;
            int queued = 0;
            for (int t = 0; t < THREAD_IDS; t++) {
                if (guards[t] != null) {
                    open++;
                }
                Future<Mutex.Guard<Integer>> f = pending[t];
                if (f != null && Mutex.isGranted(f)) {
                    open++;
                    if (!wakers[t].woken()) {
                        throw new AssertionError("thread " + t + ": lock granted but never woken");
                    }
                } else if (f != null) {
                    queued++;
                }
            }
            if (open > 1) {
                throw new AssertionError(open + " holders at once (guards or granted futures)");
            }
            if (mutex.isLocked() != (open == 1)) {
                throw new AssertionError("isLocked " + mutex.isLocked() + " with " + open + " holders");
            }
            if (mutex.waiterCount() != queued) {
                throw new AssertionError(mutex.waiterCount() + " waiters queued, " + queued + " futures wait");
            }
        }
    }

    /** The sequential specification: a fair lock and the counter it protects. */
    public static final class Spec {
        private int counter;
        private int holder = -1;
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private final boolean[] granted = new boolean[THREAD_IDS];
        private final boolean[] waiting = new boolean[THREAD_IDS];

        private boolean busy(int tid) {
            return holder == tid || waiting[tid] || granted[tid];
        }

        private boolean locked() {
            return holder != -1 || anyGranted();
        }

        private boolean anyGranted() {
            for (boolean g : granted) {
                if (g) {
                    return true;
                }
            }
            return false;
        }

        private void unlockToNext() {
            Integer next = queue.pollFirst();
            if (next != null) {
                waiting[next] = false;
                granted[next] = true;
            }
        }

        public int tryLock(int tid) {
            if (busy(tid)) {
                return -1;
            }
            if (locked() || !queue.isEmpty()) {
                return 0;
            }
            holder = tid;
            return 1;
        }

        public int lock(int tid) {
            if (busy(tid)) {
                return -1;
            }
            if (!locked() && queue.isEmpty()) {
                holder = tid;
                return 1;
            }
            queue.addLast(tid);
            waiting[tid] = true;
            return 0;
        }

        public int poll(int tid) {
            if (granted[tid]) {
                granted[tid] = false;
                holder = tid;
                return 1;
            }
            return waiting[tid] ? 0 : -1;
        }

        public void drop(int tid) {
            if (waiting[tid]) {
                waiting[tid] = false;
                queue.remove(tid);
            } else if (granted[tid]) {
                granted[tid] = false;
                unlockToNext();
            }
        }

        public int unlock(int tid) {
            if (holder != tid) {
                return -1;
            }
            holder = -1;
            int v = counter++;
            unlockToNext();
            return v;
        }

        private String key() {
            StringBuilder b = new StringBuilder().append(counter).append(',').append(holder).append(queue);
            for (int t = 0; t < THREAD_IDS; t++) {
                b.append(granted[t] ? 'g' : waiting[t] ? 'w' : '-');
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
