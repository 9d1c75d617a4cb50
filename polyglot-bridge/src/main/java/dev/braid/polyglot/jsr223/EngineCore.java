package dev.braid.polyglot.jsr223;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestSession;
import dev.braid.polyglot.LanguagePlugin;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import javax.script.Bindings;
import javax.script.ScriptContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The state of one JSR-223 engine, apart from the engine object itself (so that a
 * {@link java.lang.ref.Cleaner} can close the session once the engine is unreachable): the
 * session, created on first use, and the machinery to run things on its strand. It knows
 * its language only through the session's {@link LanguagePlugin} and adapter, and the few
 * facts of {@link EngineLanguage}.
 *
 * <p>Methods documented "on the strand" run inside strand tasks only; the others may be
 * called from any thread outside the runtime's workers (they block).
 */
final class EngineCore {
    private final ScriptHost host;
    final EngineLanguage language;
    private volatile GuestSession session; // written once, under this, before guest
    private volatile Guest guest;
    /** The language's helpers (see {@link EngineLanguage#helpers()}): guest values, used on the strand only. */
    private Value hasMethod;
    private Value callMethod;
    private volatile boolean closed;
    /** The engine's own context, where output goes outside evaluations. */
    volatile ScriptContext defaultContext;
    /** The contexts of the evaluations in progress, most recent last: output goes to the last. */
    private final Deque<ScriptContext> running = new ConcurrentLinkedDeque<>();

    EngineCore(ScriptHost host, EngineLanguage language) {
        this.host = host;
        this.language = language;
    }

    ScriptHost host() {
        return host;
    }

    /** The session's guest; makes the session on first use. */
    Guest guest() {
        Guest g = guest;
        if (closed) {
            throw new IllegalStateException("this script engine is closed");
        }
        return g != null ? g : start();
    }

