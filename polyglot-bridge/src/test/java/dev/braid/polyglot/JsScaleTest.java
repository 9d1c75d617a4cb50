package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many JavaScript sessions at once: each one a Graal context driven by its own strand, all
 * of them sharing the runtime's workers. Sizes: {@code -Dbraid.scale.sessions} (default
 * 100), {@code -Dbraid.scale.awaits} per session (default 1 000), and for the 1- vs
 * 2-worker comparison {@code -Dbraid.scale.compareSessions} (default 40) and
 * {@code -Dbraid.scale.rounds} (default 2). Timings are printed, never asserted.
 */
final class JsScaleTest {
    static final int SESSIONS = Integer.getInteger("braid.scale.sessions", 100);
    static final int AWAITS = Integer.getInteger("braid.scale.awaits", 1_000);
    static final int COMPARE_SESSIONS = Integer.getInteger("braid.scale.compareSessions", 40);
    static final int ROUNDS = Integer.getInteger("braid.scale.rounds", 2);

    /** Half the awaits on {@code braid.sleep(0)}, half on {@code braid.yieldNow()}; returns the count. */
    static String program(int awaits) {
        return """
                (async () => {
                  let n = 0;
                  for (let i = 0; i < %d; i++) {
                    await (i %% 2 === 0 ? braid.sleep(0) : braid.yieldNow());
                    n++;
                  }
                  return n;
                })()""".formatted(awaits);
    }

    private static BraidRuntime runtime(int workers) {
        return BraidRuntime.builder().workerThreads(workers).threadNamePrefix("js-scale-" + workers)
                .stallThreshold(Duration.ofSeconds(5)) // interpreted guest code is slow to warm up
                .build();
    }

    /** Opens {@code n} sessions and waits until each has set up its context. */
    private static List<GuestSession> open(ScriptHost host, int n) throws Exception {
        List<GuestSession> sessions = new ArrayList<>(n);
        List<CompletableFuture<Object>> ready = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GuestSession s = host.newSession("js");
            sessions.add(s);
            ready.add(s.evalAsync("0", "warm.js"));
        }
        CompletableFuture.allOf(ready.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
        return sessions;
    }

    /** Runs the program in every session at once; returns the wall time in nanoseconds. */
    private static long runAll(List<GuestSession> sessions, int awaits) throws Exception {
        String code = program(awaits);
        long t0 = System.nanoTime();
        List<CompletableFuture<Object>> runs = new ArrayList<>(sessions.size());
        for (GuestSession s : sessions) {
            runs.add(s.evalAsync(code, "scale.js"));
        }
        CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
        long took = System.nanoTime() - t0;
        for (CompletableFuture<Object> r : runs) {
            assertEquals(awaits, r.get(), "a session did not finish its awaits");
        }
        return took;
    }

    private static String rate(int sessions, int awaits, long nanos) {
        double s = nanos / 1e9;
        return String.format("%d sessions x %d awaits in %.2f s (%.0f awaits/s)", sessions, awaits, s, sessions * (double) awaits / s);
    }

    @Test
    void hundredSessions_eachAwaitingAThousandTimes_allComplete_onTwoWorkers() throws Exception {
        try (BraidRuntime rt = runtime(2); ScriptHost host = ScriptHost.builder(rt).build()) {
            long t0 = System.nanoTime();
            List<GuestSession> sessions = open(host, SESSIONS);
            long opened = System.nanoTime() - t0;
            long took = runAll(sessions, AWAITS);
            System.out.printf("[scale] 2 workers: opened %d sessions in %.2f s; %s%n", SESSIONS, opened / 1e9,
                    rate(SESSIONS, AWAITS, took));
            for (GuestSession s : sessions) {
                s.close();
            }
        }
    }

    @Test
    void throughputWithOneAndTwoWorkers() throws Exception {
        // One runtime and host per worker count, both warmed up, then measured in turn.
        try (BraidRuntime one = runtime(1); ScriptHost hostOne = ScriptHost.builder(one).build();
             BraidRuntime two = runtime(2); ScriptHost hostTwo = ScriptHost.builder(two).build()) {
            List<GuestSession> s1 = open(hostOne, COMPARE_SESSIONS);
            List<GuestSession> s2 = open(hostTwo, COMPARE_SESSIONS);
            runAll(s1, AWAITS / 4); // warm-up: the interpreter's own Java code gets compiled
            runAll(s2, AWAITS / 4);
            long best1 = Long.MAX_VALUE;
            long best2 = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                best1 = Math.min(best1, runAll(s1, AWAITS));
                best2 = Math.min(best2, runAll(s2, AWAITS));
            }
            System.out.printf("[scale] 1 worker:  best of %d: %s%n", ROUNDS, rate(COMPARE_SESSIONS, AWAITS, best1));
            System.out.printf("[scale] 2 workers: best of %d: %s%n", ROUNDS, rate(COMPARE_SESSIONS, AWAITS, best2));
            System.out.printf("[scale] speed-up with 2 workers: %.2fx (on %d available processors)%n",
                    best1 / (double) best2, Runtime.getRuntime().availableProcessors());
            assertTrue(best1 > 0 && best2 > 0);
            for (GuestSession s : s1) {
                s.close();
            }
            for (GuestSession s : s2) {
                s.close();
            }
        }
    }
}
