package dev.braid.polyglot;

import dev.braid.runtime.BraidRuntime;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs guest scripts on a Braid runtime: one shared GraalVM {@link Engine}, one context per
 * {@link GuestSession}, each driven by its own strand.
 *
 * <pre>{@code
 * try (BraidRuntime rt = BraidRuntime.newMultiThread();
 *      ScriptHost host = ScriptHost.builder(rt).build();
 *      GuestSession js = host.newSession("js")) {
 *     Object v = js.evalSync("(async () => { await braid.sleep(10); return 6 * 7 })()", "answer.js");
 * }
 * }</pre>
 *
 * <h2>Least privilege</h2>
 * Every context gets the same fixed policy (contexts on one engine must): no host access,
 * no host class lookup, no threads, no processes, no native access, no environment, and a
 * read-only file system for loading modules ({@link GuestFileSystem}, checked against the
 * session's {@link Permissions}). What a guest may do beyond computing comes only from
 * Braid's host API, checked against the same permissions.
 *
 * <h2>Runaway guest code</h2>
 * A guest poll that runs past the runtime's stall threshold is reported by the runtime's
 * monitor with the worker's Java stack and, from this host, the guest stack
 * ({@link GuestStacks}); {@link GuestSession#cancel()} interrupts it.
 */
public final class ScriptHost implements AutoCloseable {
    private final BraidRuntime runtime;
    private final Engine engine;
    private final Permissions permissions;
    private final PrintStream out;
    private final StandardInput stdin;
    private final ProgressDisplay progress;
    private final PrintStream err;
    private final Map<String, HostFunction> hostFunctions;
    private final Map<String, LanguagePlugin> plugins = new LinkedHashMap<>();
    private final Set<GuestSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger serial = new AtomicInteger();
    private final GuestStacks stacks;
    /**
     * The host access of every context the bridge makes (contexts on one engine must agree):
     * no host class, object member or array, only the buffers the bridge hands out itself
     * (the bytes a file read gives, which a language wraps as its own).
     */
    public static final HostAccess HOST_ACCESS = HostAccess.newBuilder().allowBufferAccess(true).build();
    private final Path workingDirectory;
    private final Map<String, String> environment;

    private ScriptHost(Builder b) {
        this.runtime = b.runtime;
        this.permissions = b.permissions;
        this.out = b.out;
        this.stdin = new StandardInput(b.in);
        this.progress = b.progress;
        this.err = b.err;
        this.hostFunctions = Map.copyOf(b.hostFunctions);
        this.workingDirectory = b.workingDirectory;
        this.environment = b.environment;
        for (LanguagePlugin p : ServiceLoader.load(LanguagePlugin.class, ScriptHost.class.getClassLoader())) {
            plugins.putIfAbsent(p.id(), p);
        }
        if (plugins.isEmpty()) {
            throw new IllegalStateException("no guest language plugin found (META-INF/services/" + LanguagePlugin.class.getName() + ")");
        }
        this.engine = Engine.newBuilder(plugins.values().stream().map(LanguagePlugin::graalLanguage).toArray(String[]::new))
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream()).err(b.err)
                .build();
        this.stacks = b.guestStacks ? new GuestStacks(engine, b.javaFramesInStallReports, plugins.values().stream()
                .map(LanguagePlugin::frameLines).filter(java.util.Objects::nonNull).toList(), this::activityOn) : null;
        if (stacks != null) {
            runtime.addStallListener(stacks);
        }
    }

    /** What a session says runs on {@code thread} (see {@link Guest#activity(Guest.Activity)}), or null. */
    private Guest.Activity activityOn(Thread thread) {
        for (GuestSession s : sessions) {
            Guest.Activity a = s.guest().activityOn(thread);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    public static Builder builder(BraidRuntime runtime) {
        return new Builder(runtime);
    }

    public BraidRuntime runtime() {
        return runtime;
    }

    public Map<String, HostFunction> hostFunctions() {
        return hostFunctions;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** The name of the GraalVM implementation: "Interpreted" or "GraalVM CE" (optimizing). */
    public String engineImplementation() {
        return engine.getImplementationName();
    }

    /** A new session of {@code language} ({@code "js"}) with the host's permissions. */
    public GuestSession newSession(String language) {
        return newSession(language, permissions);
    }

    public GuestSession newSession(String language, Permissions perms) {
        return newSession(language, perms, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** A session in {@code family}: the sessions of one job, one per language (see {@link GuestSession#sibling}). */
    GuestSession newSession(String language, Permissions perms, Map<String, GuestSession> family) {
        LanguagePlugin plugin = plugins.get(language);
        if (plugin == null) {
            throw new IllegalArgumentException("no guest language '" + language + "'; available: " + plugins.keySet());
        }
        GuestFileSystem files = new GuestFileSystem(perms);
        // Set on the file system itself: the context's option would have Truffle read the
        // directory's attributes, which the session may have no grant for.
        files.setCurrentWorkingDirectory(workingDirectory);
        SessionOutput output = new SessionOutput(out, err);
        org.graalvm.polyglot.Context.Builder cb = org.graalvm.polyglot.Context.newBuilder(plugin.graalLanguage())
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                // No allowHostClassLookup at all: even a filter that refuses every class would
                // install the Java and Packages globals.
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                // The language's own files (GraalPy's standard library) are internal resources,
                // read through the wrapper; everything else goes through the session's checks.
                .allowIO(IOAccess.newBuilder().fileSystem(org.graalvm.polyglot.io.FileSystem.allowInternalResourceAccess(files))
                        // A language's raw sockets (Python's socket module) only when any host may be reached.
                        .allowHostSocketAccess(PermissionCheck.netUnscoped(perms)).build())
                .out(output.out()).err(output.err());
        plugin.configure(cb);
        String name = language + "-" + serial.incrementAndGet();
        Guest guest = new Guest(cb.build(), runtime, perms, name, output, workingDirectory, environment);
        guest.stdin = stdin;
        guest.progress = progress;
        guest.files = files;
        guest.plugin = plugin;
        GuestSession s = new GuestSession(this, plugin, guest, family);
        sessions.add(s);
        // Globals are installed inside the strand, like every other entry into the context;
        // the strand is FIFO, so this runs before anything the session is asked to do.
        guest.spawn("install", cx -> {
            try {
                // Initialising a context takes up to a second (the first one in a JVM loads
                // the language): hand this worker's queue to another thread meanwhile.
                guest.lang = dev.braid.runtime.Braid.blockInPlace(() -> {
                    plugin.initialize(guest);
                    guest.bindHostFunctions(hostFunctions, plugin.graalLanguage());
                    return plugin.install(guest, this);
                });
            } catch (Exception e) {
                guest.installFailure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            return dev.braid.future.Poll.ready(null);
        });
        return s;
    }

    void forget(GuestSession s) {
        sessions.remove(s);
    }

    /** Closes every session, then the engine. */
    @Override
    public void close() {
        for (GuestSession s : sessions.toArray(new GuestSession[0])) {
            s.close();
        }
        if (stacks != null) {
            runtime.removeStallListener(stacks);
        }
        try {
            engine.close(true);
        } catch (RuntimeException e) {
            // a context still closing on its strand; the engine goes with the JVM
        }
    }

    public static final class Builder {
        private final BraidRuntime runtime;
        private Permissions permissions = Permissions.none();
        private java.io.InputStream in = java.io.InputStream.nullInputStream();
        private ProgressDisplay progress = ProgressDisplay.NONE;
        private PrintStream out = System.out;
        private PrintStream err = System.err;
        private final Map<String, HostFunction> hostFunctions = new LinkedHashMap<>();
        private boolean guestStacks = true;
        private boolean javaFramesInStallReports = true;
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private Map<String, String> environment = System.getenv();

        private Builder(BraidRuntime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
        }

        /** Default permissions of new sessions (default: none). */
        public Builder permissions(Permissions p) {
            permissions = Objects.requireNonNull(p);
            return this;
        }

        /** Where guest {@code console.log} and friends write (default: System.out / System.err). */
        /**
         * What guests read as their standard input ({@code braid.stdin}; default: nothing, at
         * its end at once). Shared by the host's sessions; read on the blocking pool.
         */
        public Builder in(java.io.InputStream s) {
            in = Objects.requireNonNull(s);
            return this;
        }

        /** Where guests' progress bars show ({@code braid.progress}; default: nowhere). */
        public Builder progress(ProgressDisplay display) {
            progress = Objects.requireNonNull(display);
            return this;
        }

        public Builder out(PrintStream s) {
            out = Objects.requireNonNull(s);
            return this;
        }

        public Builder err(PrintStream s) {
            err = Objects.requireNonNull(s);
            return this;
        }

        /** Exposes {@code fn} to guests as a global function {@code name}. */
        public Builder hostFunction(String name, HostFunction fn) {
            hostFunctions.put(Objects.requireNonNull(name), Objects.requireNonNull(fn));
            return this;
        }

        /**
         * Whether the runtime's stall reports show the guest stack of a worker stalled in
         * guest code (default on; see {@link GuestStacks} for what it costs once a first
         * stall was reported).
         */
        public Builder guestStacksInStallReports(boolean on) {
            guestStacks = on;
            return this;
        }

        /**
         * Whether a stall report that shows a script's own stack also shows the stalled
         * thread's Java frames, the interpreter's (default on; the {@code braid} command shows
         * them only with {@code --verbose}).
         */
        public Builder javaFramesInStallReports(boolean on) {
            javaFramesInStallReports = on;
            return this;
        }

        /**
         * The working directory of the sessions (default: this process's): relative paths a
         * guest uses (files, programs, module names) resolve against it, and started programs
         * run in it. The grants of a {@link Permissions} are made absolute when it is built,
         * against this process's directory: give them absolute.
         */
        public Builder workingDirectory(Path dir) {
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException("the working directory must be absolute, got " + dir);
            }
            workingDirectory = dir.normalize();
            return this;
        }

        /**
         * The environment variables the sessions see, through their env grants (default:
         * this process's). Its {@code PATH} is where a granted command is looked up.
         */
        public Builder environment(Map<String, String> env) {
            environment = Map.copyOf(env);
            return this;
        }

        public ScriptHost build() {
            return new ScriptHost(this);
        }
    }
}
