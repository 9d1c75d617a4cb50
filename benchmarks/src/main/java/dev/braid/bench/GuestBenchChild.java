package dev.braid.bench;

import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.BraidRuntime;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The JVM side of {@link GuestBench}: runs one script on a 2-worker runtime through Braid,
 * or ({@code --plain}) on bare Graal.js, with the same engine and context options but no
 * {@code braid} global, so the script falls back to plain promises: the engine's own cost.
 */
final class GuestBenchChild {
    private GuestBenchChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--plain")) {
            plain(Path.of(args[1]));
            return;
        }
        Path script = Path.of(args[0]);
        try (BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("p-bench")
                .stallThreshold(Duration.ofSeconds(10)).build();
             ScriptHost host = ScriptHost.builder(rt).build();
             GuestSession js = host.newSession("js")) {
            System.err.println("engine: " + host.engineImplementation());
            js.evalSync(Files.readString(script), script.getFileName().toString());
        }
    }

    /** Bare Graal.js: the options of ScriptHost and JsPlugin, but Graal's own console and no Braid. */
    private static void plain(Path script) throws Exception {
        try (Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
             Context cx = Context.newBuilder("js").engine(engine)
                     .allowHostAccess(HostAccess.NONE)
                     .allowPolyglotAccess(PolyglotAccess.NONE)
                     .allowCreateThread(false)
                     .allowCreateProcess(false)
                     .allowNativeAccess(false)
                     .allowEnvironmentAccess(EnvironmentAccess.NONE)
                     .allowIO(IOAccess.NONE)
                     .allowExperimentalOptions(true)
                     .option("js.ecmascript-version", "latest")
                     .option("js.print", "false")
                     .option("js.load", "false")
                     .option("js.java-package-globals", "false")
                     .option("js.graal-builtin", "false")
                     .option("js.polyglot-builtin", "false")
                     .option("js.unhandled-rejections", "throw")
                     .build()) {
            System.err.println("engine: " + engine.getImplementationName() + " (plain Graal.js, no braid global)");
            // Graal.js runs the promise jobs before the outermost eval returns: the whole script.
            cx.eval(Source.newBuilder("js", Files.readString(script), script.getFileName().toString()).build());
        }
    }
}
