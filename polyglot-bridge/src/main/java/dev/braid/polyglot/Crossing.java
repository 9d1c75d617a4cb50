package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values crossing between two sessions of one job in different languages
 * ({@code braid.js(source)} from Python, {@code braid.python(source)} from JavaScript). Each
 * language's code still runs only in its own session (on its strand, or a Python session's
 * main thread): what crosses is made of
 * <ul>
 *   <li><b>copies of data</b>: numbers, strings, booleans, null/None, lists and arrays,
 *       maps (a dict, a plain object) become the other language's own;
 *   <li><b>functions</b>, as callables of the other language that call them in their own
 *       session and return an awaitable of the result (crossing back the same way);
 *   <li><b>awaitables</b> (a promise, a coroutine, a Braid task or future), awaited in their
 *       own session and crossing as an awaitable of the value.
 * </ul>
 * Anything else (an object of a class) is refused with an error that says so. An error
 * crosses as the other language's error with the same name and message (position
 * included); cancelling the wait on the other side cancels the work in its own session.
 */
final class Crossing {
    private Crossing() {
    }

    /**
     * {@code v}, a value of {@code from}'s language (or Java data), as Java data that
     * {@code to} can take in ({@link #into}). Call in {@code from}'s context (on its strand
     * or main thread).
     */
    static Object out(Guest from, Guest to, Object v) {
        return out(from, to, v, new IdentityHashMap<>(), 0);
    }

