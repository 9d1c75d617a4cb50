package dev.braid.future;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class FuturesTest {

    /** A join of many children polls again only the children that woke it: O(n), not O(n^2). */
    @Test
    void joinAll_large_pollsOnlyTheChildrenThatWoke() {
        int n = 1_000;
        List<Probe<Integer>> probes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            probes.add(Probe.create());
        }
        Future<List<Integer>> join = Futures.joinAll(probes);
        AtomicInteger parentWakes = new AtomicInteger();
        Context cx = new Context(parentWakes::incrementAndGet);
        assertTrue(join.poll(cx).isPending());
        for (int i = n - 1; i >= 0; i--) { // complete in reverse, one wake-up at a time
            probes.get(i).complete(i);
            Poll<List<Integer>> p = join.poll(cx);
            assertEquals(i == 0, p.isReady());
        }
        int childPolls = probes.stream().mapToInt(pr -> pr.polls.get()).sum();
        assertEquals(2 * n, childPolls, "one first poll and one poll after its wake-up, per child");
        assertEquals(n, parentWakes.get());
        assertEquals(0, (int) join.poll(new Context(() -> { })).value().get(0));
    }

    /** With the budget spent, a large join stops polling children and resumes next time. */
    @Test
    void joinAll_large_stopsAtTheBudget_withoutRepollingAnyChild() {
        int n = 1_000;
        AtomicInteger childPolls = new AtomicInteger();
        List<Future<Integer>> children = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            children.add(c -> {
                childPolls.incrementAndGet();
                return c.pollProceed() ? Poll.ready(v) : Poll.pending(); // like a JoinHandle
            });
        }
        Future<List<Integer>> join = Futures.joinAll(children);
        AtomicInteger wakes = new AtomicInteger();
        Context cx = new Context(wakes::incrementAndGet);
        int joinPolls = 0;
        Poll<List<Integer>> p;
        do {
            cx.reset(wakes::incrementAndGet, Context.DEFAULT_BUDGET);
            p = join.poll(cx);
            joinPolls++;
            assertTrue(p.isReady() || wakes.get() == joinPolls, "a join that stops for the budget wakes itself");
        } while (p.isPending());
        assertEquals(n, childPolls.get(), "no child polled twice");
        assertEquals((n + Context.DEFAULT_BUDGET - 1) / Context.DEFAULT_BUDGET, joinPolls);
        assertEquals(n - 1, (int) p.value().get(n - 1));
    }

    /**
     * A child that wakes while the join has carried-over children from a poll that ran out of
     * budget: its wake-up coalesces with the join's own, so the next poll must look at it too
     * after finishing the carried ones (else it waits for a wake-up that never comes).
     */
    @Test
    void joinAll_large_childWokenWhileChildrenAreCarriedOver_isPolledNextTime() {
        int n = 100;
        List<Probe<Integer>> probes = new java.util.ArrayList<>();
        List<Future<Integer>> children = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Probe<Integer> pr = Probe.create();
            probes.add(pr);
            children.add(c -> c.pollProceed() ? pr.poll(c) : Poll.pending()); // spends budget like a JoinHandle
        }
        Future<List<Integer>> join = Futures.joinAll(children);
        AtomicInteger wakes = new AtomicInteger();
        Context cx = new Context(wakes::incrementAndGet);
        assertTrue(join.poll(cx).isPending());
        for (int i = 0; i < 50; i++) {
            probes.get(i).complete(i);
        }
        cx.reset(wakes::incrementAndGet, 10);
        assertTrue(join.poll(cx).isPending(), "10 of the 50 woken children polled, 40 carried over");
        probes.get(n - 1).complete(n - 1); // wakes the join, which is already due for a poll
        cx.reset(wakes::incrementAndGet, Context.DEFAULT_BUDGET);
        assertTrue(join.poll(cx).isPending());
        assertEquals(2, probes.get(n - 1).polls.get(), "the child that woke during the carry-over was not polled again");
        for (int i = 50; i < n - 1; i++) {
            probes.get(i).complete(i);
        }
        cx.reset(wakes::incrementAndGet, Context.DEFAULT_BUDGET);
        Poll<List<Integer>> p = join.poll(cx);
        assertTrue(p.isReady());
        assertEquals(n - 1, (int) p.value().get(n - 1));
    }

    /** Children completed from several threads at once, in random order: nothing lost. */
    @Test
    void joinAll_large_concurrentWakeUps_loseNone() throws Exception {
        for (int round = 0; round < 20; round++) {
            int n = 500;
            List<Probe<Integer>> probes = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                probes.add(Probe.create());
            }
            Future<List<Integer>> join = Futures.joinAll(probes);
            java.util.concurrent.Semaphore woken = new java.util.concurrent.Semaphore(0);
            Context cx = new Context(woken::release);
            assertTrue(join.poll(cx).isPending());
            List<Integer> order = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(round));
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                int from = t * n / ts.length;
                int to = (t + 1) * n / ts.length;
                ts[t] = new Thread(() -> {
                    for (int k = from; k < to; k++) {
                        int i = order.get(k);
                        probes.get(i).complete(i);
                    }
                });
                ts[t].start();
            }
            Poll<List<Integer>> p = join.poll(cx);
            while (p.isPending()) {
                assertTrue(woken.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "a completed child must wake the join");
                p = join.poll(cx);
            }
            for (Thread t : ts) {
                t.join();
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i, (int) p.value().get(i));
            }
        }
    }

    @Test
    void tryJoinAll_large_firstFailureDropsTheRest() {
        int n = 100;
        List<Probe<Integer>> probes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            probes.add(Probe.create());
        }
        Future<List<Integer>> join = Futures.tryJoinAll(probes);
        Context cx = new Context(() -> { });
        assertTrue(join.poll(cx).isPending());
        probes.get(57).fail(new IllegalStateException("child 57"));
        assertEquals("child 57", assertThrows(IllegalStateException.class, () -> join.poll(cx)).getMessage());
        for (int i = 0; i < n; i++) {
            assertEquals(i == 57 ? 0 : 1, probes.get(i).drops.get(), "child " + i);
        }
    }
    private final AtomicInteger wakes = new AtomicInteger();
    private final Context cx = new Context(wakes::incrementAndGet);

    private <T> Poll<T> poll(Future<T> f) {
        return f.poll(cx);
    }

    @Test
    void lazy_runsNothingBeforeFirstPoll() {
        AtomicInteger calls = new AtomicInteger();
        Future<Integer> f = Future.lazy(calls::incrementAndGet).map(x -> x * 10);
        assertEquals(0, calls.get());
        assertEquals(10, poll(f).value());
        assertEquals(1, calls.get());
    }

    @Test
    void map_andThen_recover_chain() {
        Probe<Integer> a = Probe.create();
        Probe<String> b = Probe.create();
        Future<String> f = a.map(x -> x + 1).andThen(x -> b.map(s -> s + x)).recover(t -> "recovered");
        assertTrue(poll(f).isPending());
        a.complete(41);
        assertEquals(1, wakes.get());
        assertTrue(poll(f).isPending());
        b.complete("answer=");
        assertEquals("answer=42", poll(f).value());

        Future<String> failing = Future.<String>failed(new IllegalStateException("boom")).recover(Throwable::getMessage);
        assertEquals("boom", poll(failing).value());
    }

    @Test
    void andThen_drop_dropsTheActiveStage() {
        Probe<Integer> first = Probe.create();
        Probe<Integer> second = Probe.create();
        Future<Integer> f = first.andThen(x -> second);
        poll(f);
        f.drop();
        assertTrue(first.dropped());
        assertFalse(second.dropped());

        Probe<Integer> a = Probe.readyWith(1);
        Probe<Integer> b = Probe.create();
        Future<Integer> g = a.andThen(x -> b);
        poll(g);
        g.drop();
        assertEquals(0, a.drops.get(), "a finished future is not dropped");
        assertTrue(b.dropped());
    }

    @Test
    void join_returnsValuesInArgumentOrder_whateverTheCompletionOrder() {
        Probe<Integer> a = Probe.create();
        Probe<Integer> b = Probe.create();
        Probe<Integer> c = Probe.create();
        Future<List<Integer>> j = Futures.join(a, b, c);
        assertTrue(poll(j).isPending());
        c.complete(3);
        a.complete(1);
        assertTrue(poll(j).isPending());
        b.complete(2);
        assertEquals(List.of(1, 2, 3), poll(j).value());
        assertEquals(2, c.polls.get(), "a finished child is not polled again");
    }

    @Test
    void join_waitsForAll_thenThrowsTheFirstFailureInArgumentOrder() {
        Probe<Integer> a = Probe.create();
        Probe<Integer> b = Probe.create();
        Probe<Integer> c = Probe.create();
        Future<List<Integer>> j = Futures.join(a, b, c);
        c.fail(new IllegalStateException("c"));
        b.fail(new IllegalArgumentException("b"));
        assertTrue(poll(j).isPending(), "join keeps waiting for a");
        a.complete(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> poll(j));
        assertEquals("b", e.getMessage());
        assertFalse(a.dropped());
    }

    @Test
    void joinTwo_combinesDifferentTypes() {
        Future<String> f = Futures.join(Future.ready(2), Future.ready("x"), (n, s) -> s.repeat(n));
        assertEquals("xx", poll(f).value());
    }

    @Test
    void tryJoin_firstFailureDropsTheRest() {
        Probe<Integer> a = Probe.create();
        Probe<Integer> b = Probe.create();
        Probe<Integer> c = Probe.create();
        Future<List<Integer>> j = Futures.tryJoin(a, b, c);
        assertTrue(poll(j).isPending());
        b.fail(new IllegalStateException("b failed"));
        assertThrows(IllegalStateException.class, () -> poll(j));
        assertEquals(1, a.drops.get());
        assertEquals(1, c.drops.get());
        assertEquals(0, b.drops.get(), "the failed child finished; it is not dropped");
    }

    @Test
    void tryJoin_allSucceed() {
        assertEquals(List.of(1, 2), poll(Futures.tryJoin(Future.ready(1), Future.ready(2))).value());
    }

    @Test
    void select_firstReadyWins_losersAreDropped() {
        Probe<String> a = Probe.create();
        Probe<String> b = Probe.create();
        Probe<String> c = Probe.create();
        Future<Selected<String>> s = Futures.select(a, b, c);
        assertTrue(poll(s).isPending());
        b.complete("b");
        Selected<String> won = poll(s).value();
        assertEquals(1, won.index());
        assertEquals("b", won.value());
        assertEquals(1, a.drops.get());
        assertEquals(1, c.drops.get());
        assertEquals(0, b.drops.get());
        s.drop();
        assertEquals(1, a.drops.get(), "dropping a finished select drops nothing twice");
    }

    @Test
    void select_failureOfAChildFailsTheSelectAndDropsTheOthers() {
        Probe<String> a = Probe.create();
        Probe<String> b = Probe.create();
        Future<Selected<String>> s = Futures.select(a, b);
        poll(s);
        a.fail(new IllegalStateException("a"));
        assertThrows(IllegalStateException.class, () -> poll(s));
        assertEquals(1, b.drops.get());
    }

    @Test
    void select_default_doesNotAlwaysFavourTheFirst() {
        int firstWins = 0;
        for (int i = 0; i < 400; i++) {
            Selected<String> w = poll(Futures.select(Future.ready("a"), Future.ready("b"))).value();
            if (w.index() == 0) {
                firstWins++;
            }
        }
        // With a fair coin, the chance of falling outside 100..300 is below 1e-20.
        assertTrue(firstWins > 100 && firstWins < 300, "first won " + firstWins + " of 400");
    }

    @Test
    void selectBiased_pollsInOrder() {
        for (int i = 0; i < 50; i++) {
            assertEquals(0, poll(Futures.selectBiased(Future.ready("a"), Future.ready("b"))).value().index());
        }
        Probe<String> a = Probe.create();
        Probe<String> b = Probe.create();
        poll(Futures.selectBiased(a, b));
        assertEquals(1, a.polls.get());
        assertEquals(1, b.polls.get());
    }

    @Test
    void race_returnsTheWinnersValue() {
        Probe<Integer> slow = Probe.create();
        assertEquals(7, poll(Futures.race(slow, Future.ready(7))).value());
        assertEquals(1, slow.drops.get());
        assertThrows(IllegalArgumentException.class, () -> Futures.selectAll(List.of()));
    }

    @Test
    void fromStage_completedBeforeOrAfterPoll() {
        assertEquals("now", poll(Future.fromStage(CompletableFuture.completedFuture("now"))).value());

        CompletableFuture<String> later = new CompletableFuture<>();
        Future<String> f = Future.fromStage(later);
        assertTrue(poll(f).isPending());
        assertTrue(poll(f).isPending(), "a second pending poll installs no second callback");
        later.complete("later");
        assertEquals(1, wakes.get());
        assertEquals("later", poll(f).value());

        CompletableFuture<String> failing = new CompletableFuture<>();
        Future<String> g = Future.fromStage(failing);
        poll(g);
        failing.completeExceptionally(new IllegalStateException("stage failed"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> poll(g));
        assertEquals("stage failed", e.getMessage());
    }

    @Test
    void fromStage_droppedFutureIsNotWoken() {
        CompletableFuture<String> later = new CompletableFuture<>();
        Future<String> f = Future.fromStage(later);
        poll(f);
        f.drop();
        later.complete("x");
        assertEquals(0, wakes.get());
    }

    @Test
    void poll_valueOfPendingThrows_andReadyNullIsShared() {
        assertThrows(IllegalStateException.class, () -> Poll.pending().value());
        assertSame(Poll.ready(null), Poll.ready(null));
        assertNull(Poll.ready(null).value());
    }

    @Test
    void context_budgetForcesAYieldWhenSpent() {
        Context c = new Context(wakes::incrementAndGet);
        c.reset(wakes::incrementAndGet, 3);
        assertTrue(c.pollProceed());
        assertTrue(c.pollProceed());
        assertTrue(c.pollProceed());
        assertFalse(c.pollProceed());
        assertEquals(1, wakes.get(), "a forced yield wakes the task");
        assertEquals(1, c.forcedYields());
        Context unconstrained = new Context(Waker.NOOP);
        for (int i = 0; i < 1000; i++) {
            assertTrue(unconstrained.pollProceed());
        }
    }
}
