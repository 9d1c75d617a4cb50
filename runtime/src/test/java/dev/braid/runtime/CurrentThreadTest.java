package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class CurrentThreadTest {

    @Test
    void tasksRunOnTheThreadInsideBlockOn() {
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().threadNamePrefix("ct").build()) {
            String me = Thread.currentThread().getName();
            JoinHandle<String> a = rt.spawn(Future.lazy(() -> Thread.currentThread().getName()));
            JoinHandle<String> b = rt.spawn(Braid.yieldNow().map(v -> Thread.currentThread().getName()));
            assertEquals(List.of(me, me), rt.blockOn(Futures.join(a, b)));
            assertEquals(1, rt.metrics().workers());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aBlockOnFutureThatWakesItself_doesNotStarveTheTasks() {
        try (BraidRuntime rt = BraidRuntime.builder().currentThread().threadNamePrefix("ct-spin").build()) {
            boolean[] flag = {false};
            rt.spawn(cx -> {
                flag[0] = true;
                return Poll.ready(null);
            });
            int polls = rt.blockOn(new Future<Integer>() {
                int n;

                @Override
                public Poll<Integer> poll(dev.braid.future.Context cx) {
                    n++;
                    if (flag[0]) {
                        return Poll.ready(n);
                    }
                    cx.waker().wake(); // a busy wait by yielding: the task must still get to run
                    return Poll.pending();
                }
            });
            assertTrue(polls <= 3, "the task ran after " + polls + " polls of the blockOn future");
        }
    }

    @Test
    void spawnInsideATask_andRemoteWake() {
        try (BraidRuntime rt = BraidRuntime.newCurrentThread()) {
            Probe<Integer> remote = Probe.create();
            Future<Integer> h = rt.spawn(cx -> Poll.ready(Braid.spawn(remote.map(x -> x + 1))))
                    .andThen(inner -> inner).map(x -> x * 10)
                    .then(x -> Future.ready(x));
            CompletableFuture.runAsync(() -> {
                while (remote.polls.get() == 0) {
                    Thread.onSpinWait();
                }
                remote.complete(1);
            });
            assertEquals(20, rt.blockOn(h));
        }
    }

    @Test
    void twoThreadsInBlockOn_bothFinish() throws Exception {
        try (BraidRuntime rt = BraidRuntime.newCurrentThread()) {
            Probe<String> gate = Probe.create();
            JoinHandle<String> waiting = rt.spawn(gate);
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> rt.blockOn(waiting));
            // This thread drives a task that opens the gate after some yields.
            rt.blockOn(Braid.yieldNow().andThen(v -> Braid.yieldNow()).map(v -> {
                gate.complete("opened");
                return null;
            }));
            // The other thread takes over the driver role and finishes its own task.
            assertEquals("opened", other.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void reentrantBlockOn_isRefused_andShutdownDropsWaitingTasks() {
        BraidRuntime rt = BraidRuntime.newCurrentThread();
        JoinHandle<Object> h = rt.spawn(cx -> Poll.ready(rt.blockOn(Future.ready(1))));
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(h));
        assertTrue(e.getCause().getMessage().contains("re-entrantly"));
        Probe<Object> never = Probe.create();
        rt.spawn(never);
        rt.blockOn(Braid.yieldNow());
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertEquals(1, never.drops.get());
    }

    @Test
    void shutdown_cancelsTasksLeftInTheLocalQueue() {
        BraidRuntime rt = BraidRuntime.builder().currentThread().threadNamePrefix("ct-left").build();
        List<Probe<Object>> probes = new java.util.ArrayList<>();
        // Spawned on the driving thread (the local queue); blockOn returns before they run.
        List<JoinHandle<Object>> handles = rt.blockOn(Future.lazy(() -> {
            List<JoinHandle<Object>> hs = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Probe<Object> p = Probe.create();
                probes.add(p);
                hs.add(rt.spawn(p));
            }
            return hs;
        }));
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        for (Probe<Object> p : probes) {
            assertEquals(0, p.polls.get());
            assertEquals(1, p.drops.get());
        }
        for (JoinHandle<Object> h : handles) {
            assertTrue(h.isFinished());
        }
        assertEquals(0, rt.metrics().aliveTasks());
    }
}