    private static Object out(Guest from, Guest to, Object o, IdentityHashMap<Object, Boolean> seen, int depth) {
        if (o instanceof List<?> l) { // Java data (what a host future settled with), which may hold guest values
            List<Object> list = new ArrayList<>(l.size());
            for (Object e : l) {
                list.add(out(from, to, e, seen, depth + 1));
            }
            return list;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> map = new LinkedHashMap<>();
            m.forEach((k, e) -> map.put(String.valueOf(k), out(from, to, e, seen, depth + 1)));
            return map;
        }
        if (!(o instanceof Value v)) {
            return o;
        }
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber() || v.isString()) {
            return from.toHost(v);
        }
        if (v.isHostObject() || v.isProxyObject()) {
            Object host = v.isHostObject() ? v.asHostObject() : v.asProxyObject();
            if (host instanceof Function f && f.from == to) {
                return f; // a function of `to` that crossed before: it goes home as itself
            }
            return host;
        }
        if (depth > 64) {
            throw new IllegalArgumentException("a value nested more than 64 levels deep cannot cross to " + to.plugin().displayName());
        }
        Future<Object> braid = from.unwrap(v);
        if (braid != null || from.lang.isAwaitable(v)) {
            // awaited in its own session; the other side awaits that task
            JoinHandle<Object> h = from.spawn("crossing to " + to.plugin().displayName(),
                    (braid != null ? braid : from.await(v)).map(r -> out(from, to, r)));
            return new Awaited(h);
        }
        if (v.canExecute()) {
            return new Function(from, to, v);
        }
        if (v.hasArrayElements()) {
            List<Object> list = new ArrayList<>();
            long n = v.getArraySize();
            for (long i = 0; i < n; i++) {
                list.add(out(from, to, v.getArrayElement(i), seen, depth + 1));
            }
            return list;
        }
        if (v.hasHashEntries()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value e = it.getIteratorNextElement();
                map.put(String.valueOf(from.toHost(e.getArrayElement(0))), out(from, to, e.getArrayElement(1), seen, depth + 1));
            }
            return map;
        }
        if (v.hasMembers() && from.lang.isRecord(v)) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String k : v.getMemberKeys()) {
                map.put(k, out(from, to, v.getMember(k), seen, depth + 1));
            }
            return map;
        }
        throw new IllegalArgumentException("a " + from.plugin().displayName() + " " + describe(from, v) + " cannot cross to "
                + to.plugin().displayName() + ": only data (numbers, strings, booleans, lists, maps), functions and awaitables do");
    }

    private static String describe(Guest g, Value v) {
        Value meta = v.getMetaObject();
        return meta == null ? "object" : "object of " + meta.getMetaSimpleName();
    }

    /** Java data from {@link #out} as values of {@code to}'s language. Call in {@code to}'s context. */
    static Object into(Guest to, Object data) {
        if (data instanceof Awaited a) {
            Future<Object> wait = new AbortOnDrop<>(a.task, a.task);
            return to.awaitable(() -> wait.<Object>map(r -> into(to, r)).recover(t -> {
                throw error(t, to);
            }));
        }
        if (data instanceof Function f && f.from == to) {
            return f.fn; // back home: the function itself
        }
        if (data instanceof List<?> l) {
            List<Object> conv = new ArrayList<>(l.size());
            for (Object e : l) {
                conv.add(into(to, e));
            }
            Object shaped = to.lang.fromJava(conv);
            return shaped != null ? shaped : to.toGuest(conv);
        }
        if (data instanceof Map<?, ?> m) {
            Map<String, Object> conv = new LinkedHashMap<>();
            m.forEach((k, e) -> conv.put(String.valueOf(k), into(to, e)));
            Object shaped = to.lang.fromJava(conv);
            return shaped != null ? shaped : to.toGuest(conv);
        }
        return to.toGuest(data);
    }

    /**
     * An error of {@code from}'s code as an error {@code to} can take: its name, message and
     * position, without the guest value (which belongs to {@code from}'s context).
     */
    static RuntimeException error(Throwable t, Guest to) {
        Throwable e = t;
        while (e instanceof JoinError je && je.isFailed() && je.getCause() != null) {
            e = je.getCause();
        }
        if (e instanceof GuestError g) {
            String name = g.guestName() == null ? "Error" : g.guestName();
            String message = g.getMessage().startsWith(name + ": ") ? g.getMessage().substring(name.length() + 2) : g.getMessage();
            GuestError crossed = new GuestError(name, message, g.guestStack(), g.file(), g.line(), g.column(), null);
            crossed.guestValue = to.lang.newError(LanguageAdapter.ErrorKind.HOST, name, message);
            return crossed;
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

    /**
     * {@code braid.js(code)} / {@code braid.python(code)}: an awaitable, in {@code from}'s
     * language, of {@code code} evaluated in the job's session of {@code language} (made on
     * first use, see {@link GuestSession#sibling}), its value crossed over.
     */
    static Value evalIn(Guest from, String language, String code) {
        return from.awaitable(() -> {
            // Making the other session builds a context: this worker's queue goes on meanwhile.
            GuestSession there;
            try {
                there = dev.braid.runtime.Braid.blockInPlace(() -> from.session.sibling(language));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Guest to = there.guest;
            JoinHandle<Object> h = there.evalWith(code, "<from " + from.plugin().displayName() + ">", v -> out(to, from, v));
            return new AbortOnDrop<>(h, h).<Object>map(r -> into(from, r)).recover(t -> {
                throw error(t, from);
            });
        });
    }

    /** An awaitable of {@code from}'s, awaited there by this task, on its way to the other side. */
    record Awaited(JoinHandle<Object> task) {
    }

    /**
     * A function of {@code from}'s language as a callable of {@code to}'s: a call runs it as a
     * task of {@code from}'s session and returns an awaitable of its (crossed) result.
     */
    static final class Function implements ProxyExecutable {
        final Guest from;
        final Guest to;
        final Value fn;

        Function(Guest from, Guest to, Value fn) {
            this.from = from;
            this.to = to;
            this.fn = fn;
        }

        @Override
        public Object execute(Value... args) {
            List<Object> data = new ArrayList<>(args.length);
            try {
                for (Value a : args) {
                    data.add(out(to, from, a)); // the arguments cross the other way
                }
            } catch (RuntimeException e) {
                throw to.guestException(e); // an argument that cannot cross: the caller's error, at its call
            }
            JoinHandle<Object> h;
            try {
                h = from.spawn("call from " + to.plugin().displayName(), new Call(from, to, fn, data));
            } catch (RuntimeException e) {
                throw to.guestException(e); // the runtime is shutting down
            }
            Future<Object> wait = new AbortOnDrop<>(h, h);
            return to.awaitable(() -> wait.<Object>map(r -> into(to, r)).recover(t -> {
                throw error(t, to);
            }));
        }
    }

    /** The call of a crossed function, in its own session: arguments taken in, the result sent out. */
    private static final class Call implements Future<Object> {
        private final Guest home;
        private final Guest caller;
        private final Value fn;
        private final List<Object> args;
        private Future<Object> call;

        Call(Guest home, Guest caller, Value fn, List<Object> args) {
            this.home = home;
            this.caller = caller;
            this.fn = fn;
            this.args = args;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            if (call == null) {
                Object[] in = new Object[args.size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = into(home, args.get(i));
                }
                call = home.call(fn, in);
            }
            Poll<Object> p = call.poll(cx);
            return p.isPending() ? p : Poll.ready(out(home, caller, p.value()));
        }

        @Override
        public void drop() {
            if (call != null) {
                call.drop();
            }
        }
    }
}
