package dev.braid.polyglot.js;

import dev.braid.future.Future;
import dev.braid.polyglot.Awaitable;
import dev.braid.polyglot.AwaitFuture;
import dev.braid.polyglot.CompletionTarget;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.LanguageAdapter;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Promises and errors of one JavaScript context, through a few helper functions. */
final class JsAdapter implements LanguageAdapter {
    private final Value isThenable;
    private final Value onSettled;
    private final Value newPromise;
    private final Value newError;
    private final Value describe;

    JsAdapter(Guest guest) {
        // An internal source: its frames stay out of guest stacks and error positions.
        Value h = guest.context().eval(org.graalvm.polyglot.Source.newBuilder("js", """
                (() => {
                  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function')
                      && typeof v.then === 'function';
                  const onSettled = (p, ok, bad) => { Promise.resolve(p).then((v) => ok(v), (e) => bad(e)); };
                  const newPromise = (cb) => new Promise((resolve, reject) => cb(resolve, reject));
                  const newError = (name, message) => {
                    // The stack is formatted when first read, with this name; this source is
                    // internal, so it shows the guest frames that called into the host, if any.
                    const e = new Error(message); e.name = name; return e;
                  };
                  // Calls fn(...args): null if it returned a thenable (settle(v) or settle(e, false)
                  // is called when it settles), else [its value].
                  const call = (fn, settle, args) => {
                    const r = args.length === 0 ? fn() : fn(...args);
                    if (isThenable(r)) {
                      // settle itself is the fulfilment handler: one closure less per call
                      Promise.resolve(r).then(settle, (e) => { settle(e, false); });
                      return null;
                    }
                    return [r];
                  };
                  // The task whose code runs: a token the engine carries along every promise
                  // reaction (js.async-context), read by CancelledAwaits when code resumes.
                  // The AsyncContext global itself (a proposal) is not part of Braid's API.
                  const taskOf = typeof AsyncContext === 'undefined' ? undefined : new AsyncContext.Variable();
                  delete globalThis.AsyncContext;
                  // The arguments come as arguments, not as a host array (spreading a foreign
                  // array is slow).
                  const invoke = (fn, settle, token, ...args) => taskOf === undefined
                      ? call(fn, settle, args) : taskOf.run(token, call, fn, settle, args);
                  const cancelled = () => {
                    const t = taskOf === undefined ? undefined : taskOf.get();
                    return t !== undefined && t() === true;
                  };
                  const neverSettles = () => new Promise(() => {});
                  const describe = (e) => (e instanceof Error)
                      ? [String(e.name), String(e.message), String(e.stack || '')]
                      : [null, (() => { try { return typeof e === 'string' ? e : JSON.stringify(e) ?? String(e); }
                                         catch (x) { return String(e); } })(), ''];
                  return { isThenable, onSettled, newPromise, newError, describe, invoke, cancelled, neverSettles, undefined };
                })()
                """, "braid-adapter.js").internal(true).buildLiteral());
        this.isThenable = h.getMember("isThenable");
        this.onSettled = h.getMember("onSettled");
        this.newPromise = h.getMember("newPromise");
        this.newError = h.getMember("newError");
        this.describe = h.getMember("describe");
        this.invoke = h.getMember("invoke");
        this.undefined = h.getMember("undefined");
        this.guest = guest;
        org.graalvm.polyglot.Instrument stopper = guest.context().getEngine().getInstruments().get(CancelledAwaits.ID);
        if (stopper == null) {
            throw new IllegalStateException("the Truffle instrument '" + CancelledAwaits.ID + "' is not registered: "
                    + "META-INF/services/com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider of the "
                    + "polyglot bridge must be visible to the Truffle runtime (put the bridge on the same class path)");
        }
        // Looked up now, not at the first cancellation: creating the instrument adds context
        // locals to every context, which deadlocks with an interrupt of this context in progress
        // (a Ctrl-C cancels the session by interrupting it, then cancelling its tasks).
        this.stopper = stopper.lookup(CancelledAwaits.Control.class);
        Value polyglot = guest.context().getPolyglotBindings();
        polyglot.putMember(CancelledAwaits.CHECK, h.getMember("cancelled"));
        polyglot.putMember(CancelledAwaits.PENDING, h.getMember("neverSettles"));
    }

    private final Value invoke;
    private final Guest guest;
    private final CancelledAwaits.Control stopper;
    private boolean armed;
    private final Value undefined;
    private Value repl;
    private Value inspect;

    /**
     * Calls {@code fn(args)} inside the task's {@code AsyncContext} token: a thenable it
     * returns is observed in the same turn, and its settling settles the returned future.
     */
    @Override
    public Future<Object> call(Value fn, Object[] args) {
        java.util.function.BooleanSupplier cancelled = guest.currentTaskCancelled();
        ProxyExecutable token = a -> cancelled.getAsBoolean();
        AwaitFuture observed = new AwaitFuture(guest, "the guest function's promise", null);
        ProxyExecutable cb = a -> {
            if (a.length == 1) {
                observed.settle(a[0], null);
            } else {
                observed.settle(null, a[0]);
            }
            return null;
        };
        Value r;
        if (args.length == 0) {
            r = invoke.execute(fn, cb, token);
        } else {
            Object[] all = new Object[args.length + 3];
            all[0] = fn;
            all[1] = cb;
            all[2] = token;
            System.arraycopy(args, 0, all, 3, args.length);
            r = invoke.execute(all);
        }
        return r.isNull() ? observed : guest.await(r.getArrayElement(0));
    }

