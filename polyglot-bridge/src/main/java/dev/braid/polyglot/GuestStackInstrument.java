package dev.braid.polyglot;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.ThreadLocalAction;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.TruffleStackTraceElement;
import com.oracle.truffle.api.frame.FrameInstance;
import com.oracle.truffle.api.instrumentation.ThreadsListener;
import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Truffle instrument that asks a thread running guest code for its own guest stack, with
 * the line each frame is at: the line running in the innermost frame, and the line of the
 * call in each caller. The polyglot API cannot look at another thread's guest stack (its JVM
 * stack shows only interpreter frames); a thread-local action can: the thread performs it at
 * its next guest safepoint (every loop iteration and call polls one) and walks its frames.
 * Each frame is described the way its language describes it in its own stack traces (the
 * frame's guest object: executable name and source location), so it works for every
 * language, bytecode interpreters included; a language whose frame objects name only the
 * function (GraalPy's own bytecode interpreter) gives the line through its plugin's
 * {@link FrameLines}.
 *
 * <p>Which context to ask: the instrument keeps, for each thread, the contexts it has been
 * initialized in (a threads listener; a context forgets its threads when it closes), and
 * asks in each of them. Only the context the thread is in can perform the action; the others
 * are withdrawn when the first answer arrives or the wait times out.
 *
 * <p>Registered by hand ({@link GuestStackInstrumentProvider}); public only for Truffle's
 * service loader. The bridge looks up its {@link Sampler} when it builds an engine.
 */
@TruffleInstrument.Registration(id = GuestStackInstrument.ID, name = "Braid guest stacks", version = "1.0",
        services = GuestStackInstrument.Sampler.class)
public final class GuestStackInstrument extends TruffleInstrument {
    static final String ID = "braid-guest-stacks";
    /** Frames walked at most: a report shows fewer, and the stalled thread waits for the walk. */
    static final int MAX_FRAMES = 40;

    private Env env;
    private final Map<Thread, Set<TruffleContext>> contexts = new ConcurrentHashMap<>();

    /**
     * One frame of a guest stack: the function's name ("" at top level), its source, line and
     * column (0: unknown). {@code atItsStart}: the frame is at the whole function rather than
     * a line in it, as a language's entry frame that calls the function's body is (Graal.js
     * runs an async function's body in a root of its own below such a frame).
     */
    public record Frame(String name, String source, int line, int column, boolean atItsStart) {
    }

    /**
     * The line a frame of some language is at, for a language whose frame objects give only
     * the function (a {@link LanguagePlugin#frameLines}); 0 if it is not one of its frames or
     * it cannot tell. Called on the sampled thread, inside its guest code: it must be quick
     * and must not run guest code.
     */
    @FunctionalInterface
    public interface FrameLines {
        int line(RootNode root, com.oracle.truffle.api.frame.Frame frame);
    }

    /** The service the bridge looks up (through {@code Engine.getInstruments()}). */
    public final class Sampler {
        private Sampler() {
        }

        /**
         * The guest frames {@code thread} is running, innermost first, without the languages'
         * internal ones; null if it reaches no guest safepoint within {@code timeoutMillis}
         * (it runs host code, or is blocked) or is in no context of this engine.
         */
        /** See {@link GuestStackInstrument#raiseIn}. */
        public boolean raiseIn(Thread thread, String language, String code, java.util.function.BooleanSupplier go) {
            return GuestStackInstrument.this.raiseIn(thread, language, code, go);
        }

        public List<Frame> stackOf(Thread thread, long timeoutMillis, List<FrameLines> lines) {
            Set<TruffleContext> in = contexts.get(thread);
            if (in == null || in.isEmpty()) {
                return null;
            }
            CompletableFuture<List<Frame>> answer = new CompletableFuture<>();
            ThreadLocalAction walk = new ThreadLocalAction(false, false) {
                @Override
                protected void perform(Access access) {
                    // Runs inside the stalled guest code: nothing may escape into it.
                    try {
                        answer.complete(walkFrames(access.getLocation(), lines));
                    } catch (Throwable e) {
                        answer.completeExceptionally(e);
                    }
                }
            };
            List<Future<Void>> asked = new ArrayList<>();
            try {
                for (TruffleContext tc : in) {
                    try {
                        asked.add(env.submitThreadLocal(tc, new Thread[] {thread}, walk));
                    } catch (IllegalStateException | IllegalArgumentException closedOrGone) {
                        // closed meanwhile, or the thread left it: not where the thread is
                    }
                }
                return asked.isEmpty() ? null : answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                return null;
            } finally {
                for (Future<Void> f : asked) {
                    f.cancel(false);
                }
            }
        }
    }

    /**
     * Runs guest code of {@code language} inside the guest code {@code thread} runs now (or
     * next, once it reaches a safepoint), if {@code go} still says so then: code that raises
     * (Python's {@code raise KeyboardInterrupt}) raises where the thread is, as a signal's
     * handler would. Returns false if the thread is in no context of this engine.
     */
    boolean raiseIn(Thread thread, String language, String code, java.util.function.BooleanSupplier go) {
        Set<TruffleContext> in = contexts.get(thread);
        if (in == null || in.isEmpty()) {
            return false;
        }
        ThreadLocalAction raise = new ThreadLocalAction(true, false) {
            @Override
            protected void perform(Access access) {
                if (!go.getAsBoolean()) {
                    return;
                }
                com.oracle.truffle.api.CallTarget target;
                try {
                    target = env.parse(com.oracle.truffle.api.source.Source.newBuilder(language, code, "braid:interrupt")
                            .internal(true).build());
                } catch (java.io.IOException | RuntimeException e) {
                    return; // nothing to raise with: the thread goes on
                }
                target.call();
            }
        };
        boolean submitted = false;
        for (TruffleContext tc : in) {
            try {
                env.submitThreadLocal(tc, new Thread[] {thread}, raise);
                submitted = true;
            } catch (IllegalStateException | IllegalArgumentException closedOrGone) {
                // closed meanwhile, or the thread left it
            }
        }
        return submitted;
    }

    @Override
    protected void onCreate(Env e) {
        this.env = e;
        e.getInstrumenter().attachThreadsListener(new ThreadsListener() {
            @Override
            public void onThreadInitialized(TruffleContext context, Thread thread) {
                contexts.computeIfAbsent(thread, t -> ConcurrentHashMap.newKeySet()).add(context);
            }

            @Override
            public void onThreadDisposed(TruffleContext context, Thread thread) {
                contexts.computeIfPresent(thread, (t, set) -> {
                    set.remove(context);
                    return set.isEmpty() ? null : set;
                });
            }
        }, true);
        e.registerService(new Sampler());
    }

    /** Runs on the sampled thread, inside its guest code: its frames, innermost first. */
    private static List<Frame> walkFrames(Node location, List<FrameLines> lines) {
        List<Frame> frames = new ArrayList<>();
        boolean[] first = {true};
        Truffle.getRuntime().iterateFrames((FrameInstance fi) -> {
            Node at = fi.getCallNode();
            if (first[0]) {
                first[0] = false;
                if (location != null) {
                    at = location; // the innermost frame: where the safepoint was
                }
            }
            if (fi.getCallTarget() instanceof RootCallTarget target) {
                Frame f = describe(at, target, fi, lines);
                if (f != null) {
                    frames.add(f);
                }
            }
            return frames.size() >= MAX_FRAMES ? frames : null; // non-null ends the walk
        });
        return frames;
    }

    private static Frame describe(Node at, RootCallTarget target, FrameInstance fi, List<FrameLines> lines) {
        RootNode root = target.getRootNode();
        if (root.isInternal()) {
            return null;
        }
        InteropLibrary lib = InteropLibrary.getUncached();
        String name = root.getName();
        SourceSection where = null;
        try {
            com.oracle.truffle.api.frame.Frame frame = fi.getFrame(FrameInstance.FrameAccess.READ_ONLY);
            int bci = fi.getBytecodeIndex();
            // Without a bytecode index from the frame, the language finds one from the node and frame.
            Object guest = (bci >= 0 ? TruffleStackTraceElement.create(at, target, frame, bci)
                    : TruffleStackTraceElement.create(at, target, frame)).getGuestObject();
            if (guest != null) {
                if (lib.hasExecutableName(guest)) {
                    name = lib.asString(lib.getExecutableName(guest));
                }
                if (lib.hasSourceLocation(guest)) {
                    where = lib.getSourceLocation(guest);
                }
            }
        } catch (UnsupportedMessageException | RuntimeException e) {
            // a language without frame objects: the node's own section below
        }
        if (where == null && at != null) {
            where = at.getEncapsulatingSourceSection();
        }
        if (where == null) {
            where = root.getSourceSection();
        }
        if (where == null || !where.isAvailable() || where.getSource().isInternal()) {
            return null; // the language's own entry roots, synthetic frames, the bridge's helpers
        }
        if (where.equals(root.getSourceSection())) {
            for (FrameLines finder : lines) {
                int line = finder.line(root, fi.getFrame(FrameInstance.FrameAccess.READ_ONLY));
                if (line > 0) {
                    return new Frame(name == null ? "" : name, where.getSource().getName(), line, 0, false);
                }
            }
        }
        return new Frame(name == null ? "" : name, where.getSource().getName(), where.getStartLine(),
                where.hasColumns() ? where.getStartColumn() : 0, where.equals(root.getSourceSection()));
    }
}
