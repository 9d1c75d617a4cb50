package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.sync.Semaphore.Permit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semaphore under real concurrency: on a runtime, and with raw threads racing. */
final class SemaphoreStressTest {

    /** A task body that waits for {@code n} permits, counts its first poll, then releases them. */
    private static Future<Integer> acquireAndRelease(Semaphore s, int n, CountDownLatch firstPolls) {
        return new Future<>() {
            private final Future<Permit> acquire = s.acquire(n);
            private boolean polled;

            @Override
            public Poll<Integer> poll(Context cx) {
                Poll<Permit> p;
                try {
                    p = acquire.poll(cx);
                } finally {
                    if (!polled) {
                        polled = true;
                        firstPolls.countDown();
                    }
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                p.value().close();
                return Poll.ready(n);
            }

            @Override
            public void drop() {
                acquire.drop();
            }
        };
    }

    @Test
    void abort_100kTasksBlockedInAcquire_emptiesTheWaitList_andLosesNoPermit() throws Exception {
        int tasks = 100_000;
        int added = 1_000;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sem-abort").build()) {
            Semaphore s = new Semaphore(0);
            CountDownLatch queued = new CountDownLatch(tasks);
            List<JoinHandle<Integer>> handles = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                handles.add(rt.spawn(acquireAndRelease(s, 1, queued)));
            }
            assertTrue(queued.await(60, TimeUnit.SECONDS), queued.getCount() + " tasks never polled");
            assertEquals(tasks, s.waiterCount());
            // Permits arrive while the aborts land: some tasks finish, the rest are dropped.
            Thread adder = new Thread(() -> {
                for (int i = 0; i < added; i++) {
                    s.addPermits(1);
                }
            }, "sem-abort-adder");
            adder.start();
            for (JoinHandle<Integer> h : handles) {
                h.abort();
            }
            adder.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(adder.isAlive());
            int finished = 0;
            int cancelled = 0;
            for (JoinHandle<Integer> h : handles) {
                try {
                    finished += rt.blockOn(h);
                } catch (JoinError e) {
                    assertTrue(e.isCancelled(), e.toString());
                    cancelled++;
                }
            }
            // A task that finished released its permit, which may have let another one finish.
            assertEquals(tasks, finished + cancelled);
            assertEquals(0, s.waiterCount());
            assertEquals(added, s.availablePermits(), "every permit is back, none duplicated");
            s.checkInvariants();
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void drop_racingWithRelease_handsThePermitOn() throws Exception {
        int rounds = SyncStress.rounds(5_000);
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        AtomicReference<Semaphore> sem = new AtomicReference<>();
        AtomicReference<Future<Permit>> dropped = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread releaser = new Thread(() -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    start.await(10, TimeUnit.SECONDS);
                    sem.get().addPermits(1);
                    end.await(10, TimeUnit.SECONDS);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "sem-releaser");
        releaser.start();
        for (int r = 0; r < rounds; r++) {
            // a needs 2 and got 1 on its first poll; b needs 1 and queues behind a.
            Semaphore s = new Semaphore(1);
            CountingWaker wa = new CountingWaker();
            CountingWaker wb = new CountingWaker();
            Future<Permit> a = s.acquire(2);
            wa.pending(a);
            Future<Permit> b = s.acquire(1);
            wb.pending(b);
            sem.set(s);
            dropped.set(a);
            start.await(10, TimeUnit.SECONDS);
            a.drop();
            end.await(10, TimeUnit.SECONDS);
            // Either order: b gets one permit, and the other one is available.
            assertTrue(wb.woken(), "round " + r + ": b not woken");
            Permit p = wb.ready(b);
            assertEquals(1, p.permits());
            assertEquals(1, s.availablePermits(), "round " + r);
            assertEquals(0, s.waiterCount(), "round " + r);
            s.checkInvariants();
        }
        releaser.join(10_000);
        assertNull(failure.get());
    }

    @Test
    void close_racingWithAcquires_failsOrGrantsEachOne_andLeavesNoWaiter() throws Exception {
        int rounds = SyncStress.rounds(20);
        int tasks = 500;
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sem-close").build()) {
            for (int r = 0; r < rounds; r++) {
                Semaphore s = new Semaphore(0);
                CountDownLatch polled = new CountDownLatch(tasks);
                List<JoinHandle<Integer>> handles = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    handles.add(rt.spawn(acquireAndRelease(s, 1 + i % 3, polled)));
                }
                for (int i = 0; i < 50; i++) {
                    s.addPermits(2);
                }
                s.close();
                int ok = 0;
                for (JoinHandle<Integer> h : handles) {
                    try {
                        rt.blockOn(h);
                        ok++;
                    } catch (JoinError e) {
                        assertInstanceOf(Semaphore.ClosedException.class, e.getCause());
                    }
                }
                assertTrue(polled.await(10, TimeUnit.SECONDS));
                assertEquals(0, s.waiterCount(), "round " + r + ", " + ok + " granted");
                assertEquals(100, s.availablePermits(), "round " + r);
                s.checkInvariants();
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void contention_neverHandsOutMoreThanThePermits() throws Exception {
        long seed = SyncStress.seed();
        int permits = 4;
        int tasks = 100;
        int iterations = SyncStress.rounds(100);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("sem-contend").seed(seed).build()) {
            Semaphore s = new Semaphore(permits);
            AtomicInteger inUse = new AtomicInteger();
            AtomicInteger maxSeen = new AtomicInteger();
            SplittableRandom random = new SplittableRandom(seed);
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                SplittableRandom mine = random.split();
                handles.add(rt.spawn(new Future<>() {
                    int done;
                    Future<Permit> acquire;
                    int n;

                    @Override
                    public Poll<Integer> poll(Context cx) {
                        while (done < iterations) {
                            if (acquire == null) {
                                n = 1 + mine.nextInt(permits);
                                acquire = s.acquire(n);
                            }
                            Poll<Permit> p = acquire.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            acquire = null;
                            int now = inUse.addAndGet(n);
                            maxSeen.accumulateAndGet(now, Math::max);
                            inUse.addAndGet(-n);
                            p.value().close();
                            done++;
                            if (mine.nextInt(4) == 0) {
                                cx.waker().wake(); // let others in
                                return Poll.pending();
                            }
                        }
                        return Poll.ready(done);
                    }

                    @Override
                    public void drop() {
                        if (acquire != null) {
                            acquire.drop();
                        }
                    }
                }));
            }
            for (JoinHandle<Integer> h : handles) {
                assertEquals(iterations, rt.blockOn(h), "seed " + seed);
            }
            assertTrue(maxSeen.get() <= permits, "seed " + seed + ": " + maxSeen.get() + " permits in use");
            assertEquals(permits, s.availablePermits(), "seed " + seed);
            assertEquals(0, s.waiterCount());
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void budget_aLoopOfAlwaysReadyAcquires_yields() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("sem-budget").build()) {
            Semaphore s = new Semaphore(1);
            JoinHandle<Integer> loop = rt.spawn(new Future<>() {
                int n;
                int pendings;
                Future<Permit> acquire;

                @Override
                public Poll<Integer> poll(Context cx) {
                    while (n < 1000) {
                        if (acquire == null) {
                            acquire = s.acquire();
                        }
                        Poll<Permit> p = acquire.poll(cx);
                        if (p.isPending()) {
                            pendings++;
                            return Poll.pending();
                        }
                        acquire = null;
                        p.value().close();
                        n++;
                    }
                    return Poll.ready(pendings);
                }
            });
            int pendings = rt.blockOn(loop);
            assertTrue(pendings >= 1000 / (Context.DEFAULT_BUDGET + 1), "yielded " + pendings + " times");
            assertTrue(rt.metrics().budgetForcedYields() >= pendings);
            assertEquals(1, s.availablePermits());
        }
    }
}
