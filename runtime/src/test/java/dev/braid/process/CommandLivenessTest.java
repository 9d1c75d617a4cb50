package dev.braid.process;

import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.io.Io;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinHandle;
import dev.braid.sync.Oneshot;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No worker ever blocks on a child: waiting for exit and reading a silent pipe leave both
 * workers free. The assertions are about order (the tasks finish while the children still
 * run), not about durations.
 */
final class CommandLivenessTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("cmd-live").build();

    @AfterEach
    void shutDownWithoutStuckThreads() {
        assertTrue(rt.shutdown(Duration.ofSeconds(5)), "a runtime thread is still stuck: " + rt.metrics());
    }

    @Test
    void twoWorkersRunAHundredThousandTasks_whileFourChildrenAreAwaitedAndRead() throws Exception {
        int children = 4;
        List<Child> sleepers = new ArrayList<>();
        try {
            noWorkerBlocks(children, sleepers);
        } finally {
            sleepers.forEach(Child::close); // kill-on-drop: no sleeper outlives a failure
        }
    }

    private void noWorkerBlocks(int children, List<Child> sleepers) throws Exception {
        List<JoinHandle<ExitStatus>> waits = new ArrayList<>();
        List<JoinHandle<byte[]>> reads = new ArrayList<>();
        AtomicInteger exited = new AtomicInteger();
        CountDownLatch polled = new CountDownLatch(2 * children);
        for (int i = 0; i < children; i++) {
            Child c = Command.of("sleep", "30").stdout(Stdio.piped()).killOnDrop(true).spawn();
            sleepers.add(c);
            waits.add(rt.spawn(afterFirstPoll(polled, c.waitFor().map(s -> {
                exited.incrementAndGet();
                return s;
            }))));
            reads.add(rt.spawn(afterFirstPoll(polled, Io.readToEnd(c.stdout()))));
        }
        // Every waiter and reader has been polled: a blocking one would now hold a worker.
        assertTrue(polled.await(10, TimeUnit.SECONDS), "the waiting tasks were never polled");

        int tasks = 100_000;
        AtomicInteger done = new AtomicInteger();
        Oneshot<Integer> allDone = Oneshot.channel();
        rt.spawn(Future.lazy(() -> {
            for (int i = 0; i < tasks; i++) {
                rt.spawn(Future.lazy(() -> {
                    if (done.incrementAndGet() == tasks) {
                        allDone.sender().send(exited.get());
                    }
                    return null;
                }));
            }
            return null;
        }));
        int exitedMeanwhile = rt.blockOn(Time.timeout(Duration.ofSeconds(20), allDone.receiver()));
        assertEquals(0, exitedMeanwhile, "a child exited before the tasks finished: the test proves nothing");
        for (Child c : sleepers) {
            assertNull(c.tryWait(), "a sleeper ended early");
            c.kill(); // the readers then see end of file
        }
        for (int i = 0; i < children; i++) {
            assertEquals(9, Tasks.run(rt, waits.get(i)).signal().orElseThrow());
            assertEquals(0, Tasks.run(rt, reads.get(i)).length);
        }
    }

    /** {@code f}, counting {@code latch} down on its first poll. */
    private static <T> Future<T> afterFirstPoll(CountDownLatch latch, Future<T> f) {
        return new Future<>() {
            private boolean first = true;

            @Override
            public Poll<T> poll(dev.braid.future.Context cx) {
                if (first) {
                    first = false;
                    Poll<T> p = f.poll(cx);
                    latch.countDown();
                    return p;
                }
                return f.poll(cx);
            }

            @Override
            public void drop() {
                f.drop();
            }
        };
    }

    @Test
    void aTimeoutAroundReadingASilentChildsStdout_elapses() {
        try (Child silent = Command.of("sleep", "1000").stdout(Stdio.piped()).killOnDrop(true).spawn()) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            assertThrows(ElapsedException.class,
                    () -> Tasks.run(rt, Time.timeout(Duration.ofMillis(200), Io.read(silent.stdout(), buf))));
            assertEquals(0, buf.position());
        }
    }
}
