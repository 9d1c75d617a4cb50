package dev.braid.polyglot.python;

import dev.braid.future.Future;
import dev.braid.polyglot.Awaitable;
import dev.braid.polyglot.CompletionTarget;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestError;
import dev.braid.polyglot.LanguageAdapter;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Coroutines, awaitables and exceptions of one Python context, through the helpers of {@code bridge.py}. */
final class PyAdapter implements LanguageAdapter {
    private static final Source BRIDGE = load("bridge.py");

    final Guest guest;
    private final Value wrap;
    private final Value unwrap;
    private final Value isAwaitable;
    final Value awaiting;
    final Value step;
    final Value close;
    private final Value call;
    final Value program;
    private final Value newError;
    private final Value describe;
    private final Value isIncomplete;
    private final Value complete;
    private final Value repr;
    final Value setArgv;
    /** Rewrites interactive code that awaits at its top level (see {@code await_cell} in bridge.py). */
    final Value awaitCell;
    final Value none;
    /** What {@code bridge.py} returned (the prelude of the {@code braid} module takes some of it). */
    final Value helpers;
    /** Where Python's standard library lives (its frames are not where a script's error is). */
    private final String library;
    /** The {@code braid} module's side (set once it is installed). */
    PyApi api;

    PyAdapter(Guest guest) {
        this.guest = guest;
        Value h = guest.context().eval(BRIDGE);
        this.helpers = h;
        this.library = h.getHashValue("library").asString() + "/";
        this.wrap = h.getHashValue("wrap");
        this.unwrap = h.getHashValue("unwrap");
        this.isAwaitable = h.getHashValue("is_awaitable");
        this.awaiting = h.getHashValue("awaiting");
        this.step = h.getHashValue("step");
        this.close = h.getHashValue("close");
        this.call = h.getHashValue("call");
        this.program = h.getHashValue("program");
        this.newError = h.getHashValue("new_error");
        this.describe = h.getHashValue("describe");
        this.isIncomplete = h.getHashValue("is_incomplete");
        this.complete = h.getHashValue("complete");
        this.repr = h.getHashValue("repr");
        this.setArgv = h.getHashValue("set_argv");
        this.awaitCell = h.getHashValue("await_cell");
        this.none = guest.context().eval(Source.newBuilder("python", "None", "braid-none.py").internal(true).buildLiteral());
    }

    static Source load(String name) {
        try (InputStream in = PyAdapter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/braid/polyglot/python/" + name);
            }
            return Source.newBuilder("python", new String(in.readAllBytes(), StandardCharsets.UTF_8), "braid:" + name)
                    .internal(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code v} for Python: Java null is {@code None}. */
    Object py(Object v) {
        return v == null ? none : v;
    }

    @Override
    public boolean isAwaitable(Value v) {
        return v != null && !v.isNull() && v.hasMembers() && isAwaitable.execute(v).asBoolean();
    }

    @Override
    public Future<Object> await(Value v) {
        return new PyAwait(this, v);
    }

    /** Calls {@code fn(*args)}; a coroutine (or other awaitable) it returns is driven by the future. */
    @Override
    public Future<Object> call(Value fn, Object[] args) {
        Object[] pyArgs = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            pyArgs[i] = py(args[i]);
        }
        Value r = args.length == 0 ? fn.execute() : call.execute(fn, ProxyArray.fromArray(pyArgs));
        return guest.await(r);
    }

    @Override
    public Value wrap(Awaitable a) {
        return a.members().isEmpty() ? wrap.execute(a, none) : wrap.execute(a, org.graalvm.polyglot.proxy.ProxyObject.fromMap(a.members()));
    }

    @Override
    public Awaitable unwrap(Value v) {
        if (v == null || v.isNull() || !v.hasMembers()) {
            return null;
        }
        Value f = unwrap.execute(v);
        return f.isHostObject() && f.asHostObject() instanceof Awaitable a ? a : null;
    }

    /** Python objects cross as guest values; dicts and lists are copied (as hash entries and arrays). */
    @Override
    public boolean isRecord(Value v) {
        return false;
    }

    /** Lists and dicts of Python's own for data from another language (see {@code Crossing}). */
    @Override
    public Object fromJava(Object data) {
        if (data instanceof List<?> l) {
            return helpers.getHashValue("make_list").execute(ProxyArray.fromList(new ArrayList<>(l)));
        }
        if (data instanceof java.util.Map<?, ?> m) {
            return helpers.getHashValue("make_dict").execute(ProxyArray.fromList(new ArrayList<>(m.keySet())),
                    ProxyArray.fromList(new ArrayList<>(m.values())));
        }
        return null;
    }

    @Override
    public Value nothing() {
        return none;
    }

    @Override
    public Value newError(ErrorKind kind, String hostName, String message) {
        return newError.execute(kind.name(), hostName == null ? "" : hostName, message == null ? "" : message);
    }

