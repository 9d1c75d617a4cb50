package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.net.TcpStream;
import dev.braid.sync.Oneshot;
import dev.braid.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The six failures of a task that blocks its worker, each on a 2-worker runtime,
 * with the monitor on (the failure is gone) and off (the failure is real). Nothing here
 * waits on wall time except the blocking itself; bounds are generous, since this machine
 * is small and shared.
 */
final class BlockingToleranceTest {

    private static BraidRuntime runtime(String name, boolean monitor) {
        return BraidRuntime.builder().workerThreads(2).threadNamePrefix(name + (monitor ? "-on" : "-off"))
                .monitor(monitor).build();
    }

    /** Spawns from inside a task, so that the child lands in the worker's LIFO slot. */
    private static <T> JoinHandle<T> spawnHere(Future<T> f) {
        return Braid.spawn(f);
    }

    // ---- 1. the hidden task ----------------------------------------------------------------

    /**
     * A task spawns N children that report through a JDK queue, then blocks its worker
     * reading N results. The last child sits in the blocked worker's LIFO slot.
     */
    @ParameterizedTest(name = "monitor {0}")
    @ValueSource(booleans = {true, false})
    void hiddenTask_allResultsArrive_onlyWithTheMonitor(boolean monitor) throws Exception {
        int n = 8;
        try (BraidRuntime rt = runtime("hidden", monitor)) {
            BlockingQueue<Integer> results = new LinkedBlockingQueue<>();
            long perResultWait = monitor ? 10_000 : 1_000;
            int got = rt.blockOn(rt.spawn("parent", Future.lazy(() -> {
                for (int i = 0; i < n; i++) {
                    int id = i;
                    spawnHere(Future.lazy(() -> results.add(id)));
                }
                int received = 0;
                try {
                    while (received < n && results.poll(perResultWait, TimeUnit.MILLISECONDS) != null) {
                        received++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return received;
            })));
            if (monitor) {
                assertEquals(n, got, "every child ran although the parent blocked its worker");
                assertTrue(rt.metrics().stalls() >= 1, "the stall was counted");
            } else {
                assertEquals(n - 1, got, "without the monitor the LIFO child is hidden behind the blocked parent");
            }
        }
    }

    // ---- 2. the child that waits for its parent ---------------------------------------------

    @ParameterizedTest(name = "monitor {0}")
    @ValueSource(booleans = {true, false})
    void childOfABlockedParent_startsOnAnotherWorker(boolean monitor) throws Exception {
        try (BraidRuntime rt = runtime("child", monitor)) {
            AtomicLong spawnedAt = new AtomicLong();
            AtomicLong startedAt = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            JoinHandle<Void> parent = rt.spawn("parent", Future.lazy(() -> {
                spawnedAt.set(System.nanoTime());
                spawnHere(Future.lazy(() -> {
                    startedAt.set(System.nanoTime());
                    started.countDown();
                    return null;
                }));
                block(1_000); // the blocking itself
                return null;
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            long delayMs = (startedAt.get() - spawnedAt.get()) / 1_000_000;
            System.out.printf("child of a blocked parent started after %d ms (monitor %s)%n", delayMs, monitor);
            if (monitor) {
                assertTrue(delayMs < 500, "the child started " + delayMs + " ms after its spawn");
            } else {
                assertTrue(delayMs >= 900, "without the monitor the child waits for the parent's poll: " + delayMs);
            }
            rt.blockOn(parent);
        }
    }

    // ---- 3. the starved drivers -------------------------------------------------------------

    @ParameterizedTest(name = "monitor {0}")
    @ValueSource(booleans = {true, false})
    void timersStillFire_whileATaskBlocksItsWorker(boolean monitor) throws Exception {
        try (BraidRuntime rt = runtime("timer", monitor)) {
            CountDownLatch slept = new CountDownLatch(1);
            AtomicLong sleptAt = new AtomicLong();
            long[] t0 = new long[1];
            JoinHandle<Void> blocker = rt.spawn("blocker", Future.lazy(() -> {
                t0[0] = System.nanoTime();
                spawnHere(Time.sleep(Duration.ofMillis(10)).andThen(v -> Time.sleep(Duration.ofMillis(10))).map(v -> {
                    sleptAt.set(System.nanoTime());
                    slept.countDown();
                    return null;
                }));
                block(2_000);
                return null;
            }));
            assertTrue(slept.await(10, TimeUnit.SECONDS));
            long ms = (sleptAt.get() - t0[0]) / 1_000_000;
            System.out.printf("two 10 ms sleeps beside a 2 s block took %d ms (monitor %s)%n", ms, monitor);
            if (monitor) {
                assertTrue(ms < 1_000, "two 10 ms sleeps took " + ms + " ms");
            } else {
                assertTrue(ms >= 1_900, "without the monitor the sleeper waits for the block: " + ms);
            }
            rt.blockOn(blocker);
        }
    }

    @ParameterizedTest(name = "monitor {0}")
    @ValueSource(booleans = {true, false})
    void socketReadsStillComplete_whileATaskBlocksItsWorker(boolean monitor) throws Exception {
        try (BraidRuntime rt = runtime("sock", monitor);
             ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(42);
                    out.flush();
                    s.getInputStream().read(); // until the reader closes
                } catch (Exception ignored) {
                    // the reader closed first
                }
            });
            peer.start();
            CountDownLatch read = new CountDownLatch(1);
            AtomicLong readAt = new AtomicLong();
            long[] t0 = new long[1];
            JoinHandle<Void> blocker = rt.spawn("blocker", Future.lazy(() -> {
                t0[0] = System.nanoTime();
                spawnHere(TcpStream.connect(addr).andThen(s -> {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    return s.readExact(b).map(v -> {
                        assertEquals(42, b.get(0));
                        readAt.set(System.nanoTime());
                        read.countDown();
                        s.close();
                        return null;
                    });
                }));
                block(2_000);
                return null;
            }));
            assertTrue(read.await(10, TimeUnit.SECONDS));
            long ms = (readAt.get() - t0[0]) / 1_000_000;
            System.out.printf("connect + read beside a 2 s block took %d ms (monitor %s)%n", ms, monitor);
            if (monitor) {
                assertTrue(ms < 1_000, "the read took " + ms + " ms");
            } else {
                assertTrue(ms >= 1_900, "without the monitor the reader waits for the block: " + ms);
            }
            rt.blockOn(blocker);
            peer.join(10_000);
        }
    }

    /**
     * The worker that drives timers fires a timer, releases the driver role and runs the task
     * it woke; that task then blocks. The other worker parked without a timeout while the
     * role was held, so unless somebody takes the role over, no timer fires until the block
     * ends.
     */
    @Test
    void timersStillFire_whenTheBlockingTaskWasWokenByATimer() throws Exception {
        try (BraidRuntime rt = runtime("timer-woken", true)) {
            long t0 = System.nanoTime();
            JoinHandle<Void> blocker = rt.spawn("blocker", Time.sleep(Duration.ofMillis(20)).map(v -> {
                block(2_000);
                return null;
            }));
            Future<Void> sleeps = Time.sleep(Duration.ofMillis(60));
            for (int i = 0; i < 40; i++) {
                sleeps = sleeps.andThen(v -> Time.sleep(Duration.ofMillis(10)));
            }
            JoinHandle<Long> sleeper = rt.spawn("sleeper", sleeps.map(v -> System.nanoTime()));
            long ms = (rt.blockOn(sleeper) - t0) / 1_000_000;
            System.out.printf("460 ms of sleeps beside a timer-woken 2 s block took %d ms%n", ms);
            assertTrue(ms < 700, "460 ms of sleeps took " + ms + " ms");
            assertTrue(ms >= 460, "the sleeps cannot end early: " + ms);
            rt.blockOn(blocker);
        }
    }

    /** Every worker blocks and none is parked: the monitor fires the timers itself. */
    @Test
    void timersStillFire_whenEveryWorkerIsBlocked() throws Exception {
        try (BraidRuntime rt = runtime("all-blocked", true)) {
            CountDownLatch registered = new CountDownLatch(1);
            long t0 = System.nanoTime();
            JoinHandle<Long> sleeper = rt.spawn("sleeper", Future.lazy(() -> {
                registered.countDown();
                return null;
            }).andThen(v -> Time.sleep(Duration.ofMillis(30))).map(v -> System.nanoTime()));
            block(registered);
            CountDownLatch bothBlocking = new CountDownLatch(2);
            List<JoinHandle<Void>> blockers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                blockers.add(rt.spawn("blocker-" + i, Future.lazy(() -> {
                    bothBlocking.countDown();
                    block(bothBlocking); // so that each blocks its own worker
                    block(1_500);
                    return null;
                })));
            }
            long ms = (rt.blockOn(sleeper) - t0) / 1_000_000;
            System.out.printf("a 30 ms sleep with every worker blocked took %d ms%n", ms);
            assertTrue(ms < 700, "a 30 ms sleep took " + ms + " ms");
            for (JoinHandle<Void> b : blockers) {
                rt.blockOn(b);
            }
        }
    }

    /** The same with a socket: data that arrives while the driver's last holder blocks is read at once. */
    @Test
    void socketReadsComplete_whenTheBlockingTaskWasWokenByATimer() throws Exception {
        try (BraidRuntime rt = runtime("io-woken", true);
             ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            CountDownLatch blocking = new CountDownLatch(1);
            AtomicLong writtenAt = new AtomicLong();
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    block(blocking);
                    block(30); // well inside the block
                    writtenAt.set(System.nanoTime());
                    out.write(42);
                    out.flush();
                    s.getInputStream().read(); // until the reader closes
                } catch (Exception ignored) {
                    // the reader closed first
                }
            });
            peer.start();
            JoinHandle<Long> reader = rt.spawn("reader", TcpStream.connect(addr).andThen(s -> {
                ByteBuffer b = ByteBuffer.allocate(1);
                return s.readExact(b).map(v -> {
                    long at = System.nanoTime();
                    assertEquals(42, b.get(0));
                    s.close();
                    return at;
                });
            }));
            JoinHandle<Void> blocker = rt.spawn("blocker", Time.sleep(Duration.ofMillis(20)).map(v -> {
                blocking.countDown();
                block(2_000);
                return null;
            }));
            long readAt = rt.blockOn(reader);
            long ms = (readAt - writtenAt.get()) / 1_000_000;
            System.out.printf("data that came during a timer-woken 2 s block was read after %d ms%n", ms);
            assertTrue(ms < 100, "the read completed " + ms + " ms after its data");
            rt.blockOn(blocker);
            peer.join(10_000);
        }
    }

    // ---- 4. the task that never returns -----------------------------------------------------

    @ParameterizedTest(name = "monitor {0}")
    @ValueSource(booleans = {true, false})
    void aTaskThatNeverReturns_othersComplete_andShutdownNamesIt(boolean monitor) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        LogCapture log = LogCapture.start();
        BraidRuntime rt = runtime("stuck", monitor);
        try {
            CountDownLatch childRan = new CountDownLatch(1);
            CountDownLatch stuckEntered = new CountDownLatch(1);
            rt.spawn("stuck-forever", Future.lazy(() -> {
                spawnHere(Future.lazy(() -> {
                    childRan.countDown();
                    return null;
                }));
                stuckEntered.countDown();
                block(never);
                return null;
            }));
            assertTrue(stuckEntered.await(10, TimeUnit.SECONDS));
            // Everything else keeps completing: 2 000 tasks spawned from outside.
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int v = i;
                hs.add(rt.spawn(cx -> Poll.ready(v)));
            }
            long sum = 0;
            for (JoinHandle<Integer> h : hs) {
                sum += rt.blockOn(h);
            }
            assertEquals(1_999L * 2_000 / 2, sum);
            if (monitor) {
                assertTrue(childRan.await(10, TimeUnit.SECONDS), "the stuck task's child ran elsewhere");
            } else {
                assertFalse(childRan.await(500, TimeUnit.MILLISECONDS), "without the monitor its child is hidden");
            }
            long t0 = System.nanoTime();
            assertFalse(rt.shutdown(Duration.ofMillis(300)), "a thread is stuck in a poll");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5_000, "shutdown returned after " + ms + " ms");
            String warning = log.find("timed out");
            assertTrue(warning.contains("'stuck-forever'"), warning);
            assertTrue(rt.taskDump().toString().contains("'stuck-forever' running"), rt.taskDump().toString());
        } finally {
            never.countDown();
            log.stop();
            rt.shutdown(Duration.ofSeconds(10));
        }
    }

    // ---- 5. whole-program degradation -------------------------------------------------------

    /**
     * Non-blocking work (rounds of short tasks) beside two loops of tasks that each block
     * their worker for 50 ms. Reports the ratios; asserts only that the monitor-off run is
     * slower than the monitor-on one (generously: by 1.5x).
     */
    @Test
    void degradation_withBlockingTasks_staysSmallWithTheMonitor() throws Exception {
        degradationRun(true, false); // warm-up: the first run pays for class loading and JIT
        long base = degradationRun(true, false);
        long on = degradationRun(true, true);
        long off = degradationRun(false, true);
        System.out.printf("degradation: non-blocking work alone %d ms, beside 50 ms blockers: monitor on %d ms (%.1fx), off %d ms (%.1fx)%n",
                base, on, (double) on / base, off, (double) off / base);
        assertTrue(off > on * 3 / 2, "monitor off " + off + " ms vs on " + on + " ms");
    }

    /** Returns the wall time in ms of the non-blocking work. */
    private static long degradationRun(boolean monitor, boolean withBlockers) throws Exception {
        try (BraidRuntime rt = runtime("degr", monitor)) {
            rt.blockOn(rt.spawn(cx -> Poll.ready(0))); // warm the workers
            List<JoinHandle<Void>> blockers = new ArrayList<>();
            if (withBlockers) {
                for (int b = 0; b < 2; b++) {
                    blockers.add(rt.spawn("blocker-loop-" + b, blockingLoop(40)));
                }
            }
            long t0 = System.nanoTime();
            int rounds = 50;
            int perRound = 200;
            long total = 0;
            for (int r = 0; r < rounds; r++) {
                List<JoinHandle<Integer>> hs = new ArrayList<>(perRound);
                for (int i = 0; i < perRound; i++) {
                    hs.add(rt.spawn(Braid.yieldNow().map(v -> 1)));
                }
                for (JoinHandle<Integer> h : hs) {
                    total += rt.blockOn(h);
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals((long) rounds * perRound, total);
            for (JoinHandle<Void> h : blockers) {
                rt.blockOn(h);
            }
            return Math.max(1, ms);
        }
    }

    /** A task that, {@code n} times, spawns a task blocking its worker for 50 ms and joins it. */
    private static Future<Void> blockingLoop(int n) {
        return new Future<>() {
            int done;
            JoinHandle<Void> current;

            @Override
            public Poll<Void> poll(dev.braid.future.Context cx) {
                for (;;) {
                    if (current != null) {
                        if (current.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        current = null;
                        done++;
                    }
                    if (done == n) {
                        return Poll.ready(null);
                    }
                    current = spawnHere(Future.lazy(() -> {
                        block(50);
                        return null;
                    }));
                }
            }
        };
    }

    // ---- 6. deadlock ------------------------------------------------------------------------

    @Test
    void deadlock_inAClosedWorld_blockOnFails_listingTheWaitingTasks() {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl")
                .deadlockDetection(Duration.ofMillis(100)).closedWorld().build()) {
            Oneshot<String> toA = Oneshot.channel();
            Oneshot<String> toB = Oneshot.channel();
            // Each awaits a value only the other would send; neither sends before receiving.
            JoinHandle<String> a = rt.spawn("task-a", toA.receiver().map(v -> {
                toB.sender().send("from a");
                return v;
            }));
            JoinHandle<String> b = rt.spawn("task-b", toB.receiver().map(v -> {
                toA.sender().send("from b");
                return v;
            }));
            DeadlockException e = assertThrows(DeadlockException.class, () -> rt.blockOn(a));
            String m = e.getMessage();
            assertTrue(m.contains("'task-a'") && m.contains("'task-b'"), m);
            assertTrue(m.contains("oneshot.recv"), m);
            assertTrue(m.contains("blockOn on thread"), m);
            assertEquals(2, e.dump().tasks().size(), e.dump().toString());
            System.out.println(m);
            // The runtime lives on: the tasks can be aborted, new work runs.
            a.abort();
            b.abort();
            assertTrue(assertThrows(JoinError.class, () -> rt.blockOn(b)).isCancelled());
            assertEquals(Integer.valueOf(7), rt.blockOn(rt.spawn(cx -> Poll.ready(7))));
        }
    }

    @Test
    void deadlock_byDefault_isReported_andBlockOnKeepsWaiting() throws Exception {
        LogCapture log = LogCapture.start();
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-report")
                .deadlockDetection(Duration.ofMillis(50)).build()) {
            Oneshot<String> toA = Oneshot.channel();
            Oneshot<String> toB = Oneshot.channel();
            JoinHandle<String> a = rt.spawn("task-a", toA.receiver().map(v -> {
                toB.sender().send("from a");
                return v;
            }));
            JoinHandle<String> b = rt.spawn("task-b", toB.receiver());
            java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    result.complete(rt.blockOn(a));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            caller.start();
            String report = log.await("suspected deadlock: nothing in runtime 'dl-report'", Duration.ofSeconds(30));
            assertTrue(report.contains("'task-a'") && report.contains("'task-b'"), report);
            assertTrue(report.contains("blockOn keeps waiting"), report);
            assertTrue(report.contains("no runnable task, timer, I/O or blocking work for"), report);
            assertEquals(1, rt.metrics().suspectedDeadlocks());
            assertTrue(caller.isAlive(), "the blockOn still waits");
            // A thread the runtime had not seen was the key: the wait ends normally.
            toA.sender().send("from outside");
            caller.join(10_000);
            assertEquals("from outside", result.get(10, TimeUnit.SECONDS));
            assertEquals("from a", rt.blockOn(b));
            assertEquals(1, rt.metrics().suspectedDeadlocks(), "one quiet spell, one report");
        } finally {
            log.stop();
        }
    }

    /**
     * A task of runtime A is woken by a worker of runtime B: a wake-up from outside A, which
     * A must count as one (then it cannot prove a deadlock any more), even in a closed world.
     */
    @Test
    void deadlock_aWakeUpFromAnotherRuntime_isForeign() throws Exception {
        try (BraidRuntime a = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-rt-a")
                .deadlockDetection(Duration.ofMillis(20)).closedWorld().build();
             BraidRuntime b = BraidRuntime.builder().workerThreads(1).threadNamePrefix("dl-rt-b").build()) {
            Oneshot<String> first = Oneshot.channel();
            JoinHandle<String> waitsFirst = a.spawn("waits-first", first.receiver());
            until(() -> a.taskDump().tasks().stream().anyMatch(t -> "waits-first".equals(t.name())
                    && t.waitsOn() != null && t.waitsOn().startsWith("oneshot.recv"))); // parked on it
            b.blockOn(b.spawn(Future.lazy(() -> first.sender().send("1")))); // B's worker wakes A's task
            assertEquals("1", a.blockOn(waitsFirst));
            Oneshot<String> second = Oneshot.channel();
            JoinHandle<String> waitsSecond = a.spawn("waits-second", second.receiver());
            b.spawn(Time.sleep(Duration.ofMillis(300)).map(v -> second.sender().send("2")));
            assertEquals("2", a.blockOn(waitsSecond), "no deadlock verdict after 15 detection delays");
            assertEquals(0, a.metrics().suspectedDeadlocks());
        }
    }

    @Test
    void deadlock_withDetectionOff_blockOnHangs() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-off")
                .noDeadlockDetection().build();
        Oneshot<String> never = Oneshot.channel();
        JoinHandle<String> h = rt.spawn("waits-forever", never.receiver());
        CountDownLatch returned = new CountDownLatch(1);
        Throwable[] outcome = new Throwable[1];
        Thread caller = new Thread(() -> {
            try {
                rt.blockOn(h);
            } catch (Throwable t) {
                outcome[0] = t;
            }
            returned.countDown();
        });
        caller.start();
        assertFalse(returned.await(600, TimeUnit.MILLISECONDS), "with detection off blockOn keeps waiting");
        rt.shutdown(Duration.ofSeconds(10));
        assertTrue(returned.await(10, TimeUnit.SECONDS));
        assertTrue(outcome[0] instanceof RuntimeShutdownException || outcome[0] instanceof JoinError, String.valueOf(outcome[0]));
        never.sender().send("unused");
    }

    @Test
    void deadlock_notReported_whileATaskBlocksInPlace() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-inplace")
                .deadlockDetection(Duration.ofMillis(20)).build()) {
            // The worker hands its core on and blocks for many detection delays: that is
            // blocking work in progress, not a deadlock. Nor is the rest of that poll.
            Strand s = rt.newStrand("after-in-place");
            JoinHandle<Integer> first = s.spawn(Future.lazy(() -> {
                try {
                    return Braid.blockInPlace(() -> {
                        block(300);
                        return 1;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            JoinHandle<Integer> second = s.spawn(Future.lazy(() -> {
                block(300); // runs right after, in the same strand slice or the next
                return 2;
            }));
            assertEquals(Integer.valueOf(1), rt.blockOn(first));
            assertEquals(Integer.valueOf(2), rt.blockOn(second));
        }
    }

    @Test
    void deadlock_notReported_whenTheWaitIsOnACompletionStage() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-ext")
                .deadlockDetection(Duration.ofMillis(20)).build()) {
            java.util.concurrent.CompletableFuture<String> cf = new java.util.concurrent.CompletableFuture<>();
            JoinHandle<String> h = rt.spawn("awaits-stage", Future.fromStage(cf));
            Thread completer = new Thread(() -> {
                try {
                    // The runtime stays quiet for many detection delays before this completes.
                    Thread.sleep(300);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                cf.complete("done");
            });
            completer.start();
            assertEquals("done", rt.blockOn(h));
            completer.join();
        }
    }

    @Test
    void deadlock_notReported_whileATaskWorksInBlockInPlace() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("dl-inplace")
                .deadlockDetection(Duration.ofMillis(20)).build()) {
            // A strand task in blockInPlace (as a guest context starting up) holds its strand:
            // the task queued behind it is neither runnable nor waiting, yet nothing is stuck.
            Strand s = rt.newStrand("slow-start");
            s.spawn("set-up", Future.lazy(() -> {
                try {
                    return Braid.blockInPlace(() -> {
                        block(300); // many detection delays
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            JoinHandle<String> next = s.spawn("queued-behind", Future.lazy(() -> "ran"));
            assertEquals("ran", rt.blockOn(next));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Waits, looking every 0.1 ms, until {@code condition} holds; fails after 10 s. */
    static void until(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within 10 s");
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    /** Blocks the calling worker (the failure under test), without interrupt escapes. */
    static void block(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    static void block(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