    private synchronized Guest start() {
        if (closed) {
            throw new IllegalStateException("this script engine is closed");
        }
        if (guest == null) {
            GuestSession s = host.newSession(language.pluginId());
            try {
                s.redirectOutput(this::output);
                // Also waits for the session's set-up and reports its failure, if any.
                @SuppressWarnings("unchecked")
                Map<String, Object> h = (Map<String, Object>) s.evalSync(language.helpers(), "<braid-jsr223>");
                hasMethod = (Value) h.get("hasMethod");
                callMethod = (Value) h.get("callMethod");
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            session = s;
            guest = s.guest();
        }
        return guest;
    }

    private synchronized GuestSession session() {
        return session;
    }

    synchronized void close() {
        closed = true;
        if (session != null) {
            session.close();
        }
    }

    // ---- output -------------------------------------------------------------------------

    private void output(boolean error, String text) {
        ScriptContext c = running.peekLast();
        if (c == null) {
            c = defaultContext;
        }
        Writer w = c == null ? null : error ? c.getErrorWriter() : c.getWriter();
        if (w == null) {
            return;
        }
        try {
            w.write(text);
            w.flush();
        } catch (IOException e) {
            // like a PrintStream: a broken writer loses the text, the script goes on
        }
    }

    // ---- running on the strand -----------------------------------------------------------

    /** Runs {@code f} as a task on the session's strand and waits for it. */
    <T> T await(String what, Future<T> f) {
        Guest g = guest();
        JoinHandle<T> h = g.spawn(what, f);
        try {
            return g.runtime().blockOn(h);
        } catch (JoinError e) {
            throw Failure.of(e, null);
        } catch (RuntimeException e) {
            h.abort(); // blockOn gave up (called on a worker, a deadlock, shutdown): do not leave it running
            throw e;
        }
    }

    /** Runs {@code body} on the strand and returns its value; failures as unchecked exceptions. */
    <T> T onStrand(String what, Callable<T> body) {
        try {
            return await(what, cx -> {
                try {
                    return Poll.ready(body.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (Failure f) {
            throw f.getCause() instanceof RuntimeException re ? re : new IllegalStateException(f.getMessage(), f.getCause());
        }
    }

    /** The value of an evaluation and the values of the imported bindings afterwards. */
    record Outcome(Object value, Map<String, Object> exports) {
    }

    /**
     * A future that evaluates on the strand: imports {@code imports} (the entries of a
     * foreign ENGINE_SCOPE) as globals, sends the session's output to {@code ctx}, starts the
     * guest work with {@code start} (on its first poll), waits for its settled value and
     * converts it; failures become {@link Failure}s positioned in {@code p}.
     */
    Future<Outcome> evaluation(ScriptContext ctx, Prepared p, Map<String, Object> imports, Supplier<Future<Object>> start) {
        return new Evaluation(ctx, p, imports, start);
    }

    private final class Evaluation implements Future<Outcome> {
        private final ScriptContext ctx;
        private final Prepared prepared;
        private final Map<String, Object> imports;
        private final Supplier<Future<Object>> start;
        private Future<Object> inner;
        private boolean registered;

        Evaluation(ScriptContext ctx, Prepared prepared, Map<String, Object> imports, Supplier<Future<Object>> start) {
            this.ctx = ctx;
            this.prepared = prepared;
            this.imports = imports;
            this.start = start;
        }

        @Override
        public Poll<Outcome> poll(Context cx) {
            try {
                if (inner == null) {
                    running.addLast(ctx);
                    registered = true;
                    if (imports != null) {
                        Value globals = globals();
                        for (Map.Entry<String, Object> e : imports.entrySet()) {
                            globals.putMember(e.getKey(), toGuest(e.getValue()));
                        }
                    }
                    inner = start.get();
                }
                Poll<Object> r = inner.poll(cx);
                if (r.isPending()) {
                    return Poll.pending();
                }
                Object v = r.value();
                Object value = toJava(v instanceof Value val ? val : guest.context().asValue(v));
                Map<String, Object> exports = null;
                if (imports != null) {
                    Value globals = globals();
                    exports = new LinkedHashMap<>();
                    for (String k : imports.keySet()) {
                        if (globals.hasMember(k)) {
                            exports.put(k, toJava(globals.getMember(k)));
                        }
                    }
                }
                finish();
                return Poll.ready(new Outcome(value, exports));
            } catch (Throwable t) {
                finish();
                throw Failure.of(t, prepared);
            }
        }

        private void finish() {
            if (registered) {
                registered = false;
                running.removeLastOccurrence(ctx);
            }
        }

        @Override
        public void drop() {
            finish();
            if (inner != null) {
                inner.drop();
            }
        }
    }

    /** The entries of {@code ctx}'s ENGINE_SCOPE to import, or null if it is this engine's globals. */
    Map<String, Object> importsOf(ScriptContext ctx) {
        Bindings b = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        if (b == null || (b instanceof GlobalBindings gb && gb.core == this)) {
            return null;
        }
        return new LinkedHashMap<>(b);
    }

    void exportTo(ScriptContext ctx, Outcome o) {
        if (o.exports() != null && !o.exports().isEmpty()) {
            ctx.getBindings(ScriptContext.ENGINE_SCOPE).putAll(o.exports());
        }
    }

    // ---- on the strand ------------------------------------------------------------------

    /** The guest's global scope, as its language's polyglot bindings. */
    Value globals() {
        return guest.context().getBindings(session.plugin().graalLanguage());
    }

    Future<Object> call(Value fn, Object[] args) {
        return guest.call(fn, args);
    }

    boolean hasMethod(Object target, String name) {
        return hasMethod.execute(target, name).asBoolean();
    }

    /** Calls {@code target[name](...args)} as a guest call (awaiting what it returns). */
    Future<Object> callMethod(Object target, String name, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = target;
        all[1] = name;
        System.arraycopy(args, 0, all, 2, args.length);
        return guest.call(callMethod, all);
    }

    /**
     * Parses {@code code} on the strand as a session's evaluation would (the plugin decides
     * between classic script and module, and rewrites a script that awaits at its top
     * level). Throws a {@link Failure} for a syntax error, positioned in the user's text.
     */
    Prepared prepare(String code, String name) {
        LanguagePlugin plugin = session().plugin();
        try {
            return new Prepared(plugin.eval(guest, plugin.source(code, name)), name);
        } catch (PolyglotException e) {
            throw e.isSyntaxError() ? Failure.syntax(e, new Prepared(null, name), guest.language().toHostError(null, e)) : e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- values -------------------------------------------------------------------------

    /**
     * A guest value for Java (on the strand): {@code null} for null and undefined, Boolean,
     * Integer/Long/Double, String, {@code List} for arrays, a {@link GuestFunction} for
     * functions, a {@link GuestMap} for plain-data objects ({@link dev.braid.polyglot.LanguageAdapter#isRecord
     * records}) and dicts, a {@link GuestObject} for other objects; Java objects the guest
     * holds come back as they were.
     */
    Object toJava(Value v) {
        return toJava(v, new HashMap<>(), 0);
    }

    private Object toJava(Value v, Map<Value, Object> seen, int depth) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.fitsInInt() ? (Object) v.asInt() : v.fitsInLong() ? (Object) v.asLong() : (Object) v.asDouble();
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isHostObject()) {
            return v.asHostObject();
        }
        Object known = seen.get(v); // Value equality is the guest object's identity: cycles stay cycles
        if (known != null) {
            return known;
        }
        if (depth > 200) {
            return v.toString();
        }
        if (v.hasArrayElements()) {
            List<Object> out = new ArrayList<>();
            seen.put(v, out);
            long n = v.getArraySize();
            for (long i = 0; i < n; i++) {
                out.add(toJava(v.getArrayElement(i), seen, depth + 1));
            }
            return out;
        }
        if (v.canExecute() || v.canInstantiate()) {
            GuestFunction f = language.function(this, v);
            seen.put(v, f);
            return f;
        }
        if (v.hasMembers() && guest.language().isRecord(v)) {
            GuestMap m = language.map(this, v);
            seen.put(v, m);
            for (String k : v.getMemberKeys()) {
                m.put(k, toJava(v.getMember(k), seen, depth + 1));
            }
            return m;
        }
        if (v.hasHashEntries()) {
            GuestMap m = language.map(this, v);
            seen.put(v, m);
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value entry = it.getIteratorNextElement();
                m.put(String.valueOf(toJava(entry.getArrayElement(0), seen, depth + 1)), toJava(entry.getArrayElement(1), seen, depth + 1));
            }
            return m;
        }
        if (v.hasMembers()) {
            GuestObject o = new GuestObject(this, v, shown(v));
            seen.put(v, o);
            return o;
        }
        return v.toString();
    }

    /** {@code v} shown the language's way, on one line (on the strand). */
    String shown(Value v) {
        try {
            String shown = guest.language().inspect(v);
            return shown != null ? shown : String.valueOf(v);
        } catch (RuntimeException e) { // a __repr__ that raised: the value still crosses
            Value meta = v.getMetaObject();
            return "<" + (meta != null ? meta.getMetaSimpleName() : "guest value") + " object (not shown: " + e.getMessage() + ")>";
        }
    }

    /**
     * A Java value for the guest (on the strand): maps, objects and functions this engine
     * handed out become the live guest values again; lists, arrays and maps are converted
     * (copied); futures and stages become awaitables; other objects are opaque.
     */
    Object toGuest(Object o) {
        if (o instanceof GuestMap m && m.owner == this) {
            return m.source;
        }
        if (o instanceof GuestFunction f) {
            return f.sourceFor(this, "functions");
        }
        if (o instanceof GuestObject g) {
            return g.sourceFor(this, "guest objects");
        }
        if (o instanceof Value) {
            return o;
        }
        if (o instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object e : c) {
                out.add(toGuest(e));
            }
            return ProxyArray.fromList(out);
        }
        if (o != null && o.getClass().isArray()) {
            int n = Array.getLength(o);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(toGuest(Array.get(o, i)));
            }
            return ProxyArray.fromList(out);
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), toGuest(v)));
            return ProxyObject.fromMap(out);
        }
        return guest.toGuest(o);
    }

    Object[] toGuest(Object[] args) {
        Object[] out = new Object[args == null ? 0 : args.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = toGuest(args[i]);
        }
        return out;
    }
}
