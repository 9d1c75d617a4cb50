package dev.braid.runtime.internal;

import dev.braid.runtime.SpawnSiteCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking pool counts a new thread under its lock and starts it after releasing it. A
 * shutdown that joins the runtime's threads in between must wait for that thread, not take
 * a thread that has not started for one that has ended.
 */
final class ShutdownStartTest {

    @Test
    void shutdown_waitsForAThreadCountedButNotYetStarted() throws Exception {
        Config config = new Config(true, 1, "late-start", 4, Duration.ofSeconds(10), 61, 3, 32,
                SpawnSiteCapture.FUTURE_CLASS, null, null, new ClockImpl(false, false), false,
                Duration.ofMillis(10), 0, null, 0, false);
        MultiThreadScheduler s = new MultiThreadScheduler(config, 1);
        AtomicBoolean ran = new AtomicBoolean();
        Thread late = s.newThread(() -> {
            LockSupport.parkNanos(50_000_000); // its work, after shutdown began
            ran.set(true);
        }, "late-start-blocking-9");
        Thread caller = Thread.currentThread();
        AtomicBoolean returned = new AtomicBoolean();
        Thread starter = new Thread(() -> {
            // Start it once shutdown waits for it to start (or, failing that, has returned).
            long end = System.nanoTime() + 10_000_000_000L;
            while (!returned.get() && !waitsForAStart(caller) && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            late.start();
        });
        starter.start();
        boolean stopped = s.shutdown(Duration.ofSeconds(10));
        returned.set(true);
        starter.join(10_000);
        assertTrue(stopped, "every thread ended within the timeout");
        assertFalse(late.isAlive(), "shutdown returned while a thread it counted still ran");
        assertTrue(ran.get(), "the late thread's work was done before shutdown returned");
    }

    /** Whether {@code t} is inside awaitThreads, parked but not joining a thread. */
    private static boolean waitsForAStart(Thread t) {
        boolean inAwait = false;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("join")) {
                return false;
            }
            inAwait |= e.getMethodName().equals("awaitThreads");
        }
        return inAwait && t.getState() == Thread.State.TIMED_WAITING;
    }
}