    /** A position in a Python traceback line: {@code File "x.py", line 3}. */
    private static final Pattern FILE_LINE = Pattern.compile("File \"(.*)\", line (\\d+)");

    @Override
    public GuestError toHostError(Value error, Throwable cause) {
        if (error == null && cause instanceof PolyglotException pe) {
            return fromPolyglot(pe, cause);
        }
        Value d = describe.execute(error);
        String name = d.getArrayElement(0).isNull() ? null : d.getArrayElement(0).asString();
        String message = d.getArrayElement(1).asString();
        String stack = d.getArrayElement(2).asString();
        Value frames = d.getArrayElement(3);
        String file = null;
        int line = 0;
        // The innermost frame of the script's own code: not Braid's bridge and, if there is
        // such a frame, not Python's standard library (an error raised in open() is reported
        // where the script called it).
        for (int pass = 0; pass < 2 && file == null; pass++) {
            for (long i = frames.getArraySize() - 1; i >= 0; i--) {
                Value f = frames.getArrayElement(i);
                String fn = f.getArrayElement(0).asString();
                if (!fn.startsWith("braid:") && (pass == 1 || !fn.startsWith(library))) {
                    file = fn;
                    line = f.getArrayElement(1).asInt();
                    break;
                }
            }
        }
        if (file == null && "SyntaxError".equals(name) && error.hasMembers()) {
            Value fn = error.getMember("filename");
            Value ln = error.getMember("lineno");
            if (fn != null && fn.isString() && ln != null && ln.fitsInInt()) {
                file = fn.asString();
                line = ln.asInt();
            }
        }
        List<String> printed = new ArrayList<>();
        for (long i = frames.getArraySize() - 1; i >= 0; i--) { // innermost first
            Value f = frames.getArrayElement(i);
            printed.add(f.getArrayElement(2).asString() + " (" + f.getArrayElement(0).asString() + ":" + f.getArrayElement(1).asInt() + ")");
        }
        return new GuestError(name, message, stack, file, line, 0, cause).withFrames("python", printed);
    }

    private GuestError fromPolyglot(PolyglotException pe, Throwable cause) {
        SourceSection loc = pe.getSourceLocation();
        if (loc == null) {
            for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
                if (f.isGuestFrame() && f.getSourceLocation() != null && !f.getSourceLocation().getSource().isInternal()) {
                    loc = f.getSourceLocation();
                    break;
                }
            }
        }
        StringBuilder stack = new StringBuilder();
        List<String> printed = new ArrayList<>();
        for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
            if (f.isGuestFrame()) {
                stack.append("    at ").append(f).append('\n');
                printed.add(f.toString());
            }
        }
        String name = pe.isSyntaxError() ? "SyntaxError" : null;
        String msg = pe.getMessage();
        if (pe.isInterrupted() || pe.isCancelled()) {
            name = "Cancelled"; // as every language names a cancelled evaluation (see GuestSession.cancel)
            msg = pe.isInterrupted() ? "the session was cancelled while this guest code ran" : "the session was closed while this guest code ran";
        }
        String file = loc != null && loc.getSource() != null ? loc.getSource().getName() : null;
        int line = loc != null ? loc.getStartLine() : 0;
        int col = loc != null ? loc.getStartColumn() : 0;
        if (file == null && msg != null) {
            Matcher m = FILE_LINE.matcher(msg);
            if (m.find()) {
                file = m.group(1);
                line = Integer.parseInt(m.group(2));
            }
        }
        return new GuestError(name, msg, stack.toString(), file, line, col, cause).withFrames("python", printed);
    }

    /**
     * Reports an exception that ended a cancelled coroutine's clean-up, unless it is the
     * cancellation itself (or there is none): nobody awaits that coroutine any more.
     */
    void reportCleanup(Value error) {
        if (error == null || error.isNull()) {
            return;
        }
        GuestError e = toHostError(error, null);
        if ("CancelledError".equals(e.guestName())) {
            return;
        }
        guest.err().println("[braid " + guest.name() + "] exception in the clean-up of a cancelled coroutine:\n"
                + e.guestStack().stripTrailing());
    }

    @Override
    public boolean isIncomplete(String code) {
        return !code.isBlank() && isIncomplete.execute(code).asBoolean();
    }

    @Override
    public List<String> completions(String line, int cursor) {
        CompletionTarget t = CompletionTarget.of(line, cursor, "[A-Za-z_]", "\\w");
        if (t == null) {
            return List.of();
        }
        return CompletionTarget.strings(complete.execute(ProxyArray.fromList(new ArrayList<>(t.path())), t.prefix()));
    }

    /** {@code _} as Python's interactive mode keeps it: the last value that was not None. */
    @Override
    public void remember(Value value, Value error) {
        if (value != null && !value.isNull()) {
            guest.context().getBindings("python").putMember("_", value);
        }
    }

    @Override
    public String inspect(Value v) {
        return v.isNull() ? null : repr.execute(v).asString(); // Python's REPL shows no None
    }
}
