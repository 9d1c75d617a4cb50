package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many Python sessions at once on one engine, each a GraalPy context driven by its own
 * strand, all of them sharing two workers. Outside the default suite (it takes longer than
 * the suite can afford: a Python context takes a few hundred milliseconds to make even on a
 * warm engine): run it with {@code -Dbraid.scale.python=true}. Sizes:
 * {@code -Dbraid.scale.sessions} (default 100) and {@code -Dbraid.scale.awaits} per session
 * (default 1 000). Timings are printed, never asserted; every session must finish within
 * the minute the test allows.
 */
@EnabledIfSystemProperty(named = "braid.scale.python", matches = "true")
final class PythonScaleTest {
    static final int SESSIONS = Integer.getInteger("braid.scale.sessions", 100);
    static final int AWAITS = Integer.getInteger("braid.scale.awaits", 1_000);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hundredSessions_eachAwaitingSleepZeroAThousandTimes_completeOnTwoWorkers() throws Exception {
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("py-scale")
                .stallThreshold(Duration.ofSeconds(5)).build();
             ScriptHost host = ScriptHost.builder(rt).build()) {
            long t0 = System.nanoTime();
            List<GuestSession> sessions = new ArrayList<>();
            List<CompletableFuture<Object>> ready = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                GuestSession s = host.newSession("python");
                sessions.add(s);
                ready.add(s.evalAsync("import braid\n0", "warm"));
            }
            CompletableFuture.allOf(ready.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
            long opened = System.nanoTime() - t0;
            String program = """
                    async def main(n):
                        done = 0
                        for _ in range(n):
                            await braid.sleep(0)
                            done += 1
                        return done
                    main(%d)""".formatted(AWAITS);
            long t1 = System.nanoTime();
            List<CompletableFuture<Object>> runs = new ArrayList<>();
            for (GuestSession s : sessions) {
                runs.add(s.evalAsync(program, "scale"));
            }
            CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            long took = System.nanoTime() - t1;
            for (CompletableFuture<Object> r : runs) {
                assertEquals(AWAITS, r.get(), "a session did not finish its awaits");
            }
            System.out.printf("[python scale] 2 workers: opened %d sessions in %.2f s; %d x %d awaits of braid.sleep(0) in %.2f s"
                    + " (%.0f awaits/s)%n", SESSIONS, opened / 1e9, SESSIONS, AWAITS, took / 1e9, SESSIONS * (double) AWAITS / (took / 1e9));
            sessions.forEach(GuestSession::close);
        }
    }
}
