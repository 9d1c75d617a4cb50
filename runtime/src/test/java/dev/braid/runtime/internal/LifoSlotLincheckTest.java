package dev.braid.runtime.internal;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck tests of a core's LIFO slot ({@link Core#swapLifo}, {@link Core#takeLifo}) and of
 * {@link Core#renewSlots}, which replaces the object holding the slot while other threads
 * may be taking from it.
 *
 * <p>Thread roles are non-parallel groups, as in {@link LocalQueueLincheckTest}: the
 * {@code owner} (the worker: it fills the slot, takes from it and renews the holder) and two
 * takers (the monitor handing on a stalled core's work, shutdown). The specification is a
 * single slot; renewing is invisible in it. A taker that read the old holder just before a
 * renewal must find it empty, never take a task twice and never miss one for good.
 */
final class LifoSlotLincheckTest {
    private static final int THREADS = 3;

    public static final class Ops {
        private final Core core = new Core(0, 0);
        private final TestTasks tasks = new TestTasks(64);
        /** Tasks put so far; touched by the owner thread only. */
        private int put;

        /** Puts the next task in the slot; returns the index of the one it displaced, or -1. */
        @Operation(nonParallelGroup = "owner")
        public int put() {
            return index(core.swapLifo(tasks.get(put++)));
        }

        @Operation(nonParallelGroup = "owner")
        public int ownerTake() {
            return index(core.takeLifo());
        }

        @Operation(nonParallelGroup = "owner")
        public void renew() {
            core.renewSlots();
        }

        @Operation(nonParallelGroup = "taker1")
        public int take1() {
            return index(core.takeLifo());
        }

        @Operation(nonParallelGroup = "taker2")
        public int take2() {
            return index(core.takeLifo());
        }

        private int index(Task<?> t) {
            return t == null ? -1 : tasks.indexOf(t);
        }
    }

    /** The sequential specification: one slot holding a task index, or -1. */
    public static final class Spec {
        private int slot = -1;
        private int put;

        public int put() {
            int prev = slot;
            slot = put++;
            return prev;
        }

        public int ownerTake() {
            int v = slot;
            slot = -1;
            return v;
        }

        public void renew() {
        }

        public int take1() {
            return ownerTake();
        }

        public int take2() {
            return ownerTake();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && slot == s.slot && put == s.put;
        }

        @Override
        public int hashCode() {
            return 31 * slot + put;
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(LincheckBudget.invocations(300))
                .threads(THREADS)
                .actorsPerThread(4)
                .actorsBefore(1)
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
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(Ops.class);
    }
}
