package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * No lost wake-up between a worker that pushes a task and the last searcher, which gives up
 * and parks. The pusher makes the task visible (the release store of its queue's tail), then
 * {@link Idle#workerToNotify()} fences and reads the searching count; the searcher
 * decrements that count ({@link Idle#transitionWorkerToParked}, a getAndAdd) and, as last
 * searcher, re-checks every queue. A Dekker pair: at least one side must see the other's
 * write, so either the pusher wakes a worker or the searcher sees the task and wakes one.
 *
 * <p>Three workers, through {@link IdleHarness}: worker 0 runs a task that spawns (the
 * pusher); worker 1 is the only searcher and tries once more to steal (it may get the new
 * task: then it stops searching as {@code runTask} does) before it parks as {@code park}
 * does; worker 2 is parked. A miss here would leave the task to worker 0 alone, however
 * long its current poll runs, with a worker asleep.
 *
 * <p>Results: whom the pusher woke (-1: nobody), whether the searcher got the task (1) or
 * parked (0), whom the searcher woke (-1: nobody).
 */
@JCStressTest
@Outcome(id = "1, 0, -1", expect = Expect.ACCEPTABLE, desc = "The searcher parked first; the pusher saw no searcher and woke it.")
@Outcome(id = "-1, 0, 1", expect = Expect.ACCEPTABLE, desc = "The pusher saw the searcher; the searcher, last to park, saw the task and woke itself.")
@Outcome(id = "-1, 1, -1", expect = Expect.ACCEPTABLE, desc = "The searcher stole the task; the pusher saw it searching.")
@Outcome(id = "2, 1, -1", expect = Expect.ACCEPTABLE, desc = "The searcher stole the task and stopped searching before the pusher looked: one wake-up too many.")
@Outcome(id = "-1, 0, -1", expect = Expect.FORBIDDEN, desc = "Lost wake-up: the task was pushed, nobody was woken, and the searcher parked.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Two wake-ups for one task, or a wake-up of the wrong worker.")
@State
public class IdleParkTest {
    private final IdleHarness h = new IdleHarness(3);

    public IdleParkTest() {
        h.parked(2);
        h.searching(); // worker 1
    }

    @Actor
    public void pusher(III_Result r) {
        r.r1 = h.pushLocal(0, Spawned.make(1));
    }

    @Actor
    public void searcher(III_Result r) {
        if (h.steal(1) != null) {
            r.r2 = 1;
            r.r3 = h.stopSearching();
        } else {
            r.r3 = h.parkSearcher(1);
        }
    }
}
