package dev.braid.future;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A large {@link Futures#joinAll} (past the size where it polls only the children that woke
 * it) against a sequential model: children completed from any thread, the join polled by
 * one task. The join is ready exactly when every child completed, and a join left pending
 * although it could finish was woken after its last poll (the lock-free ready stack loses
 * no child's wake-up).
 */
final class JoinAllLincheckTest {
    /** Children that are ready at once: enough to take the large-join path. */
    static final int FILLER = 40;

    /** A child completed by whichever thread calls complete(); polled by the join's task. */
    static final class Child implements Future<Integer> {
        final int id;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Waker waker;

        Child(int id) {
            this.id = id;
        }

        boolean complete() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
            return true;
        }

        /** A wake-up without completion (progress short of done, or a spurious one). */
        void nudge() {
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            waker = cx.waker();
            return done.get() ? Poll.ready(id) : Poll.pending();
        }
    }

    @Param(name = "i", gen = IntGen.class, conf = "0:1")
    public static final class Ops {
        private final Child[] kids = {new Child(0), new Child(1)};
        private final AtomicInteger wakes = new AtomicInteger();
        private final Context cx = new Context(wakes::incrementAndGet);
        private final Future<List<Integer>> join;
        private boolean ready; // join thread only
        private int wakesAtPending = -1; // join thread only

        public Ops() {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < FILLER; i++) {
                all.add(Future.ready(-1));
            }
            all.add(kids[0]);
            all.add(kids[1]);
            join = Futures.joinAll(all);
            wakesAtPending = wakes.get();
            if (join.poll(cx).isReady()) { // the first pass: every child polled once
                throw new IllegalStateException("ready before any child completed");
            }
        }

        /** Set once a complete() returned, so after any wake-up it was going to do. */
        private final AtomicBoolean[] completed = {new AtomicBoolean(), new AtomicBoolean()};

        /** One completer thread: a child's completion and its wake-up are one step for the model. */
        @Operation(nonParallelGroup = "tx")
        public boolean complete(@Param(name = "i") int i) {
            boolean first = kids[i].complete();
            completed[i].set(true);
            return first;
        }

        @Operation
        public void nudge(@Param(name = "i") int i) {
            kids[i].nudge();
        }

        @Operation(nonParallelGroup = "join")
        public boolean poll() {
            noLostWakeUp();
            if (ready) {
                return true;
            }
            int before = wakes.get();
            Poll<List<Integer>> p = join.poll(cx);
            if (p.isPending()) {
                wakesAtPending = before;
                return false;
            }
            List<Integer> v = p.value();
            if (v.get(FILLER) != 0 || v.get(FILLER + 1) != 1) {
                throw new IllegalStateException("values out of order: " + v.subList(FILLER, FILLER + 2));
            }
            ready = true;
            return true;
        }

        @Validate
        public void noLostWakeUp() {
            if (ready) {
                return;
            }
            boolean completable = completed[0].get() && completed[1].get();
            if (!completable) {
                return;
            }
            if (wakes.get() <= wakesAtPending) {
                throw new IllegalStateException("every child completed but the join was not woken");
            }
            // Woken: polling as the task would must now finish, or leave a wake-up pending.
            for (int k = 0; k < 4; k++) {
                int before = wakes.get();
                if (join.poll(cx).isReady()) {
                    ready = true;
                    return;
                }
                if (wakes.get() == before) {
                    throw new IllegalStateException("every child completed, the join polled again is pending, and nothing will wake it");
                }
            }
        }
    }

    /** The sequential model: the join is ready once both children completed. */
    public static final class Spec {
        private final boolean[] done = new boolean[2];

        public boolean complete(int i) {
            if (done[i]) {
                return false;
            }
            done[i] = true;
            return true;
        }

        public void nudge(int i) {
        }

        public boolean poll() {
            return done[0] && done[1];
        }
    }

    private static int invocations(int shortRun) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRun * 20 : shortRun;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(invocations(150))
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(invocations(300))
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
