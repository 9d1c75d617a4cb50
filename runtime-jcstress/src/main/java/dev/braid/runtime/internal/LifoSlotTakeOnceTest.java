package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The LIFO slot never hands a task to two threads and never drops one, while the owner
 * fills it (a release store when empty, an exchange when full: {@link Core#swapLifo}) and
 * takes from it ({@link Core#takeLifo}) and another thread takes from it too.
 *
 * <p>The owner does what a worker does across a poll and the start of the next: the running
 * task spawns task 1 (into the empty slot), then task 2 (displacing 1, which the real worker
 * pushes to its local queue), then the worker takes the slot to run it. The other actor is a
 * foreign taker (the monitor, shutdown). The dangerous moment is a foreign take between the
 * owner's read of the slot and its store: with a plain store into a full slot, the owner and
 * the taker would both move task 1 on.
 *
 * <p>Results, as task ids (0: none): what the second fill displaced, what the owner took,
 * what the foreign taker took, what the arbiter found left.
 */
@JCStressTest
@Outcome(id = "1, 2, 0, 0", expect = Expect.ACCEPTABLE, desc = "The foreign take came before the first fill or after the owner's take.")
@Outcome(id = "0, 2, 1, 0", expect = Expect.ACCEPTABLE, desc = "The foreign taker took task 1 before the second fill, which found the slot empty.")
@Outcome(id = "1, 0, 2, 0", expect = Expect.ACCEPTABLE, desc = "The foreign taker took task 2 before the owner's take.")
@Outcome(expect = Expect.FORBIDDEN, desc = "A task was taken twice or lost.")
@State
public class LifoSlotTakeOnceTest {
    private final Core core = new Core(0, 0);
    private final Task<?> one = Spawned.make(1);
    private final Task<?> two = Spawned.make(2);

    @Actor
    public void owner(IIII_Result r) {
        core.swapLifo(one);
        r.r1 = Spawned.id(core.swapLifo(two));
        r.r2 = Spawned.id(core.takeLifo());
    }

    @Actor
    public void taker(IIII_Result r) {
        r.r3 = Spawned.id(core.takeLifo());
    }

    @Arbiter
    public void left(IIII_Result r) {
        r.r4 = Spawned.id(core.takeLifo());
    }
}
