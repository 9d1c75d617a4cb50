package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The owner fills an empty LIFO slot with a release store, no exchange
 * ({@link Core#swapLifo}); a taker on another thread (the monitor handing on a stalled core's
 * work, shutdown's drainCore) empties it with an exchange ({@link Core#takeLifo}). Claim: a
 * taker that gets the task sees every field its maker wrote before the fill, including those
 * no final-field freeze covers.
 *
 * <p>The owner actor spawns exactly as {@code spawnOn} does on a worker: makes the task,
 * stamps it, puts it in its core's empty slot. The arbiter, after both, takes what is left.
 * Results: the id the taker got (0: none), which of the maker's writes it saw
 * ({@link Spawned#seen}; -1: nothing taken), the id the arbiter found left (0: none).
 */
@JCStressTest
@Outcome(id = "0, -1, 1", expect = Expect.ACCEPTABLE, desc = "The taker came before the fill; the task stays for the owner.")
@Outcome(id = "1, 7, 0", expect = Expect.ACCEPTABLE, desc = "The taker got the task and sees all of it.")
@Outcome(id = "1, [0-6], 0", expect = Expect.FORBIDDEN, desc = "The taker got the task but misses a write made before the fill.")
@Outcome(expect = Expect.FORBIDDEN, desc = "The task was lost or taken twice.")
@State
public class LifoSlotPublicationTest {
    private final Core core = new Core(0, 0);

    @Actor
    public void owner() {
        core.swapLifo(Spawned.make(1));
    }

    @Actor
    public void taker(III_Result r) {
        Task<?> t = core.takeLifo();
        r.r1 = Spawned.id(t);
        r.r2 = t == null ? -1 : Spawned.seen(t);
    }

    @Arbiter
    public void left(III_Result r) {
        r.r3 = Spawned.id(core.takeLifo());
    }
}
