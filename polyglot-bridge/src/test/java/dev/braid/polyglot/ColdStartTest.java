package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work the script did not choose (parsing it, the language's first runs, the first
 * cancellation in an engine) is not reported as the script blocking its worker, even at the
 * runtime's default 10 ms stall threshold and in a fresh engine.
 */
@Timeout(120)
class ColdStartTest {
    private static final String SCRIPT = """
            // A short job: top-level await, a task, a select whose loser is cancelled.
            const results = [];
            async function fetchLike(name, ms) {
              await braid.sleep(ms);
              return name + ' after ' + ms + ' ms';
            }
            const slow = braid.task(async () => {
              await braid.sleep(10_000);
              results.push('slow finished');
            });
            const first = await braid.select({ slow, quick: fetchLike('quick', 5) });
            results.push(first.key);
            for (const ms of [1, 2, 3]) {
              results.push(await fetchLike('loop', ms));
            }
            results.join(', ');
            """;

    @Test
    void parsingAndTheFirstCancellation_areNotReportedAsStalls() throws Exception {
        BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("cold-start").build();
        try (JsRunawayTest.StallLog log = new JsRunawayTest.StallLog()) {
            try (ScriptHost host = ScriptHost.builder(rt).build(); GuestSession js = host.newSession("js")) {
                assertEquals("quick, loop after 1 ms, loop after 2 ms, loop after 3 ms", js.evalSync(SCRIPT, "cold.js"));
            }
            List<String> aboutParsing = log.reports.stream()
                    .filter(m -> m.contains("'cold-start-"))
                    .filter(m -> m.contains(".parser.") || m.contains("Context.parse(") || m.contains("JsParser")
                            || m.contains("CancelledAwaits$Control.arm"))
                    .toList();
            assertTrue(aboutParsing.isEmpty(), "parsing or the first cancellation reported as a stall: " + aboutParsing);
        } finally {
            rt.shutdown(Duration.ofSeconds(10));
        }
    }
}
