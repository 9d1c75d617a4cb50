package dev.braid.polyglot.js;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.ContextLocal;
import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.EventContext;
import com.oracle.truffle.api.instrumentation.ExecutionEventNode;
import com.oracle.truffle.api.instrumentation.SourceSectionFilter;
import com.oracle.truffle.api.instrumentation.StandardTags;
import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.nodes.RootNode;

/**
 * A Truffle instrument that keeps the code of a cancelled guest task from ever running again,
 * even where it awaits a plain JS promise that something else settles. JavaScript has no hook
 * for that; the engine does.
 *
 * <p><b>Which code belongs to which task.</b> Every call the bridge makes into a guest task
 * (and every top-level evaluation) runs inside {@code AsyncContext.Variable.run(token, ...)}
 * (Graal.js option {@code js.async-context}, see {@link JsAdapter}); the engine carries the
 * token along every promise reaction, so each continuation of an async function sees the
 * token of the task that awaited. The token is a host function that says whether the task's
 * {@code Scope} has been cancelled. A per-context JS function {@value #CHECK} (in the polyglot
 * bindings, which guests cannot reach) reads it.
 *
 * <p><b>Where code is stopped.</b> Graal.js runs every start and every resumption of an async
 * function (and async generator, and module with top-level await) through a resumption root
 * whose body carries {@link StandardTags.RootBodyTag}. On entering such a body in an armed
 * context, the event node asks the check; for a cancelled task it throws an unwind
 * ({@link EventContext#createUnwind}) that its own {@link ExecutionEventNode#onUnwind} catches
 * at once, so the body returns before any of its statements runs: no code after the await, no
 * {@code catch}, no {@code finally}. Graal.js's {@code try} nodes do not intercept an unwind.
 * The body "returns" a fresh promise that never settles, so the async function's own promise
 * stays pending: whoever awaits it (the task's outer functions) is never resumed either.
 *
 * <p><b>Cost.</b> Nothing until a started task is cancelled: the instrument is looked up (and
 * made) only then, and attaches its bindings once per engine. From then on every async body
 * entry in the engine pays a context-local flag read; only contexts where a task was
 * cancelled ({@link Control#arm}) also call the check (a JS call and a host call).
 *
 * <p>Registered by hand ({@link CancelledAwaitsProvider}; the Truffle annotation processor is
 * not on the build's path). Public only for Truffle's service loader.
 */
@TruffleInstrument.Registration(id = CancelledAwaits.ID, name = "Braid cancelled awaits", version = "1.0",
        services = CancelledAwaits.Control.class)
public final class CancelledAwaits extends TruffleInstrument {
    static final String ID = "braid-cancelled-awaits";
    /** Polyglot binding: a JS function, true when the running code belongs to a cancelled task. */
    static final String CHECK = "braid.cancel.check";
    /** Polyglot binding: a JS function making a promise that never settles. */
    static final String PENDING = "braid.cancel.pending";
    /** Graal.js's resumption roots (async functions, async generators, top-level await) implement it. */
    private static final String ASYNC_ROOT = "com.oracle.truffle.js.nodes.promise.AsyncRootNode";
    private static final Object STOP = new Object();

    private final ContextLocal<State> states = locals.createContextLocal((TruffleContext c) -> new State());
    private Env env;
    private boolean attached; // guarded by this
    /** Set when a task was cancelled outside any context: every context checks. */
    private volatile boolean armAll;

    /** Per context: armed once a task of it was cancelled; the bridge's functions, looked up lazily. */
    static final class State {
        volatile boolean armed;
        Object check;
        Object pending;
        boolean looked;
    }

    /** The service the bridge looks up (through {@code Engine.getInstruments()}). */
    public final class Control {
        private Control() {
        }

        /** Whether the instrument's bindings are attached: arming is cheap from then on. */
        public boolean attached() {
            synchronized (CancelledAwaits.this) {
                return attached;
            }
        }

        /**
         * Makes code of cancelled tasks in the context entered on this thread stop at its next
         * async resumption (and attaches the instrument's bindings to the engine the first
         * time). Called on the guest's strand when a started task is cancelled; without an
         * entered context every context is armed.
         */
        public void arm() {
            attach();
            TruffleContext tc = env.getEnteredContext();
            if (tc == null) {
                armAll = true;
            } else {
                states.get(tc).armed = true;
            }
        }
    }

    @Override
    protected void onCreate(Env e) {
        this.env = e;
        e.registerService(new Control());
    }

    private synchronized void attach() {
        if (attached) {
            return;
        }
        attached = true;
        env.getInstrumenter().attachExecutionEventFactory(
                SourceSectionFilter.newBuilder().tagIs(StandardTags.RootBodyTag.class).build(),
                ctx -> isAsyncRoot(ctx.getInstrumentedNode().getRootNode()) ? new StopNode(ctx) : null);
    }

    private static boolean isAsyncRoot(RootNode root) {
        for (Class<?> c = root == null ? null : root.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(ASYNC_ROOT)) {
                    return true;
                }
            }
        }
        return false;
    }

    private final class StopNode extends ExecutionEventNode {
        private final EventContext context;
        @Child private InteropLibrary interop = InteropLibrary.getFactory().createDispatched(2);

        StopNode(EventContext context) {
            this.context = context;
        }

        @Override
        protected void onEnter(VirtualFrame frame) {
            State s = states.get();
            if (!s.armed && !armAll) {
                return;
            }
            if (!s.looked) {
                lookUp(s);
            }
            if (s.check == null) {
                return; // not a context of the bridge
            }
            boolean cancelled;
            try {
                cancelled = interop.asBoolean(interop.execute(s.check));
            } catch (InteropException e) {
                throw CompilerDirectives.shouldNotReachHere(e);
            }
            if (cancelled) {
                throw context.createUnwind(STOP);
            }
        }

        @Override
        protected Object onUnwind(VirtualFrame frame, Object info) {
            return info == STOP ? neverSettles(states.get()) : null;
        }
    }

    @TruffleBoundary
    private void lookUp(State s) {
        InteropLibrary lib = InteropLibrary.getUncached();
        try {
            Object bindings = env.getPolyglotBindings();
            if (lib.isMemberReadable(bindings, CHECK) && lib.isMemberReadable(bindings, PENDING)) {
                s.check = lib.readMember(bindings, CHECK);
                s.pending = lib.readMember(bindings, PENDING);
            }
        } catch (InteropException e) {
            s.check = null;
        }
        s.looked = true;
    }

    @TruffleBoundary
    private static Object neverSettles(State s) {
        try {
            return InteropLibrary.getUncached().execute(s.pending);
        } catch (InteropException e) {
            throw CompilerDirectives.shouldNotReachHere(e);
        }
    }
}
