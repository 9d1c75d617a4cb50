package dev.braid.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * No lost wake-up between a worker that pushes a task and the last searcher, which has
 * found a task and stops searching. The other half of the hand-off in {@link Idle}: the
 * searcher's getAndAdd is {@link Idle#transitionWorkerFromSearching()}, after which
 * {@code runTask} re-checks every queue; the pusher fences in {@link Idle#workerToNotify()}
 * before it reads the count.
 *
 * <p>Three workers, through {@link IdleHarness}: worker 0's queue holds a task, and worker 0
 * runs a task that spawns another (the pusher); worker 1, the only searcher, steals (it takes
 * half, rounded up: the first task) and stops searching as {@code runTask} does; worker 2 is
 * parked. The second task must get a worker: the pusher wakes one, or the searcher sees the
 * task left and wakes one.
 *
 * <p>Results: whom the pusher woke, whom the searcher woke (-1: nobody).
 */
@JCStressTest
@Outcome(id = "2, -1", expect = Expect.ACCEPTABLE, desc = "The searcher stopped first; the pusher saw no searcher and woke worker 2.")
@Outcome(id = "-1, 2", expect = Expect.ACCEPTABLE, desc = "The pusher saw the searcher; the searcher saw the task left and woke worker 2.")
@Outcome(id = "-1, -1", expect = Expect.FORBIDDEN, desc = "Lost wake-up: a task waits, nobody was woken, and nobody searches.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Two wake-ups for one task, or the searcher found nothing to steal.")
@State
public class IdleStopSearchingTest {
    private final IdleHarness h = new IdleHarness(3);

    public IdleStopSearchingTest() {
        h.queues[0].pushBackOrOverflow(Spawned.make(1), h.inject, null);
        h.parked(2);
        h.searching(); // worker 1
    }

    @Actor
    public void pusher(II_Result r) {
        r.r1 = h.pushLocal(0, Spawned.make(2));
    }

    @Actor
    public void searcher(II_Result r) {
        r.r2 = h.steal(1) == null ? -9 : h.stopSearching();
    }
}
