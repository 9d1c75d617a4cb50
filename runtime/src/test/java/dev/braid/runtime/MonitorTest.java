package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.sync.Mpsc;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.braid.runtime.BlockingToleranceTest.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor: stall reports, replacement workers, task dumps, JFR events. */
final class MonitorTest {

    @Test
    void stallReport_namesTheTask_itsSpawnSite_duration_andStack_once() throws Exception {
        LogCapture log = LogCapture.start();
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("report")
                .spawnSiteCapture(SpawnSiteCapture.CALLER).build();
        try (rt) {
            rt.blockOn(rt.spawn("sleepy-reader", Future.lazy(() -> {
                block(300);
                return null;
            })));
            List<String> stalls = log.messages().stream().filter(m -> m.contains("is stalled")).toList();
            assertEquals(1, stalls.size(), "one report per incident: " + stalls);
            String m = stalls.get(0);
            System.out.println(m);
            assertTrue(m.contains("'sleepy-reader'"), m);
            assertTrue(m.contains("spawned at dev.braid.runtime.MonitorTest."), m);
            assertTrue(m.contains("has been in one poll for"), m);
            assertTrue(m.contains("Move blocking calls and long computations to spawnBlocking or blockInPlace"), m);
            assertTrue(m.contains("at dev.braid.runtime.BlockingToleranceTest.block("), "the stalled thread's stack: " + m);
            assertEquals(1, rt.metrics().stalls());
        } finally {
            log.stop();
        }
        // The worker records the poll's length after the poll returned, which may be after
        // blockOn saw the task done: read it once the runtime has shut down.
        java.time.Duration longest = rt.metrics().longestPoll();
        assertTrue(longest.toMillis() >= 250, longest.toString());
    }

