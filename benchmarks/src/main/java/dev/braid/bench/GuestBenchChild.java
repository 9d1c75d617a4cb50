package dev.braid.bench;

import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The Braid side of {@link GuestBench}: runs one script on a 2-worker runtime. */
final class GuestBenchChild {
    private GuestBenchChild() {
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("p-bench")
                .stallThreshold(Duration.ofSeconds(10)).build();
             ScriptHost host = ScriptHost.builder(rt).build();
             GuestSession js = host.newSession("js")) {
            System.err.println("engine: " + host.engineImplementation());
            js.evalSync(Files.readString(script), script.getFileName().toString());
        }
    }
}
