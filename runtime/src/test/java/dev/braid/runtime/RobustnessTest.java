package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression tests for misbehaving neighbours: interrupts, throwing wakers, odd call sites. */
final class RobustnessTest {

    @Test
    void aTaskThatInterruptsItsWorker_doesNotMakeTheWorkerSpin() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rob-intr").build()) {
            Thread worker = rt.blockOn(rt.spawn(Future.lazy(() -> {
                Thread.currentThread().interrupt();
                return Thread.currentThread();
            })));
            // An idle worker must park, not spin on a set interrupt flag: over an observation
            // window it burns (almost) no CPU. A spinning worker burns the whole window.
            long window = TimeUnit.MILLISECONDS.toNanos(300);
            long cpu0 = cpuTime(worker);
            java.util.concurrent.locks.LockSupport.parkNanos(window); // observing idleness takes time
            long burnt = cpuTime(worker) - cpu0;
            assertTrue(burnt < window / 3, "idle worker burnt " + burnt / 1_000_000 + " ms of CPU in 300 ms");
            assertEquals(7, rt.blockOn(rt.spawn(Future.ready(7))), "the worker still runs tasks");
        }
    }

    /** Thread CPU time through JMX, reflectively: the runtime module does not read java.management. */
    private static long cpuTime(Thread t) {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return (long) Class.forName("java.lang.management.ThreadMXBean").getMethod("getThreadCpuTime", long.class)
                    .invoke(mx, t.threadId());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void blockOn_keepsWaitingThroughAnInterrupt_andRestoresTheFlag() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rob-bo").build()) {
            Probe<String> p = Probe.create();
            CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                rt.blockOn(p);
                flagAfter.complete(Thread.currentThread().isInterrupted());
            });
            caller.start();
            while (p.polls.get() == 0) {
                Thread.onSpinWait();
            }
            caller.interrupt();
            p.complete("done");
            assertTrue(flagAfter.get(10, TimeUnit.SECONDS), "interrupt flag restored for the caller");
        }
    }

    @Test
    void currentThread_shutdownFromItsOwnTask_doesNotStall() {
        BraidRuntime rt = BraidRuntime.newCurrentThread();
        long t0 = System.nanoTime();
        assertTrue(rt.blockOn(rt.spawn(Future.lazy(() -> rt.shutdown(Duration.ofSeconds(30))))),
                "the task that shut the runtime down still delivers its value");
        assertTrue(rt.isShutdown());
        assertThrows(RuntimeShutdownException.class, () -> rt.blockOn(Future.ready(1)));
        // Generous bound: the bug this guards against waited out the whole 30 s timeout.
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
    }

    @Test
    void aThrowingJoinWaker_doesNotHurtTheRuntime() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rob-waker").build()) {
            Probe<Integer> p = Probe.create();
            JoinHandle<Integer> h = rt.spawn(p);
            while (p.polls.get() == 0) {
                Thread.onSpinWait();
            }
            CountDownLatch wakerCalled = new CountDownLatch(1);
            assertTrue(h.poll(new Context(() -> {
                wakerCalled.countDown();
                throw new IllegalStateException("a broken waker");
            })).isPending());
            p.complete(1);
            assertTrue(wakerCalled.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) {
                assertEquals(i, rt.blockOn(rt.spawn(Future.ready(i))), "the worker survived");
            }
        }
    }

    @Test
    void joinSet_droppingAnOlderJoinNext_doesNotLoseTheNewerOnesWakeUp() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(1).threadNamePrefix("rob-js").build();
             JoinSet<Integer> set = new JoinSet<>(rt)) {
            Probe<Integer> p = Probe.create();
            set.spawn(p);
            Future<JoinResult<Integer>> older = set.joinNext();
            Future<JoinResult<Integer>> newer = set.joinNext();
            CountDownLatch newerWoken = new CountDownLatch(1);
            assertTrue(older.poll(new Context(() -> { })).isPending());
            assertTrue(newer.poll(new Context(newerWoken::countDown)).isPending());
            older.drop();
            while (p.polls.get() == 0) {
                Thread.onSpinWait();
            }
            p.complete(5);
            assertTrue(newerWoken.await(10, TimeUnit.SECONDS));
            assertEquals(5, newer.poll(new Context(() -> { })).value().get());
        }
    }
}
