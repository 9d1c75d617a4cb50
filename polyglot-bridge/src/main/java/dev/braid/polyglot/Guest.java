package dev.braid.polyglot;

import java.nio.file.Path;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.runtime.Strand;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One guest context and the strand that drives it: guest code runs inside this strand's
 * slices, so a single-threaded context is never entered by two threads at once, while many
 * guests run in parallel on the runtime's workers. A context that takes threads in turns
 * (Python's) is also entered by the session's main thread and by blocking-pool threads; the
 * bridge's own state stays the strand's (see {@link #function}).
 *
 * <p>Everything here except the constructor, {@link #spawn}, {@link #close}, {@link #onStrand},
 * {@link #awaitFromElsewhere} and {@link #spawnFromElsewhere} (for threads that are not the
 * strand's) must be called on the strand (inside a task spawned with {@link #spawn}).
 */
public final class Guest {
    final org.graalvm.polyglot.Context context;
    final Strand strand;
    final BraidRuntime runtime;
    final Permissions permissions;
    final String name;
    /** The host's standard input (set by the host right after construction). */
    StandardInput stdin;
    /** Where the host shows progress bars (set by the host right after construction). */
    ProgressDisplay progress = ProgressDisplay.NONE;
    /** The working directory relative paths resolve against (absolute). */
    final Path cwd;
    /** The environment variables the host shows the guest (what permissions then filter). */
    final Map<String, String> environment;
    /** The guest's language (set by the host right after construction). */
    LanguagePlugin plugin;
    LanguageAdapter lang;
    /** Why installing the language's globals failed, if it did (every evaluation reports it). */
    RuntimeException installFailure;
    /** What the context's module loader reads (set by the host right after construction). */
    GuestFileSystem files;
    /** The scope of the guest task whose code is running now (strand-confined). */
    Scope current;
    /** Set on the strand by close(): the slice closes the context once it has left it. */
    boolean closeRequested;
    private boolean closeDone;

    /** The thread running a slice of the strand now, if any: guest code that runs there runs on the strand. */
    private volatile Thread sliceThread;
    /** What the guest's language says runs inside the slice (an asyncio task), or null. */
    private volatile Activity activity;

    /**
     * What runs inside a task the runtime sees ({@code label}); a stall report shows it while
     * a frame of the function {@code frame} is on the stack.
     */
    public record Activity(String label, String frame) {
    }

    /** The session this guest is (set by it at construction). */
    GuestSession session;

    /**
     * {@code code} evaluated in the job's session of {@code language} (JavaScript's
     * {@code braid.python(code)}, Python's {@code braid.js(code)}): a lazy awaitable of its
     * value crossed into this language (data copied, functions and awaitables as proxies;
     * see {@code Crossing}).
     */
    public Value evalIn(String language, String code) {
        return Crossing.evalIn(this, language, code);
    }

    /** The scope of top-level code; replaced by a fresh one when the session is cancelled. */
    Scope root = new Scope(null);
    /** The session's temporary directories ({@code makeTempDir}): writable without a grant, removed with the session. */
    private final List<Path> tempDirs = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Told on the strand when the session is cancelled or closed (strand-confined). */
    private final List<Runnable> cancelListeners = new ArrayList<>();
    /** The session's standard output and error (the context writes there too). */
    final SessionOutput output;

    Guest(org.graalvm.polyglot.Context context, BraidRuntime runtime, Permissions permissions, String name, SessionOutput output,
          Path cwd, Map<String, String> environment) {
        this.context = context;
        this.cwd = cwd;
        this.environment = environment;
        this.output = output;
        this.runtime = runtime;
        this.permissions = permissions;
        this.name = name;
        // Each slice of the strand enters the context once: a call into an entered context
        // costs about a third of one that enters and leaves by itself (measured: 1.3 us
        // against 4.1 us per call, optimizing).
        this.strand = runtime.newStrand(name, new Strand.SliceHooks() {
            private boolean entered;

            @Override
            public void enter() {
                sliceThread = Thread.currentThread();
                entered = false;
                if (!closeRequested) {
                    try {
                        context.enter();
                        entered = true;
                    } catch (IllegalStateException | PolyglotException e) {
                        // closed, or cancelled (its engine closed under it): the slice's tasks
                        // see that themselves; the strand must go on running them
                    }
                }
            }

            @Override
            public void leave() {
                sliceThread = null;
                if (entered) {
                    entered = false;
                    try {
                        context.leave();
                    } catch (IllegalStateException e) {
                        // the context was closed under us
                    }
                }
                if (closeRequested && !closeDone) {
                    closeDone = true;
                    try {
                        context.close(true); // not while entered: done here, after leaving
                    } catch (RuntimeException e) {
                        // a cancelled context reports its cancellation once more on close
                    }
                    removeTempDirs();
                }
            }

            @Override
            public boolean isCancellation(Throwable failure) {
                return Guest.isCancellation(failure);
            }
        });
        this.current = root;
    }

    /**
     * Makes a fresh directory under the system's temporary directory that the session may
     * read and write without a grant, and that is removed (with what is in it) when the
     * session closes.
     */
    public Path makeTempDir(String prefix) throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory(prefix).toRealPath();
        tempDirs.add(dir);
        return dir;
    }

    /** Whether {@code path} (absolute, normalized) is inside one of the session's temporary directories, links resolved. */
    public boolean inTempDir(Path path) {
        return !tempDirs.isEmpty() && PermissionCheck.inside(path, tempDirs);
    }

    private void removeTempDirs() {
        for (Path dir : tempDirs) {
            try {
                dev.braid.runtime.Braid.blockInPlace(() -> {
                    try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
                        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            java.nio.file.Files.deleteIfExists(p);
                        }
                    }
                    return null;
                });
            } catch (Exception e) {
                err().println("braid: could not remove the session's temporary directory " + dir + ": " + e);
            }
        }
        tempDirs.clear();
    }

    /** Where the host shows its guests' progress bars. */
    public ProgressDisplay progress() {
        return progress;
    }

    /** The standard input the host gives its guests ({@code braid.stdin}). */
    public StandardInput stdin() {
        return stdin;
    }

    /** The session's working directory (absolute): relative paths resolve against it. */
    public Path workingDirectory() {
        return cwd;
    }

    /** {@code path} made absolute against the session's working directory, and normalized. */
    public Path resolve(Path path) {
        return cwd.resolve(path).normalize();
    }

    /** The environment variables the host shows the session (what its env grants filter). */
    public Map<String, String> environment() {
        return environment;
    }

    public BraidRuntime runtime() {
        return runtime;
    }

    public Permissions permissions() {
        return permissions;
    }

    public org.graalvm.polyglot.Context context() {
        return context;
    }

    /** The session's name ({@code js-1}), for messages. */
    public String name() {
        return name;
    }

    /** How many {@link #interrupt}s are in progress (guarded by itself). */
    private final int[] interrupts = {0};

    /**
     * Interrupts the guest code the context runs ({@code Context.interrupt}), waiting up to
     * {@code timeout} for it to stop. That waits for every thread to leave the context: a
     * thread that stays inside it on its own account (Python's, see {@link #interrupting()})
     * steps out until it is over. Any thread but one inside the context.
     */
    void interrupt(java.time.Duration timeout) throws java.util.concurrent.TimeoutException {
        synchronized (interrupts) {
            interrupts[0]++;
        }
        try {
            context.interrupt(timeout);
        } finally {
            synchronized (interrupts) {
                if (--interrupts[0] == 0) {
                    interrupts.notifyAll();
                }
            }
        }
    }

    /**
     * Whether an {@link #interrupt} is in progress. A thread that waits inside the context on
     * its own account asks once it has entered (an interrupt begun before it entered never
     * reaches it), and leaves at once if one is.
     */
    public boolean interrupting() {
        synchronized (interrupts) {
            return interrupts[0] > 0;
        }
    }

    /** Waits until no {@link #interrupt} is in progress (outside the context). */
    public void awaitNoInterrupt() throws InterruptedException {
        synchronized (interrupts) {
            while (interrupts[0] > 0) {
                interrupts.wait();
            }
        }
    }

    /**
     * Runs {@code r} on the strand each time the session is cancelled or closed, after its
     * root scope: for work the guest keeps beyond one task (timers). Call on the strand.
     */
    public void onCancel(Runnable r) {
        cancelListeners.add(r);
    }

    /** Cancels the root scope, then tells the cancel listeners (on the strand). */
    void cancelAll() {
        Scope old = root;
        root = new Scope(null); // the session stays usable: later evaluations wait in a fresh scope
        if (current == old) {
            current = root;
        }
        old.cancel();
        for (Runnable r : List.copyOf(cancelListeners)) {
            r.run();
        }
    }

    /** The strand this guest's code runs on (for runtime APIs that take one, such as {@code JoinSet.spawnOn}). */
    public Strand strand() {
        return strand;
    }

    /** The file system the context loads modules from (plugins register sources there). */
    public GuestFileSystem fileSystem() {
        return files;
    }

    /**
     * The session's standard output, where the language's printing (its {@code print},
     * {@code console.log}) must write: the host's stream, or the session's
     * {@link OutputSink} (see {@link GuestSession#redirectOutput}).
     */
    public java.io.PrintStream out() {
        return output.outPrinter();
    }

    /** The session's standard error (see {@link #out()}). */
    public java.io.PrintStream err() {
        return output.errPrinter();
    }

    /** Errors no guest code could catch any more (see {@link #noteUncaught()}). */
    private final java.util.concurrent.atomic.AtomicInteger uncaught = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * For language plugins: an error no guest code can catch any more was reported (a timer
     * callback that threw, a promise rejection nobody handled). The session keeps running;
     * a job runner fails the job at its end ({@link GuestSession#uncaughtErrors()}).
     */
    public void noteUncaught() {
        uncaught.incrementAndGet();
    }

    int uncaughtErrors() {
        return uncaught.get();
    }

    /** The plugin of this guest's language. */
    public LanguagePlugin plugin() {
        return plugin;
    }

    /** The language of this guest (set once its globals are installed). */
    public LanguageAdapter language() {
        return lang;
    }

    /**
     * Spawns a task that belongs to the session itself rather than to a guest task (the rest
     * of a cancelled coroutine's clean-up): cancelling or closing the session aborts it. Call
     * on the strand.
     */
    public <T> JoinHandle<T> spawnOwned(String taskName, Future<T> f) {
        Scope scope = root;
        Owned<T> owned = new Owned<>(f, scope);
        JoinHandle<T> h = strand.spawn(taskName, owned);
        owned.handle = h.abortHandle();
        scope.add(owned.handle);
        return h;
    }

    /** A future that leaves its scope once it is done (see {@link #spawnOwned}). */
    private static final class Owned<T> implements Future<T> {
        private final Future<T> f;
        private final Scope scope;
        dev.braid.runtime.AbortHandle handle;

        Owned(Future<T> f, Scope scope) {
            this.f = f;
            this.scope = scope;
        }

        @Override
        public Poll<T> poll(Context cx) {
            boolean done = false;
            try {
                Poll<T> p = f.poll(cx);
                done = p.isReady();
                return p;
            } catch (RuntimeException | Error e) {
                done = true;
                throw e;
            } finally {
                if (done && handle != null) {
                    scope.remove(handle);
                }
            }
        }

        @Override
        public void drop() {
            f.drop();
        }
    }

    /** Spawns a task on this guest's strand (from any thread). */
    public <T> JoinHandle<T> spawn(String taskName, Future<T> f) {
        return strand.spawn(taskName, f);
    }

    // ---- guest code as Braid tasks --------------------------------------------------------

    /**
     * A future whose first poll calls {@code fn(args)} inside the guest (lazy: nothing runs
     * before), then waits for the awaitable it returned. Its waits belong to a fresh scope,
     * cancelled when the future is dropped (aborted, or a losing select branch).
     */
    public Future<Object> call(Value fn, Object... args) {
        return new GuestCall(this, fn, args);
    }

    /**
     * Whether the guest task whose code runs now has been cancelled, as a check that stays
     * valid after this call: language plugins tag the task's code with it, so that its
     * continuations can be stopped later ({@link LanguageAdapter#taskCancelled}). Call on the
     * strand.
     */
    public java.util.function.BooleanSupplier currentTaskCancelled() {
        Scope s = current;
        return s::isCancelled;
    }

    /** A Braid future for a guest value: awaits it if it is awaitable, else its value. */
    public Future<Object> await(Value v) {
        Awaitable a = lang.unwrap(v);
        if (a != null) {
            return a.future();
        }
        if (lang.isAwaitable(v)) {
            return lang.await(v);
        }
        return Future.ready(v);
    }

    /** A guest awaitable for a Braid future (lazy: the future starts when first awaited). */
    public Value awaitable(java.util.function.Supplier<? extends Future<?>> source) {
        return lang.wrap(new Awaitable(source, null));
    }

    /** A task handle: awaiting it joins the task; a combinator that drops it aborts the task. */
    public Value handle(JoinHandle<?> h, Map<String, Object> members) {
        return lang.wrap(new Awaitable(h, members));
    }

    /** An awaitable that fails with the guest error {@code error} (a rejected promise, a raising awaitable). */
    public Value failed(Value error) {
        return awaitable(() -> Future.failed(rejection(error)));
    }

    /**
     * A new wait for the Braid future behind a guest value if it is one of ours, else null.
     * The caller owns the wait (polls it, drops it); every wait shares one outcome.
     */
    public Future<Object> unwrap(Value v) {
        Awaitable a = v == null ? null : lang.unwrap(v);
        return a == null ? null : a.future();
    }

    /** An awaitable with extra members (a task handle's {@code abort}, {@code id}...). */
    public Value awaitable(java.util.function.Supplier<? extends Future<?>> source, Map<String, Object> members) {
        return lang.wrap(new Awaitable(source, members));
    }

    /**
     * Runs {@code f} on the strand until it completes, then settles {@code resolve} or
     * {@code reject} inside the guest (for languages whose awaitables settle by callback). The
     * settling task belongs to the current scope, so it is aborted (and never settles) if the
     * awaiting guest task is cancelled.
     */
    public void settleLater(Future<?> f, Value resolve, Value reject) {
        Scope scope = current;
        Settle s = new Settle(this, f, resolve, reject, scope);
        JoinHandle<Void> h = strand.spawn("await", s);
        s.handle = h.abortHandle();
        scope.add(s.handle);
    }

    private static final class Settle implements Future<Void> {
        private final Guest guest;
        private final Future<?> f;
        private final Value resolve;
        private final Value reject;
        private final Scope scope;
        dev.braid.runtime.AbortHandle handle;

        Settle(Guest guest, Future<?> f, Value resolve, Value reject, Scope scope) {
            this.guest = guest;
            this.f = f;
            this.resolve = resolve;
            this.reject = reject;
            this.scope = scope;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            Object value;
            Throwable error = null;
            try {
                Poll<?> p = f.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                value = p.value();
            } catch (Throwable t) {
                value = null;
                error = t;
            }
            if (handle != null) {
                scope.remove(handle);
            }
            Scope prev = guest.current;
            guest.current = scope; // the continuation that runs now belongs to the awaiting task
            try {
                if (error == null) {
                    resolve.executeVoid(guest.toGuest(value));
                } else {
                    reject.executeVoid(guest.toGuestError(error));
                }
            } finally {
                guest.current = prev;
            }
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            f.drop();
        }
    }

    /** The body of a guest-callable host function. */
    public interface Body {
        Object apply(Value[] args) throws Exception;
    }

    /**
     * A function guest code can call; a Java exception it throws reaches the guest as the
     * language's error ({@link #guestException}), catchable there. It runs on the strand:
     * called from another thread of a context that takes several (a Python session's main
     * thread, see {@link LanguagePlugin#topLevelOnOwnThread}, or a blocking-pool thread), it
     * runs as a task of the strand while the calling thread waits, so the bridge's
     * strand-confined state is only ever touched there.
     */
    public org.graalvm.polyglot.proxy.ProxyExecutable function(Body body) {
        return args -> {
            if (!onStrand()) {
                return onStrandAndWait(body, args);
            }
            try {
                return body.apply(args);
            } catch (Exception e) {
                throw guestException(e);
            }
        };
    }

    /**
     * A function guest code can call from any thread, run where it is called: for functions
     * that decide themselves what to do off the strand (a Python session's {@code braid.run},
     * which blocks its caller). See {@link #function}.
     */
    public org.graalvm.polyglot.proxy.ProxyExecutable anyThreadFunction(Body body) {
        return args -> {
            try {
                return body.apply(args);
            } catch (Exception e) {
                throw guestException(e);
            }
        };
    }

    /** Whether the calling thread runs the strand now (inside one of its slices). */
    public boolean onStrand() {
        return Thread.currentThread() == sliceThread;
    }

    /**
     * The language's word on what runs on the strand, inside the task the runtime sees
     * (Python: the asyncio task a Braid loop steps), for stall reports; null for nothing.
     */
    public void activity(Activity what) {
        activity = what;
    }

    /** {@link #activity(Activity) The activity} if {@code thread} runs this guest's strand now, else null. */
    Activity activityOn(Thread thread) {
        Activity a = activity;
        return a != null && sliceThread == thread ? a : null;
    }

    /**
     * Runs {@code body(args)} as a task of the strand and waits for it, from a thread that is
     * not the strand's. The waiting thread is in a host call, so a language with a global
     * lock (GraalPy's GIL) lets the strand run guest code meanwhile.
     */
    private Object onStrandAndWait(Body body, Value[] args) {
        Object[] out = new Object[1];
        Exception[] failure = new Exception[1];
        try {
            runtime.blockOn(strand.spawn("call from " + Thread.currentThread().getName(), cx -> {
                try {
                    out[0] = body.apply(args);
                } catch (Exception e) {
                    failure[0] = e;
                }
                return Poll.ready(null);
            }));
        } catch (RuntimeException e) { // cancelled: the session closed, the runtime shut down
            throw guestException(e);
        }
        if (failure[0] != null) {
            throw guestException(failure[0]);
        }
        return out[0];
    }

    /**
     * Awaits the guest awaitable {@code v} from a thread that is not the strand's (a Python
     * session's main thread in {@code braid.run}): it runs as a task of the session, which
     * its cancellation aborts, while this thread blocks outside the runtime's workers.
     * Returns the settled value as a guest value; a failure is thrown as the exception
     * Braid carries it in ({@link #guestException} makes it the guest's error again).
     */
    public Object awaitFromElsewhere(Value v) {
        if (onStrand()) {
            throw new IllegalStateException("cannot block the strand to await: await it instead");
        }
        JoinHandle<Object> h = spawnFromElsewhere("main", () -> await(v));
        elsewhere.put(h, Thread.currentThread());
        try {
            return toGuest(runtime.blockOn(h));
        } catch (RuntimeException e) {
            if (interruptFor.compareAndSet(Thread.currentThread(), null)) {
                // Ctrl-C while it waited: the coroutine was cancelled, and the waiter gets the interrupt
                throw lang.newError(LanguageAdapter.ErrorKind.INTERRUPTED, null, "").throwException();
            }
            throw e;
        } finally {
            elsewhere.remove(h);
        }
    }

    /** The thread an interrupt asked for by {@link GuestSession#interruptMainThread} is for, until it is delivered. */
    final java.util.concurrent.atomic.AtomicReference<Thread> interruptFor = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Spawns the future {@code body} makes (on the strand) as a task of the session, which
     * its cancellation aborts, from a thread that is not the strand's; waits only until it is
     * spawned.
     */
    public <T> JoinHandle<T> spawnFromElsewhere(String taskName, java.util.function.Supplier<Future<T>> body) {
        Object[] handle = new Object[1];
        Exception[] failure = new Exception[1];
        runtime.blockOn(strand.spawn("start " + taskName, cx -> {
            try {
                handle[0] = spawnOwned(taskName, body.get());
            } catch (Exception e) {
                failure[0] = e;
            }
            return Poll.ready(null);
        }));
        if (failure[0] != null) {
            throw guestException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        JoinHandle<T> h = (JoinHandle<T>) handle[0];
        return h;
    }

    /** The tasks threads other than the strand's wait for now ({@link #awaitFromElsewhere}), and the thread that waits. */
    private final Map<JoinHandle<?>, Thread> elsewhere = new java.util.concurrent.ConcurrentHashMap<>();

    /** Aborts what threads other than the strand's wait for, so that they return to guest code (any thread). */
    void abortWaitsElsewhere() {
        for (JoinHandle<?> h : elsewhere.keySet()) {
            h.abort();
        }
    }

    /** Aborts what {@code thread} waits for ({@link #awaitFromElsewhere}), so that it returns to guest code (any thread). */
    void abortWaitsOf(Thread thread) {
        elsewhere.forEach((h, t) -> {
            if (t == thread) {
                h.abort();
            }
        });
    }

    /**
     * Binds the host's functions as globals of the language {@code languageId}: arguments
     * arrive as Java data, a returned future or stage is awaitable in the guest. Done before
     * the plugin installs its globals (which may look them up).
     */
    void bindHostFunctions(Map<String, HostFunction> functions, String languageId) {
        Value bindings = context.getBindings(languageId);
        for (Map.Entry<String, HostFunction> e : functions.entrySet()) {
            HostFunction f = e.getValue();
            bindings.putMember(e.getKey(), function(a -> {
                List<Object> args = new ArrayList<>(a.length);
                for (Value v : a) {
                    args.add(toHost(v));
                }
                return toGuest(f.call(args));
            }));
        }
    }

    // ---- values across the boundary -------------------------------------------------------

    /** A guest value as a Java value: primitives, strings, {@code List}, {@code Map} (copied). */
    public Object toHost(Value v) {
        return toHost(v, new IdentityHashMap<>(), 0);
    }

    private Object toHost(Value v, IdentityHashMap<Object, Object> seen, int depth) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            if (v.fitsInInt()) {
                return v.asInt();
            }
            if (v.fitsInLong()) {
                return v.asLong();
            }
            if (v.fitsInDouble()) {
                return v.asDouble();
            }
            return v.fitsInBigInteger() ? v.asBigInteger() : v.toString(); // a Python int past 64 bits, a big JS BigInt
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isHostObject()) {
            return v.asHostObject();
        }
        if (lang.unwrap(v) != null) {
            return v;
        }
        if (depth > 64) {
            return v.toString();
        }
        if (v.hasArrayElements()) {
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < v.getArraySize(); i++) {
                out.add(toHost(v.getArrayElement(i), seen, depth + 1));
            }
            return out;
        }
        if (v.canExecute() || lang.isAwaitable(v)) {
            return v; // functions and promises stay guest values
        }
        if (v.hasHashEntries()) { // a Python dict, a JS Map
            Map<String, Object> out = new LinkedHashMap<>();
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value entry = it.getIteratorNextElement();
                Object k = toHost(entry.getArrayElement(0), seen, depth + 1);
                out.put(String.valueOf(k), toHost(entry.getArrayElement(1), seen, depth + 1));
            }
            return out;
        }
        if (v.hasMembers() && lang.isRecord(v)) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : v.getMemberKeys()) {
                out.put(k, toHost(v.getMember(k), seen, depth + 1));
            }
            return out;
        }
        return v.hasMembers() ? v : v.toString(); // an object of the language's own: stays a guest value
    }

    /** A Java value as a guest value: futures and stages become awaitables. */
    public Object toGuest(Object o) {
        if (o == null || o instanceof Value || o instanceof String || o instanceof Number || o instanceof Boolean
                || o instanceof Character) {
            return o;
        }
        if (o instanceof Future<?> f) {
            return awaitable(() -> f);
        }
        if (o instanceof CompletionStage<?> st) {
            return awaitable(() -> Future.fromStage(st));
        }
        if (o instanceof List<?> l) {
            List<Object> conv = new ArrayList<>(l.size());
            for (Object e : l) {
                conv.add(toGuest(e));
            }
            return ProxyArray.fromList(conv);
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> conv = new LinkedHashMap<>();
            m.forEach((k, v) -> conv.put(String.valueOf(k), toGuest(v)));
            return ProxyObject.fromMap(conv);
        }
        return o; // an opaque host object: guests can pass it around, not look inside
    }

    /** A Java exception as a guest error value (a guest error keeps its original value). */
    public Value toGuestError(Throwable t) {
        Throwable e = t;
        while (e instanceof JoinError je && je.isFailed() && je.getCause() != null) {
            e = je.getCause();
        }
        if (e instanceof GuestError g && g.guestValue != null) {
            return g.guestValue;
        }
        if (e instanceof PolyglotException pe && pe.isGuestException() && pe.getGuestObject() != null) {
            return pe.getGuestObject();
        }
        if (e instanceof PolyglotException pe && (pe.isInterrupted() || pe.isCancelled())) {
            // guest code interrupted by GuestSession.cancel() or close(): what awaited it sees why
            return lang.newError(LanguageAdapter.ErrorKind.CANCELLED, null, pe.isInterrupted()
                    ? "the session was cancelled while this guest code ran" : "the session was closed while this guest code ran");
        }
        if (e instanceof dev.braid.time.ElapsedException) {
            return lang.newError(LanguageAdapter.ErrorKind.TIMEOUT, null, e.getMessage());
        }
        if (e instanceof JoinError je && je.isCancelled() || e instanceof java.util.concurrent.CancellationException) {
            return lang.newError(LanguageAdapter.ErrorKind.ABORTED, null, e.getMessage());
        }
        if (e instanceof PermissionDenied) {
            return lang.newError(LanguageAdapter.ErrorKind.PERMISSION_DENIED, null, e.getMessage());
        }
        return lang.newError(LanguageAdapter.ErrorKind.HOST, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }

    /**
     * For host functions called by the guest: {@code e} as an exception that reaches the
     * guest as a guest error (catchable there, with its name and message).
     */
    public RuntimeException guestException(Throwable e) {
        if (e instanceof PolyglotException pe) {
            return pe; // already a guest exception on its way out
        }
        Value v = toGuestError(e);
        return v.throwException();
    }

    /**
     * The Java exception for a rejection value (one place: the error boundary): the
     * {@link GuestError} that describes it, carrying the value for the way back in.
     */
    public RuntimeException rejection(Value error) {
        GuestError described = lang.toHostError(error, null);
        described.guestValue = error;
        return described;
    }

    /**
     * Whether a guest task failed only because its session was cancelled or closed: guest
     * code interrupted ({@code GuestSession.cancel}) or its context closed under it, or an
     * evaluation or wait that the cancellation ended. Such failures are not reported as
     * unretrieved; whoever joins the task still gets them.
     */
    static boolean isCancellation(Throwable failure) {
        Throwable c = failure;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) { // bounded: causes may cycle
            if (c instanceof java.util.concurrent.CancellationException
                    || c instanceof PolyglotException pe && (pe.isInterrupted() || pe.isCancelled()) || isTruffleStop(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Truffle's own exception for an interrupted or cancelled context
     * ({@code Context.interrupt}, {@code close(true)}), when it reaches host code as it is
     * rather than as a {@link PolyglotException}: the slice keeps the context entered between
     * guest calls, and the interrupt may fire there. Recognised by name: it is Truffle's
     * implementation, not API.
     */
    private static boolean isTruffleStop(Throwable t) {
        String n = t.getClass().getName();
        return n.startsWith("com.oracle.truffle.polyglot.PolyglotEngineImpl$")
                && (n.endsWith("$InterruptExecution") || n.endsWith("$CancelExecution"));
    }

    /** Converts whatever guest code threw into the Java exception callers see. */
    public static RuntimeException hostError(Throwable t) {
        Throwable e = t;
        while (e instanceof JoinError je && je.isFailed() && je.getCause() != null) {
            e = je.getCause();
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new RuntimeException(e);
    }
}