    @Test
    void stallReport_ofAStrandTask_namesTheStrandTask() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("strand-stall").build()) {
            Strand s = rt.newStrand("guest-context");
            rt.blockOn(s.spawn("runaway-script", Future.lazy(() -> {
                block(300);
                return null;
            })));
            String m = log.find("is stalled");
            assertTrue(m.contains("'runaway-script' (on strand 'guest-context')"), m);
        } finally {
            log.stop();
        }
    }

    @Test
    void aStrandTask_isReportedWhenItsStrandWaits_orWhenItRunsAway_notForALongPollAlone() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("held-back")
                .stallThreshold(Duration.ofMillis(50)).build()) {
            Strand s = rt.newStrand("job");
            // Three thresholds long, nothing of its strand waiting: a stall, but nobody is held up.
            rt.blockOn(s.spawn("long-alone", Future.lazy(() -> {
                block(150);
                return null;
            })));
            // As long, waking at its very end the task of its strand that awaits it: no one waited.
            dev.braid.sync.Oneshot<String> done = dev.braid.sync.Oneshot.channel();
            JoinHandle<String> awaiting = s.spawn("awaiting", done.receiver());
            rt.blockOn(s.spawn("wakes-at-its-end", Future.lazy(() -> {
                block(150);
                done.sender().send("done");
                return null;
            })));
            assertEquals("done", rt.blockOn(awaiting));
            // As long, with a task of its strand queued behind it.
            CountDownLatch started = new CountDownLatch(1);
            JoinHandle<Object> held = s.spawn("holding-up", Future.lazy(() -> {
                started.countDown();
                block(150);
                return null;
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            JoinHandle<String> behind = s.spawn("behind", Future.lazy(() -> "ran"));
            rt.blockOn(held);
            assertEquals("ran", rt.blockOn(behind));
            String m = log.await("'holding-up'", Duration.ofSeconds(30));
            assertTrue(m.contains("(1 other task of its strand waits behind it)"), m);
            // Nothing waiting, but past ten thresholds: a runaway.
            rt.blockOn(s.spawn("runaway", Future.lazy(() -> {
                block(700);
                return null;
            })));
            String r = log.await("'runaway'", Duration.ofSeconds(30));
            assertTrue(r.contains("is stalled"), r);
            assertTrue(log.messages().stream().noneMatch(x -> x.contains("'long-alone'") || x.contains("'wakes-at-its-end'")),
                    log.messages().toString());
            assertEquals(4, rt.metrics().stalls(), "each long poll is counted as a stall, reported or not");
        } finally {
            log.stop();
        }
    }

    @Test
    void stallReport_ofAStrandTaskQueuedBehindABlockInPlace() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("after-inplace").build()) {
            Strand s = rt.newStrand("guest-context");
            // Queued together, so one slice would poll both: the second one must still be
            // polled by a worker the monitor watches, not by the thread that gave its core away.
            s.spawn("context-set-up", Future.lazy(() -> {
                try {
                    return Braid.blockInPlace(() -> "set up");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            JoinHandle<Object> spin = s.spawn("runaway-after-set-up", Future.lazy(() -> {
                block(300);
                return null;
            }));
            rt.blockOn(spin);
            String m = log.find("is stalled");
            assertTrue(m.contains("'runaway-after-set-up' (on strand 'guest-context')"), m);
        } finally {
            log.stop();
        }
    }

    @Test
    void aSliceOfShortStrandTasks_stillHandsOnWhatWaitsOnItsWorker() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("short-tasks")
                .stallThreshold(Duration.ofMillis(50)).build()) {
            Strand s = rt.newStrand("busy");
            java.util.concurrent.atomic.AtomicBoolean sideRan = new java.util.concurrent.atomic.AtomicBoolean();
            List<JoinHandle<Boolean>> steps = new java.util.ArrayList<>();
            for (int k = 0; k < 20; k++) {
                boolean first = k == 0;
                // Each under the threshold, together 600 ms in one slice: one long poll.
                steps.add(s.spawn("step-" + k, Future.lazy(() -> {
                    if (first) {
                        // Spawned from the worker: its LIFO slot, which no other worker may take.
                        Braid.spawn("side", Future.lazy(() -> {
                            sideRan.set(true);
                            return null;
                        }));
                    }
                    block(30);
                    return sideRan.get();
                })));
            }
            boolean last = false;
            for (JoinHandle<Boolean> h : steps) {
                last = rt.blockOn(h);
            }
            assertTrue(last, "the task behind the slice ran while the slice went on");
        }
    }

    @Test
    void twoStrandTasksStallingInOneSlice_areEachReported() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("one-slice").build()) {
            Strand s = rt.newStrand("guest");
            // The second is queued while the first blocks, so the slice that polls the first
            // polls the second right after it, within one poll of the strand's driver.
            JoinHandle<Object> first = s.spawn("first-spinner", Future.lazy(() -> {
                block(300);
                return null;
            }));
            JoinHandle<Object> second = s.spawn("second-spinner", Future.lazy(() -> {
                block(300);
                return null;
            }));
            rt.blockOn(first);
            rt.blockOn(second);
            String m1 = log.await("'first-spinner'", Duration.ofSeconds(30));
            String m2 = log.await("'second-spinner'", Duration.ofSeconds(30));
            assertTrue(m1.contains("is stalled"), m1);
            assertTrue(m2.contains("is stalled"), m2);
        } finally {
            log.stop();
        }
    }

    @Test
    void stallListener_addsToTheReport_withTheStalledThreadAndTask() throws Exception {
        LogCapture log = LogCapture.start();
        List<String> seen = new CopyOnWriteArrayList<>();
        StallListener listener = (thread, task, ran) -> {
            seen.add(thread.getName() + " " + task.name() + " " + ran.toMillis());
            return "script stack:\n\tat spin (spin.js:1)";
        };
        StallListener failing = (thread, task, ran) -> {
            throw new IllegalStateException("listener bug");
        };
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("listened").build()) {
            rt.addStallListener(failing);
            rt.addStallListener(listener);
            Strand s = rt.newStrand("guest");
            rt.blockOn(s.spawn("spinning-script", Future.lazy(() -> {
                block(300);
                return null;
            })));
            String m = log.find("is stalled");
            // What the listener knows leads; the Java frames follow it.
            assertTrue(m.contains("yield between pieces of work.\nscript stack:\n\tat spin (spin.js:1)\n"
                    + "Java stack of the stalled thread:\n\tat "), m);
            assertEquals(1, seen.size(), seen.toString());
            assertTrue(seen.get(0).startsWith("listened-worker-"), seen.get(0));
            assertTrue(seen.get(0).contains(" spinning-script "), seen.get(0));
            log.find("a stall listener failed");
            rt.removeStallListener(listener);
            rt.removeStallListener(failing);
            StallListener replacing = new StallListener() {
                @Override
                public String describe(Thread thread, TaskInfo task, Duration ran) {
                    return "script stack:\n\tat again (again.js:2)";
                }

                @Override
                public boolean replacesJavaStack() {
                    return true;
                }
            };
            rt.addStallListener(replacing);
            rt.blockOn(s.spawn("spinning-replaced", Future.lazy(() -> {
                block(300);
                return null;
            })));
            String replaced = log.await("'spinning-replaced'", Duration.ofSeconds(30));
            assertTrue(replaced.endsWith("yield between pieces of work.\nscript stack:\n\tat again (again.js:2)"), replaced);
            rt.removeStallListener(replacing);
            rt.blockOn(s.spawn("spinning-again", Future.lazy(() -> {
                block(300);
                return null;
            })));
            assertEquals(1, seen.size(), "a removed listener is not called: " + seen);
        } finally {
            log.stop();
        }
    }

    @Test
    void jfr_recordsStallAndSlowPollEvents() throws Exception {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch gotStall = new CountDownLatch(1);
        try (RecordingStream rs = new RecordingStream();
             BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("jfr").build()) {
            rs.enable("dev.braid.Stall");
            rs.enable("dev.braid.SlowPoll");
            rs.onEvent("dev.braid.Stall", e -> {
                events.add(e);
                gotStall.countDown();
            });
            rs.onEvent("dev.braid.SlowPoll", events::add);
            rs.startAsync();
            rt.blockOn(rt.spawn("jfr-blocker", Future.lazy(() -> {
                block(100);
                return null;
            })));
            assertTrue(gotStall.await(30, TimeUnit.SECONDS), "a Stall event arrives");
            RecordedEvent stall = events.stream().filter(e -> e.getEventType().getName().equals("dev.braid.Stall")).findFirst().orElseThrow();
            assertEquals("jfr-blocker", stall.getString("taskName"));
            assertTrue(stall.getString("stack").contains("BlockingToleranceTest.block"), stall.getString("stack"));
            assertTrue(stall.getDuration("pollDuration").toMillis() >= 10);
        }
    }

    @Test
    void taskDump_listsWaitingAndRunningTasks() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dump").build()) {
            Mpsc.Unbounded<String> ch = Mpsc.unbounded();
            JoinHandle<String> waiter = rt.spawn("inbox-reader", ch.receiver().recv());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Void> busy = rt.spawn("busy", Future.lazy(() -> {
                running.countDown();
                block(release);
                return null;
            }));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            TaskDump dump = awaitDump(rt, d -> d.tasks().stream().anyMatch(t -> "inbox-reader".equals(t.name()) && "idle".equals(t.state())));
            System.out.println(dump);
            TaskInfo reader = dump.tasks().stream().filter(t -> "inbox-reader".equals(t.name())).findFirst().orElseThrow();
            assertEquals(waiter.id(), reader.id());
            assertEquals(1, reader.polls());
            assertNotNull(reader.age());
            assertNull(reader.thread());
            TaskInfo b = dump.tasks().stream().filter(t -> "busy".equals(t.name())).findFirst().orElseThrow();
            assertEquals("running", b.state());
            assertTrue(b.thread().startsWith("polled by dump-worker-"), b.thread());
            assertTrue(dump.toString().contains("#" + waiter.id() + " 'inbox-reader' idle"), dump.toString());
            release.countDown();
            ch.sender().trySend("hi");
            assertEquals("hi", rt.blockOn(waiter));
            rt.blockOn(busy);
        }
    }

    private static TaskDump awaitDump(BraidRuntime rt, java.util.function.Predicate<TaskDump> ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TaskDump d = rt.taskDump();
        while (!ready.test(d) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            d = rt.taskDump();
        }
        assertTrue(ready.test(d), d.toString());
        return d;
    }

    @Test
    void monitorOff_noStallsCounted_andNoMonitorThread() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("mon-off").monitor(false).build()) {
            rt.blockOn(rt.spawn(Future.lazy(() -> {
                block(50);
                return null;
            })));
            assertEquals(0, rt.metrics().stalls());
            assertFalse(Threads.alive("mon-off").contains("mon-off-monitor"), Threads.alive("mon-off").toString());
        }
    }

    /**
     * Randomized: tasks that block for 0-4 ms (past the 1 ms threshold) while spawning and
     * messaging each other, so the monitor orphans and replaces workers constantly, racing
     * with polls that end, parks and spawns. Every task completes, live-task accounting
     * returns to zero, the stalled threads retire, and shutdown leaves no thread.
     */
    @Test
    void stress_replacementsUnderChurn_loseNothing() throws Exception {
        long seed = Stress.seed();
        int tasks = Stress.rounds(3_000);
        String prefix = "churn";
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("dev.braid.runtime");
        java.util.logging.Level was = quiet.getLevel();
        quiet.setLevel(java.util.logging.Level.SEVERE); // hundreds of stall reports, by design
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix(prefix)
                .stallThreshold(Duration.ofMillis(1)).seed(seed).build()) {
            Mpsc.Unbounded<Integer> results = Mpsc.unbounded();
            AtomicInteger completed = new AtomicInteger();
            SplittableRandom rnd = new SplittableRandom(seed);
            List<JoinHandle<Void>> hs = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                long blockMicros = rnd.nextInt(4) == 0 ? rnd.nextInt(4_000) : 0;
                int children = rnd.nextInt(3);
                hs.add(rt.spawn(new Future<Void>() {
                    List<JoinHandle<Integer>> kids;

                    @Override
                    public Poll<Void> poll(Context cx) {
                        if (kids == null) {
                            kids = new ArrayList<>();
                            for (int c = 0; c < children; c++) {
                                int v = c;
                                kids.add(Braid.spawn(cx2 -> {
                                    results.sender().trySend(v);
                                    return Poll.ready(v);
                                }));
                            }
                            if (blockMicros > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(blockMicros * 1_000);
                            }
                        }
                        while (!kids.isEmpty()) {
                            if (kids.get(kids.size() - 1).poll(cx).isPending()) {
                                return Poll.pending();
                            }
                            kids.remove(kids.size() - 1);
                        }
                        completed.incrementAndGet();
                        return Poll.ready(null);
                    }
                }));
            }
            for (JoinHandle<Void> h : hs) {
                rt.blockOn(h);
            }
            assertEquals(tasks, completed.get(), "seed " + seed);
            System.out.printf("churn: %d tasks, %d stalls, %d replacement workers (seed %d)%n",
                    tasks, rt.metrics().stalls(), rt.metrics().replacementWorkers(), seed);
            // Stalled threads retire once their polls return: back to two workers.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (workers(prefix) > 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2, workers(prefix), Threads.alive(prefix).toString());
            while (rt.metrics().aliveTasks() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, rt.metrics().aliveTasks(), "seed " + seed);
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        } finally {
            quiet.setLevel(was);
        }
        assertEquals(List.of(), Threads.alive(prefix));
    }

    private static long workers(String prefix) {
        return Threads.alive(prefix).stream().filter(n -> n.contains("-worker-")).count();
    }
}
