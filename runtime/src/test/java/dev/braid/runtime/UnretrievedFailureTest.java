package dev.braid.runtime;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Poll;
import dev.braid.future.Probe;
import dev.braid.runtime.UnretrievedFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A task's failure that no joiner takes is reported once, through the runtime's handler:
 * at shutdown, or once its handle is unreachable; a failure a joiner took, and a
 * cancellation, never are. Each test that checks for silence also checks that a sibling
 * failure nobody joins is reported, so that it cannot pass because nothing is reported at all.
 */
final class UnretrievedFailureTest {
    /** The reports of one runtime, and a semaphore with a permit per report. */
    private static final class Recorder {
        final List<UnretrievedFailure> reports = new CopyOnWriteArrayList<>();
        final Semaphore arrived = new Semaphore(0);

        void accept(UnretrievedFailure r) {
            reports.add(r);
            arrived.release();
        }

        /** Collects garbage until {@code n} more reports arrived; fails after 30 s. */
        void awaitAfterGc(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!arrived.tryAcquire(n, 10, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    fail("expected " + n + " more reports after garbage collection, got " + reports);
                }
                System.gc();
            }
        }
    }

    private final Recorder recorder = new Recorder();
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("unretrieved-test")
            .spawnSiteCapture(SpawnSiteCapture.CALLER).onUnretrievedFailure(recorder::accept).build();

    @AfterEach
    void shutdown() {
        rt.shutdown(Duration.ofSeconds(10));
    }

    private static <T> Future<T> failing(RuntimeException e) {
        return cx -> {
            throw e;
        };
    }

    /** Waits (without sleeping) until {@code done} holds; fails after 10 s. */
    private static void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aFailureNobodyJoins_isReportedOnceAtShutdown_withNameIdSiteAndException() {
        IllegalStateException boom = new IllegalStateException("boom");
        int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        JoinHandle<Object> h = rt.spawn("doomed", failing(boom));
        await(h::isFinished);
        assertEquals(List.of(), recorder.reports, "nothing is reported while the handle could still be joined");

        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertTrue(rt.shutdown(Duration.ofSeconds(10)), "a second shutdown reports nothing again");
        Reference.reachabilityFence(h); // held to the end: only the shutdown can report it

        assertEquals(1, recorder.reports.size(), recorder.reports.toString());
        UnretrievedFailure r = recorder.reports.get(0);
        assertEquals(h.id(), r.taskId());
        assertEquals("doomed", r.taskName());
        assertTrue(r.spawnSite().contains("UnretrievedFailureTest.java:" + line), r.spawnSite());
        assertSame(boom, r.exception());
        assertFalse(r.dropHook());
        assertEquals(Reason.SHUTDOWN, r.reason());
        assertTrue(r.toString().startsWith("task #" + h.id() + " 'doomed' failed, and nobody retrieved the failure "
                + "(the runtime shut down); spawned at "), r.toString());
        assertTrue(r.toString().endsWith(": java.lang.IllegalStateException: boom"), r.toString());
    }

    @Test
    void aJoinedFailure_isNeverReported() {
        JoinHandle<Object> joined = rt.spawn("joined", failing(new IllegalStateException("seen")));
        JoinHandle<Object> ignored = rt.spawn("ignored", failing(new IllegalStateException("unseen")));
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(joined));
        assertEquals("seen", e.getCause().getMessage());
        assertThrows(JoinError.class, () -> rt.blockOn(joined), "joining again still gives the failure");
        await(ignored::isFinished);

        rt.shutdown(Duration.ofSeconds(10));
        Reference.reachabilityFence(joined);
        Reference.reachabilityFence(ignored);
        assertEquals(List.of("ignored"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
    }

    @Test
    void aFailureWhoseHandleIsDropped_isReportedOnceTheHandleIsCollected() throws Exception {
        // Dropped at once: the task keeps its handle until it fails, then the runtime watches it.
        rt.spawn("dropped at once", failing(new IllegalStateException("lost")));
        recorder.awaitAfterGc(1);
        UnretrievedFailure r = recorder.reports.get(0);
        assertEquals("dropped at once", r.taskName());
        assertEquals(Reason.HANDLE_DROPPED, r.reason());
        assertEquals("lost", r.exception().getMessage());

        // Dropped after the failure.
        JoinHandle<Object> h = rt.spawn("dropped later", failing(new IllegalStateException("lost later")));
        await(h::isFinished);
        h = null;
        recorder.awaitAfterGc(1);
        assertEquals("dropped later", recorder.reports.get(1).taskName());

        rt.shutdown(Duration.ofSeconds(10));
        assertEquals(2, recorder.reports.size(), "reported once: " + recorder.reports);
    }

    @Test
    void manyFailuresWithDroppedHandles_fromOutsideAndFromTasks_areEachReportedOnce() throws Exception {
        // Many of these fail before their spawner stored the handle (a spinning worker takes
        // an outside spawn at once; another worker steals from the spawner's queue): the
        // spawner then hands the handle to the failure.
        int n = 200;
        for (int i = 0; i < n / 2; i++) {
            rt.spawn("outside " + i, failing(new IllegalStateException("outside")));
        }
        rt.blockOn(rt.spawn(cx -> {
            for (int i = 0; i < n / 2; i++) {
                Braid.spawn("inside " + i, failing(new IllegalStateException("inside")));
            }
            return Poll.ready(null);
        }));
        recorder.awaitAfterGc(n);
        rt.shutdown(Duration.ofSeconds(10));
        assertEquals(n, recorder.reports.size());
        assertEquals(n, recorder.reports.stream().map(UnretrievedFailure::taskId).distinct().count());
        assertTrue(recorder.reports.stream().allMatch(r -> r.reason() == Reason.HANDLE_DROPPED));
    }

    @Test
    void aFailureOfATaskSpawnedFromATask_isReportedOnceItsHandleIsCollected() throws Exception {
        // The task goes through the spawning worker's own queue, which may keep a stale
        // reference to it: the handle, not the task, is what is watched.
        rt.blockOn(rt.spawn(cx -> {
            Braid.spawn("inner", failing(new IllegalStateException("inner")));
            return Poll.ready(null);
        }));
        recorder.awaitAfterGc(1);
        assertEquals("inner", recorder.reports.get(0).taskName());
    }

    @Test
    void aThrowingHandler_isLoggedAndTheReportsGoOn() throws Exception {
        LogCapture log = LogCapture.start();
        try {
            List<String> seen = new CopyOnWriteArrayList<>();
            Semaphore reported = new Semaphore(0);
            BraidRuntime rt2 = BraidRuntime.builder().workerThreads(1).threadNamePrefix("unretrieved-throws")
                    .onUnretrievedFailure(r -> {
                        seen.add(r.taskName());
                        reported.release();
                        throw new IllegalStateException("handler broke on " + r.taskName());
                    }).build();
            // On the cleaning thread: it survives the throw and reports the next one too.
            rt2.spawn("collected 1", failing(new RuntimeException("x")));
            awaitAfterGc(reported);
            rt2.spawn("collected 2", failing(new RuntimeException("y")));
            awaitAfterGc(reported);
            // At shutdown: every report is made, and shutdown ends normally.
            JoinHandle<Object> a = rt2.spawn("at shutdown 1", failing(new RuntimeException("z")));
            JoinHandle<Object> b = rt2.spawn("at shutdown 2", failing(new RuntimeException("w")));
            await(() -> a.isFinished() && b.isFinished());
            assertTrue(rt2.shutdown(Duration.ofSeconds(10)));
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);

            assertEquals(List.of("collected 1", "collected 2", "at shutdown 1", "at shutdown 2"), seen);
            assertEquals(4, log.messages().stream().filter(m -> m.startsWith("the unretrieved-failure handler threw")).count(),
                    log.messages().toString());
        } finally {
            log.stop();
        }
    }

    private static void awaitAfterGc(Semaphore s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!s.tryAcquire(10, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                fail("no report after garbage collection");
            }
            System.gc();
        }
    }

    @Test
    void aCancellation_isNeverReported_butADropHookThatThrowsIs() throws Exception {
        Probe<Object> aborted = Probe.create();
        Probe<Object> pendingAtShutdown = Probe.create();
        JoinHandle<Object> a = rt.spawn("aborted", aborted);
        JoinHandle<Object> p = rt.spawn("pending at shutdown", pendingAtShutdown);
        JoinHandle<Object> d = rt.spawn("drop throws", new Future<>() {
            @Override
            public Poll<Object> poll(dev.braid.future.Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                throw new IllegalStateException("drop broke");
            }
        });
        JoinHandle<Object> failed = rt.spawn("failed", failing(new IllegalStateException("control")));
        await(() -> aborted.polls.get() > 0 && pendingAtShutdown.polls.get() > 0 && failed.isFinished());
        a.abort();
        await(a::isFinished);
        a = null; // dropped: even its collection reports nothing
        System.gc();

        rt.shutdown(Duration.ofSeconds(10));
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(d);
        Reference.reachabilityFence(failed);
        assertEquals(List.of("drop throws", "failed"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
        UnretrievedFailure drop = recorder.reports.get(0);
        assertTrue(drop.dropHook());
        assertEquals("drop broke", drop.exception().getMessage());
        assertTrue(drop.toString().contains("'drop throws' was cancelled and its drop hook threw"), drop.toString());
        assertFalse(recorder.reports.get(1).dropHook());
    }

    @Test
    void joinSetsCombinatorsAndCompletableFutures_retrieve() throws Exception {
        // JoinSet: joinNext hands the failure on.
        try (JoinSet<Object> set = new JoinSet<>(rt)) {
            set.spawn("set member", failing(new IllegalStateException("set")));
            JoinResult<Object> r = rt.blockOn(set.joinNext());
            assertTrue(r.error().isFailed());
        }
        // join polls every child: both failures are seen, the first is thrown.
        JoinHandle<Object> j1 = rt.spawn("join 1", failing(new IllegalStateException("j1")));
        JoinHandle<Object> j2 = rt.spawn("join 2", failing(new IllegalStateException("j2")));
        await(() -> j1.isFinished() && j2.isFinished());
        assertThrows(JoinError.class, () -> rt.blockOn(Futures.join(j1, j2)));
        // tryJoin, select and race return the failure they polled.
        JoinHandle<Object> t = rt.spawn("tryJoin", failing(new IllegalStateException("t")));
        assertThrows(JoinError.class, () -> rt.blockOn(Futures.tryJoin(t, Probe.create())));
        JoinHandle<Object> s = rt.spawn("select", failing(new IllegalStateException("s")));
        assertThrows(JoinError.class, () -> rt.blockOn(Futures.select(s, Probe.create())));
        JoinHandle<Object> rc = rt.spawn("race", failing(new IllegalStateException("r")));
        assertThrows(JoinError.class, () -> rt.blockOn(Futures.race(rc, Probe.create())));
        // toCompletableFuture hands it to its future (and a dropped handle is fine then).
        CompletableFuture<Object> cf = rt.spawn("completable", failing(new IllegalStateException("cf"))).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> cf.get(10, TimeUnit.SECONDS));
        assertInstanceOf(JoinError.class, e.getCause());
        // The control: nobody joins it.
        JoinHandle<Object> control = rt.spawn("control", failing(new IllegalStateException("control")));
        await(control::isFinished);
        System.gc(); // the dropped handles above are collected: nothing for them either

        rt.shutdown(Duration.ofSeconds(10));
        Reference.reachabilityFence(j1);
        Reference.reachabilityFence(j2);
        Reference.reachabilityFence(control);
        assertEquals(List.of("control"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
    }

    @Test
    void aJoinSetClosedWithAnUnjoinedFailure_reportsIt() throws Exception {
        JoinSet<Object> set = new JoinSet<>(rt);
        AbortHandle a = set.spawn("never joined", failing(new IllegalStateException("in the set")));
        await(a::isFinished);
        set.close();
        recorder.awaitAfterGc(1);
        assertEquals("never joined", recorder.reports.get(0).taskName());
        assertEquals(Reason.HANDLE_DROPPED, recorder.reports.get(0).reason());
        Reference.reachabilityFence(set);
    }

    @Test
    void aStrandReportsItsOwnTasksFailures_whenItsOwnerEnds() {
        Strand ending = rt.newStrand("ending");
        Strand other = rt.newStrand("other");
        JoinHandle<Object> a = ending.spawn("ending 1", failing(new IllegalStateException("a")));
        JoinHandle<Object> b = ending.spawn("ending 2", failing(new IllegalStateException("b")));
        JoinHandle<Object> joined = ending.spawn("ending, joined", failing(new IllegalStateException("c")));
        JoinHandle<Object> o = other.spawn("other", failing(new IllegalStateException("o")));
        assertThrows(JoinError.class, () -> rt.blockOn(joined));
        await(() -> a.isFinished() && b.isFinished() && o.isFinished());

        assertEquals(2, ending.reportUnretrievedFailures());
        assertEquals(List.of("ending 1", "ending 2"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
        assertTrue(recorder.reports.stream().allMatch(r -> r.reason() == Reason.SESSION_ENDED));
        assertEquals(0, ending.reportUnretrievedFailures(), "each failure is reported once");
        assertThrows(JoinError.class, () -> rt.blockOn(a), "a reported failure is still handed to a later joiner");

        rt.shutdown(Duration.ofSeconds(10));
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(o);
        assertEquals(List.of("ending 1", "ending 2", "other"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
    }

    @Test
    void aFailureTheStrandsOwnerCallsACancellation_isNotReported() {
        class OwnerCancelled extends RuntimeException {
        }
        Strand s = rt.newStrand("owned", new Strand.SliceHooks() {
            @Override
            public void enter() {
            }

            @Override
            public void leave() {
            }

            @Override
            public boolean isCancellation(Throwable failure) {
                return failure instanceof OwnerCancelled;
            }
        });
        JoinHandle<Object> cancelled = s.spawn("owner cancelled", failing(new OwnerCancelled()));
        JoinHandle<Object> failed = s.spawn("failed", failing(new IllegalStateException("its own")));
        await(() -> cancelled.isFinished() && failed.isFinished());
        assertEquals(1, s.reportUnretrievedFailures());
        assertEquals(List.of("failed"), recorder.reports.stream().map(UnretrievedFailure::taskName).toList());
        JoinError e = assertThrows(JoinError.class, () -> rt.blockOn(cancelled), "its joiner still gets it");
        assertInstanceOf(OwnerCancelled.class, e.getCause());
    }
}