    /** Arms {@link CancelledAwaits} for this context (once): the cancelled task's code never resumes. */
    @Override
    public void taskCancelled() {
        if (!armed) {
            armed = true;
            try {
                if (stopper.attached() || guest.runtime().isShutdown()) {
                    // (During shutdown the workers drain their queues: no hand-off then.)
                    stopper.arm();
                } else {
                    // The first arming in an engine instruments every function loaded so far
                    // (50-200 ms interpreted): hand this worker's queue on meanwhile.
                    dev.braid.runtime.Braid.blockInPlace(() -> {
                        stopper.arm();
                        return null;
                    });
                }
            } catch (IllegalStateException e) {
                // the engine is closed: no code of this context can resume anyway
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public boolean isAwaitable(Value v) {
        return v != null && !v.isNull() && (v.hasMembers() || v.canExecute()) && isThenable.execute(v).asBoolean();
    }

    /** Told of every guest awaitable Braid starts to observe (unhandled-rejection tracking). */
    Consumer<Value> observer;

    @Override
    public Future<Object> await(Value v) {
        return new AwaitFuture(guest, v, f -> {
            if (observer != null) {
                observer.accept(v);
            }
            onSettled.executeVoid(v, (ProxyExecutable) a -> {
                f.settle(a.length > 0 ? a[0] : null, null);
                return null;
            }, (ProxyExecutable) a -> {
                f.settle(null, a.length > 0 ? a[0] : undefined);
                return null;
            });
        });
    }

    @Override
    public Value wrap(Awaitable a) {
        return guest.context().asValue(new Thenable(a));
    }

    @Override
    public Awaitable unwrap(Value v) {
        return v.isProxyObject() && v.asProxyObject() instanceof Thenable t ? t.awaitable : null;
    }

    /** A guest promise for a wait on {@code a}, settled by a task of the current scope. */
    private Value promise(Awaitable a) {
        Future<Object> wait = a.waiter();
        return newPromise.execute((ProxyExecutable) x -> {
            guest.settleLater(wait, x[0], x[1]);
            return null;
        });
    }

    /**
     * A Braid future as a JS thenable: each {@code then} makes a promise settled in the
     * awaiting task's scope, so a cancelled awaiter never strands the others.
     */
    private final class Thenable implements ProxyObject {
        final Awaitable awaitable;

        Thenable(Awaitable awaitable) {
            this.awaitable = awaitable;
        }

        @Override
        public Object getMember(String key) {
            if ("then".equals(key) || "catch".equals(key) || "finally".equals(key)) {
                return (ProxyExecutable) args -> promise(awaitable).invokeMember(key, (Object[]) args);
            }
            return awaitable.members().get(key);
        }

        @Override
        public Object getMemberKeys() {
            List<String> keys = new ArrayList<>(List.of("then", "catch", "finally"));
            keys.addAll(awaitable.members().keySet());
            return ProxyArray.fromList(new ArrayList<>(keys)); // a Java array is not readable under HostAccess.NONE
        }

        @Override
        public boolean hasMember(String key) {
            return "then".equals(key) || "catch".equals(key) || "finally".equals(key) || awaitable.members().containsKey(key);
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException("this Braid object is read-only");
        }
    }

    @Override
    public Value nothing() {
        return undefined;
    }

    @Override
    public Value newError(ErrorKind kind, String hostName, String message) {
        String name = switch (kind) {
            case CANCELLED -> "Cancelled";
            case ABORTED -> "AbortError";
            case TIMEOUT -> "TimeoutError";
            case PERMISSION_DENIED -> "PermissionDenied";
            case CLOSED -> "ClosedError";
            case INTERRUPTED -> "Interrupted"; // JavaScript has no main thread to interrupt: never made
            case HOST -> hostName;
        };
        return newError.execute(name, message);
    }

    // ---- interactive front ends ---------------------------------------------------------

    private Value repl() {
        if (repl == null) {
            repl = guest.context().eval(JsResources.source("repl.js"));
        }
        return repl;
    }

    /**
     * Whether {@code code} fails to parse only because it ends too early: Graal.js reports
     * such an error at the end of the input ({@code Expected } but found eof}), or as an
     * unterminated string, template or comment.
     */
    @Override
    public boolean isIncomplete(String code) {
        if (code.isBlank()) {
            return false;
        }
        try {
            guest.context().parse(org.graalvm.polyglot.Source.newBuilder("js", code, "<input>").buildLiteral());
            return false;
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                return false;
            }
            String m = String.valueOf(e.getMessage());
            if (m.contains("but found eof") || m.contains("Missing close quote") || m.contains("Unterminated template")) {
                return true;
            }
            SourceSection at = e.getSourceLocation();
            return at != null && at.getCharIndex() >= code.stripTrailing().length() && !m.contains("Unexpected token");
        }
    }

    @Override
    public List<String> completions(String line, int cursor) {
        CompletionTarget t = CompletionTarget.of(line, cursor, "[A-Za-z_$]", "[\\w$]");
        if (t == null) {
            return List.of();
        }
        List<String> globals = new ArrayList<>(guest.context().getBindings("js").getMemberKeys());
        return CompletionTarget.strings(repl().getMember("complete").execute(ProxyArray.fromList(new ArrayList<>(t.path())),
                t.prefix(), ProxyArray.fromList(new ArrayList<>(globals))));
    }

    /** {@code _} and {@code _error} as Node's REPL keeps them: globals, overwritten by each evaluation. */
    @Override
    public void remember(Value value, Value error) {
        Value global = guest.context().getBindings("js");
        if (error != null) {
            global.putMember("_error", error);
        } else {
            global.putMember("_", value);
        }
    }

    @Override
    public String inspect(Value v) {
        if (inspect == null) {
            inspect = guest.context().eval(JsResources.source("inspect.js"));
        }
        return inspect.execute(v).asString();
    }

    @Override
    public GuestError toHostError(Value error, Throwable cause) {
        if (error == null && cause instanceof PolyglotException pe) {
            SourceSection loc = pe.getSourceLocation();
            String file = null;
            int line = 0;
            int col = 0;
            if (loc == null) {
                for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
                    if (f.isGuestFrame() && f.getSourceLocation() != null) {
                        loc = f.getSourceLocation();
                        break;
                    }
                }
            }
            if (loc != null && loc.getSource() != null) {
                file = loc.getSource().getName();
                int[] at = SourcePositions.userStart(loc); // the user's position in a rewritten script
                line = at[0];
                col = at[1];
            }
            StringBuilder stack = new StringBuilder();
            for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
                if (f.isGuestFrame()) {
                    stack.append("    at ").append(f).append('\n');
                }
            }
            String msg = pe.isSyntaxError() ? SourcePositions.userMessage(pe.getMessage(), pe.getSourceLocation()) : pe.getMessage();
            String name = pe.isSyntaxError() ? "SyntaxError" : null;
            if (msg != null && name != null && msg.startsWith("SyntaxError: ")) {
                msg = msg.substring("SyntaxError: ".length());
            }
            if (pe.isInterrupted()) {
                name = "Cancelled";
                msg = "the session was cancelled while this guest code ran";
            } else if (pe.isCancelled()) {
                name = "Cancelled";
                msg = "the session was closed while this guest code ran";
            }
            return new GuestError(name, msg, stack.toString(), file, line, col, cause).withFrames("js", frames(stack.toString()));
        }
        Value d = describe.execute(error);
        String name = d.getArrayElement(0).isNull() ? null : d.getArrayElement(0).asString();
        String message = d.getArrayElement(1).asString();
        ErrorPosition at = ErrorPosition.of(error, d.getArrayElement(2).asString());
        String file = at.file;
        int line = at.line;
        int column = at.column;
        if (cause instanceof PolyglotException pe && pe.isSyntaxError() && pe.getSourceLocation() != null) {
            // A parse error has no frame: its position is where the parser stopped.
            SourceSection loc = pe.getSourceLocation();
            message = SourcePositions.userMessage(message, loc);
            if (file == null && loc.getSource() != null) {
                file = loc.getSource().getName();
                int[] user = SourcePositions.userStart(loc);
                line = user[0];
                column = user[1];
            }
        }
        String stack = withoutBridgeFrames(at.stack);
        return new GuestError(name, message, stack, file, line, column, cause).withFrames("js", frames(stack));
    }

    /**
     * The frame of the bridge's own call into a guest task ({@code invoke} runs the task's code
     * inside {@code AsyncContext.Variable.run}, a builtin, which an internal source cannot
     * hide): not the user's, so reports leave it out.
     */
    private static final String BRIDGE_FRAME = "at AsyncContext.Variable.run (native)";

    /** {@code stack} without {@link #BRIDGE_FRAME} lines. */
    static String withoutBridgeFrames(String stack) {
        if (stack == null || !stack.contains(BRIDGE_FRAME)) {
            return stack;
        }
        StringBuilder b = new StringBuilder();
        for (String l : stack.split("\n", -1)) {
            if (!l.strip().equals(BRIDGE_FRAME)) {
                b.append(l).append('\n');
            }
        }
        return b.substring(0, b.length() - 1);
    }

    /** The frames of a JS stack text ({@code at fn (file.js:3:11)} lines), innermost first. */
    private static List<String> frames(String stack) {
        List<String> out = new ArrayList<>();
        if (stack != null) {
            for (String l : stack.split("\n")) {
                String t = l.strip();
                if (t.startsWith("at ")) {
                    out.add(t.substring(3));
                }
            }
        }
        return out;
    }
}
