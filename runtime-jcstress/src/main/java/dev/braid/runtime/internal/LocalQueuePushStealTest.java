package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The owner's push into its {@link LocalQueue} (a plain write of the slot, then a release
 * store of the tail) against a concurrent {@link LocalQueue#stealInto} by another worker
 * (an acquire load of the tail, a CAS claim on the head). Claims: a stolen task is fully
 * visible, its fields written before the push included; each task is popped or stolen
 * exactly once (the owner's pop and the steal race on the head).
 *
 * <p>The owner spawns two tasks as {@code spawnOn} does (made, stamped, pushed; here straight
 * to the queue, as when the LIFO slot is bypassed), then pops once, as a worker whose slot is
 * empty does. The stealer steals into its own queue, as {@code stealWork} does; a steal takes
 * half, rounded up, so it gets one task here. The arbiter pops what is left in both queues.
 *
 * <p>Results: the id the owner popped (0: none), the id the stealer got (0: none), which of
 * the maker's writes the stealer sees ({@link Spawned#seen}; -1: nothing stolen), the ids
 * left over as a bit mask (task 1 is 1, task 2 is 2; 4 and 8 flag a task left twice and an
 * overflow).
 *
 * <p>A push whose slot write became visible after its tail shows as a lost task rather than
 * as a half-visible one: the stealer claims the slot by the tail it saw, copies out a null and
 * reports nothing stolen.
 */
@JCStressTest
@Outcome(id = "1, 0, -1, 2", expect = Expect.ACCEPTABLE, desc = "The steal came before the first push; task 2 is left.")
@Outcome(id = "2, 1, 7, 0", expect = Expect.ACCEPTABLE, desc = "The steal took task 1, fully visible; the owner popped task 2.")
@Outcome(id = "1, 2, 7, 0", expect = Expect.ACCEPTABLE, desc = "The owner popped task 1; the steal took task 2, fully visible.")
@Outcome(id = "[0-2], [12], [0-6], [0-3]", expect = Expect.FORBIDDEN, desc = "A stolen task misses a write made before its push.")
@Outcome(expect = Expect.FORBIDDEN, desc = "A task was lost (a steal claimed a slot whose write it could not see yet) or obtained twice.")
@State
public class LocalQueuePushStealTest {
    private final LocalQueue queue = new LocalQueue();
    private final LocalQueue thief = new LocalQueue();
    private final Inject overflow = new Inject();

    @Actor
    public void owner(IIII_Result r) {
        queue.pushBackOrOverflow(Spawned.make(1), overflow, null);
        queue.pushBackOrOverflow(Spawned.make(2), overflow, null);
        r.r1 = Spawned.id(queue.pop());
    }

    @Actor
    public void stealer(IIII_Result r) {
        Task<?> t = queue.stealInto(thief, null);
        r.r2 = Spawned.id(t);
        r.r3 = t == null ? -1 : Spawned.seen(t);
    }

    @Arbiter
    public void left(IIII_Result r) {
        int mask = 0;
        for (Task<?> t; (t = queue.pop()) != null || (t = thief.pop()) != null; ) {
            int bit = 1 << (Spawned.id(t) - 1);
            mask |= (mask & bit) != 0 ? 4 : bit; // 4: a task left twice
        }
        r.r4 = overflow.isEmpty() ? mask : mask | 8; // 8: something overflowed (cannot, at 2 tasks)
    }
}
