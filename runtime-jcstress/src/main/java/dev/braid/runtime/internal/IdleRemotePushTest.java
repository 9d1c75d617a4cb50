package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * As {@link IdleParkTest}, with the task pushed from outside the runtime: into the
 * {@link Inject} queue (under its lock), then {@link Idle#workerToNotify()}. Here a lost
 * wake-up strands the task for good: every worker would be parked.
 *
 * <p>Two workers, through {@link IdleHarness}: worker 0 is the only searcher and tries once
 * more to steal (the inject queue is the last place it looks) before it parks; worker 1 is
 * parked.
 *
 * <p>Results: whom the pusher woke (-1: nobody), whether the searcher got the task (1) or
 * parked (0), whom the searcher woke (-1: nobody).
 */
@JCStressTest
@Outcome(id = "0, 0, -1", expect = Expect.ACCEPTABLE, desc = "The searcher parked first; the pusher saw no searcher and woke it.")
@Outcome(id = "-1, 0, 0", expect = Expect.ACCEPTABLE, desc = "The pusher saw the searcher; the searcher, last to park, saw the task and woke itself.")
@Outcome(id = "-1, 1, -1", expect = Expect.ACCEPTABLE, desc = "The searcher took the task; the pusher saw it searching.")
@Outcome(id = "1, 1, -1", expect = Expect.ACCEPTABLE, desc = "The searcher took the task and stopped searching before the pusher looked: one wake-up too many.")
@Outcome(id = "-1, 0, -1", expect = Expect.FORBIDDEN, desc = "Lost wake-up: every worker parked with the task in the inject queue.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Two wake-ups for one task, or a wake-up of the wrong worker.")
@State
public class IdleRemotePushTest {
    private final IdleHarness h = new IdleHarness(2);

    public IdleRemotePushTest() {
        h.parked(1);
        h.searching(); // worker 0
    }

    @Actor
    public void pusher(III_Result r) {
        r.r1 = h.pushRemote(Spawned.make(1));
    }

    @Actor
    public void searcher(III_Result r) {
        if (h.steal(0) != null) {
            r.r2 = 1;
            r.r3 = h.stopSearching();
        } else {
            r.r3 = h.parkSearcher(0);
        }
    }
}
