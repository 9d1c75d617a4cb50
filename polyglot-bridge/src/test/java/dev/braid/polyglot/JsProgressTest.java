package dev.braid.polyglot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code braid.progress}: what a script's bar tells the host's display, and nothing by default. */
final class JsProgressTest {
    @RegisterExtension
    static final BridgeFixture fx = BridgeFixture.named("js-progress");

    @Test
    void aBarsSteps_reachTheHostsDisplay() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ProgressDisplay display = (label, total) -> {
            seen.add("open " + label + " " + total);
            return new ProgressDisplay.Bar() {
                @Override
                public void update(long done) {
                    seen.add(label + " " + done);
                }

                @Override
                public void done() {
                    seen.add(label + " done");
                }
            };
        };
        try (ScriptHost host = ScriptHost.builder(fx.host().runtime()).progress(display).build(); GuestSession js = host.newSession("js")) {
            assertEquals(5, js.evalSync("""
                    const p = braid.progress(10, { label: 'copy' });
                    p.tick(); p.tick(2); p.update(5);
                    p.done(); p.tick(); // after done: nothing more
                    p.value""", "bar.js"));
            assertEquals("TypeError", js.evalSync("(() => { try { braid.progress(-1); } catch (e) { return e.name; } })()", "bad.js"));
        }
        assertEquals(List.of("open copy 10", "copy 1", "copy 3", "copy 5", "copy done"), seen);
        try (GuestSession js = fx.host().newSession("js")) {
            assertEquals(1, js.evalSync("const q = braid.progress(2); q.tick(); q.done(); q.value", "silent.js"), "no display: nothing shown, nothing fails");
        }
    }
}
