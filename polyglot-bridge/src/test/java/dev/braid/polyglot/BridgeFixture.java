package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.UnretrievedFailure;
import dev.braid.time.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The runtime and script host that the tests of one bridge test class share: two workers, a
 * stall threshold that cold (interpreted) guest code does not trip, and the console's out and
 * err captured per test. Register it in the class:
 *
 * <pre>{@code @RegisterExtension
 * static final BridgeFixture fx = BridgeFixture.named("js-timers").pausedClock();}</pre>
 */
final class BridgeFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final String name;
    private boolean pausedClock;
    private Duration stallThreshold = Duration.ofSeconds(5); // interpreted guest code is slow to warm up
    private UnaryOperator<ScriptHost.Builder> hostSettings = b -> b;
    private Consumer<UnretrievedFailure> onUnretrievedFailure;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private BraidRuntime rt;
    private ScriptHost host;

    private BridgeFixture(String name) {
        this.name = name;
    }

    /** A fixture whose runtime threads are named {@code name-…}. */
    static BridgeFixture named(String name) {
        return new BridgeFixture(name);
    }

    /** The runtime runs on {@code Clock.paused()}: timers are exact and take no real time. */
    BridgeFixture pausedClock() {
        pausedClock = true;
        return this;
    }

    BridgeFixture stallThreshold(Duration d) {
        stallThreshold = d;
        return this;
    }

    /** Where the runtime reports failures nobody retrieved (default: its log). */
    BridgeFixture onUnretrievedFailure(Consumer<UnretrievedFailure> handler) {
        onUnretrievedFailure = handler;
        return this;
    }

    /** More host settings (host functions, permissions) on top of the captured streams. */
    BridgeFixture host(UnaryOperator<ScriptHost.Builder> settings) {
        hostSettings = settings;
        return this;
    }

    BraidRuntime rt() {
        return rt;
    }

    ScriptHost host() {
        return host;
    }

    /** What guest code wrote to the console's out since the test began. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What guest code (and the reporter of uncaught errors) wrote to err since the test began. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was captured so far. */
    void resetOutput() {
        out.reset();
        err.reset();
    }

    /** Evaluates {@code body} as an async function body in a fresh session and returns its value. */
    Object run(String body, String file) {
        try (GuestSession js = host.newSession("js")) {
            return js.evalSync("(async () => {\n" + body + "\n})()", file);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        BraidRuntime.Builder b = BraidRuntime.builder().workerThreads(2).threadNamePrefix(name).stallThreshold(stallThreshold);
        if (pausedClock) {
            b.clock(Clock.paused());
        }
        if (onUnretrievedFailure != null) {
            b.onUnretrievedFailure(onUnretrievedFailure);
        }
        rt = b.build();
        host = hostSettings.apply(ScriptHost.builder(rt)
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))).build();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        resetOutput();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        host.close();
        rt.shutdown(Duration.ofSeconds(10));
    }
}
