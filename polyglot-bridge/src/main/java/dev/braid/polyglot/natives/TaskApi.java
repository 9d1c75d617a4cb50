package dev.braid.polyglot.natives;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.runtime.Braid;
import dev.braid.runtime.JoinHandle;
import dev.braid.runtime.TaskDump;
import dev.braid.runtime.TaskInfo;
import dev.braid.time.Time;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The natives behind the task functions of every language's {@code braid} API: {@code spawn},
 * {@code task}, {@code join}, {@code tryJoin}, {@code select}, {@code race}, {@code sleep},
 * {@code yieldNow}, {@code timeout} and {@code taskDump}, on Braid's runtime. Every function
 * runs on the guest's strand (guest code only runs there); what waits returns an awaitable
 * that settles inside the context. Times are in milliseconds; a language whose API speaks
 * in seconds converts in its prelude.
 */
public final class TaskApi {
    private TaskApi() {
    }

    /** How a language shows a result {@code select} settles with: JS {@code {key, value}}, a Python tuple. */
    public interface Shapes {
        Object selected(Object key, Object value);

        /** The values {@code join} and {@code tryJoin} settle with, already guest values: a JS array, a Python list. */
        default Object list(List<Object> values) {
            return ProxyArray.fromList(values);
        }
    }

    /** Adds the task functions to {@code api} under camelCase names ({@code tryJoin}, {@code yieldNow}); a language with other conventions renames them in its prelude. */
    public static void put(Guest guest, LanguageAdapter lang, Map<String, Object> api, Shapes shapes) {
        api.put("spawn", guest.function(a -> spawn(guest, lang, a)));
        api.put("task", guest.function(a -> task(guest, a)));
        api.put("join", guest.function(a -> guest.awaitable(() -> Futures.joinAll(futures(guest, list(a))).map(l -> guestList(guest, shapes, l)))));
        api.put("tryJoin", guest.function(a -> guest.awaitable(() -> Futures.tryJoinAll(futures(guest, list(a))).map(l -> guestList(guest, shapes, l)))));
        api.put("select", guest.function(a -> select(guest, lang, shapes, a)));
        api.put("race", guest.function(a -> guest.awaitable(() -> Futures.raceAll(futures(guest, list(a))))));
        // sleep and yieldNow resolve with the language's "no value", as a timer's promise would.
        Value nothing = lang.nothing();
        api.put("sleep", guest.function(a -> {
            long ns = millisToNanos(a, 0, "sleep"); // bad input fails the call, not a later await
            return guest.awaitable(() -> Time.sleep(Duration.ofNanos(ns)).map(x -> nothing));
        }));
        api.put("yieldNow", guest.function(a -> guest.awaitable(() -> Braid.yieldNow().map(x -> nothing))));
        api.put("timeout", guest.function(a -> {
            long ns = millisToNanos(a, 0, "timeout");
            if (a.length < 2) {
                throw new IllegalArgumentException("timeout(ms, awaitable): the awaitable is missing");
            }
            Value target = a[1];
            // Made now, so that its stack and position are those of the timeout(...) call: a
            // TimeoutError made when the timer fires would show no guest frame at all.
            Value error = lang.newError(LanguageAdapter.ErrorKind.TIMEOUT, null, "timed out after " + describeMillis(a[0].asDouble()));
            return guest.awaitable(() -> new TimedOut(Time.timeout(Duration.ofNanos(ns), future(guest, target)), guest, error));
        }));
        // Only the guest session's own tasks: a guest must not see other jobs' task names.
        api.put("taskDump", guest.function(a -> guest.toGuest(dump(guest.runtime().taskDump(), "strand '" + guest.name() + "'"))));
    }

    private static final Object[] NO_ARGS = {};

    private static Object spawn(Guest guest, LanguageAdapter lang, Value[] a) {
        if (a.length == 0) {
            throw new IllegalArgumentException("spawn(fn, ...args): fn is missing");
        }
        Future<Object> body;
        if (a[0].canExecute()) {
            body = guest.call(a[0], a.length == 1 ? NO_ARGS : (Object[]) Arrays.copyOfRange(a, 1, a.length));
        } else {
            Future<Object> f = guest.unwrap(a[0]); // a lazy task from braid.task(...)
            if (f == null && lang.isAwaitable(a[0])) {
                f = lang.await(a[0]); // a coroutine object, a promise: driven by the task
            }
            if (f == null) {
                throw new IllegalArgumentException("spawn(fn, ...args): fn must be a function, a braid.task(...) or an awaitable, got " + show(a[0]));
            }
            body = f;
        }
        JoinHandle<Object> h = guest.spawn(nameOf(a[0]), body);
        return guest.handle(h, new HandleMembers(h));
    }

    private static Object task(Guest guest, Value[] a) {
        if (a.length == 0 || !a[0].canExecute()) {
            throw new IllegalArgumentException("task(fn, ...args): fn must be a function");
        }
        Value fn = a[0];
        Object[] rest = Arrays.copyOfRange(a, 1, a.length);
        return guest.awaitable(() -> guest.call(fn, rest));
    }

    /** The task name for a function: its {@code name} (JavaScript) or {@code __name__} (Python), if it has one. */
    private static String nameOf(Value fn) {
        if (!fn.canExecute()) {
            return null;
        }
        Value n = fn.hasMember("name") ? fn.getMember("name") : fn.getMember("__name__");
        if (n == null || !n.isString()) {
            return null;
        }
        String s = n.asString();
        return s.isEmpty() ? null : s;
    }

    /** {@code select({k1: a, k2: b})} (an object, or a map/dict) or {@code select(a, b)} / {@code select([a, b])}. */
    private static Object select(Guest guest, LanguageAdapter lang, Shapes shapes, Value[] a) {
        if (a.length == 1 && !a[0].hasArrayElements() && guest.unwrap(a[0]) == null && !lang.isAwaitable(a[0])
                && (a[0].hasHashEntries() || a[0].hasMembers() && lang.isRecord(a[0]))) {
            Value obj = a[0];
            List<Object> keys = new ArrayList<>();
            List<Value> values = new ArrayList<>();
            if (obj.hasHashEntries()) {
                Value it = obj.getHashEntriesIterator();
                while (it.hasIteratorNextElement()) {
                    Value e = it.getIteratorNextElement();
                    keys.add(e.getArrayElement(0));
                    values.add(e.getArrayElement(1));
                }
            } else {
                for (String k : obj.getMemberKeys()) {
                    keys.add(k);
                    values.add(obj.getMember(k));
                }
            }
            return guest.awaitable(() -> Futures.selectAll(futures(guest, values))
                    .map(s -> shapes.selected(keys.get(s.index()), s.value())));
        }
        List<Value> values = list(a);
        return guest.awaitable(() -> Futures.selectAll(futures(guest, values)).map(s -> shapes.selected(s.index(), s.value())));
    }

    /** {@code f(a, b)} or {@code f([a, b])}. */
    private static List<Value> list(Value[] a) {
        if (a.length == 1 && a[0].hasArrayElements()) {
            Value arr = a[0];
            long n = arr.getArraySize(); // once: each read is a call into the guest
            List<Value> out = new ArrayList<>((int) Math.min(n, 1 << 20));
            for (long i = 0; i < n; i++) {
                out.add(arr.getArrayElement(i));
            }
            return out;
        }
        return Arrays.asList(a);
    }

    private static List<Future<Object>> futures(Guest guest, List<Value> values) {
        List<Future<Object>> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(future(guest, v));
        }
        return out;
    }

    /** A task, handle, awaitable, promise or plain value as a Braid future. */
    private static Future<Object> future(Guest guest, Value v) {
        Future<Object> f = guest.unwrap(v);
        return f != null ? f : guest.await(v);
    }

    private static Object guestList(Guest guest, Shapes shapes, List<Object> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object o : values) {
            out.add(guest.toGuest(o));
        }
        return shapes.list(out);
    }

    /** {@code 20 ms}, {@code 1.5 ms}, {@code 3 s}: a timeout's length as its message gives it. */
    public static String describeMillis(double ms) {
        if (!(ms > 0)) {
            return "0 ms";
        }
        if (ms >= 1000 && ms % 1000 == 0) {
            return (long) (ms / 1000) + " s";
        }
        return ms == Math.rint(ms) ? (long) ms + " ms" : ms + " ms";
    }

    /** A timeout whose elapsing rejects with an error made in advance (see {@code timeout}). */
    private static final class TimedOut implements Future<Object> {
        private final Future<Object> inner;
        private final Guest guest;
        private final Value error;

        TimedOut(Future<Object> inner, Guest guest, Value error) {
            this.inner = inner;
            this.guest = guest;
            this.error = error;
        }

        @Override
        public dev.braid.future.Poll<Object> poll(dev.braid.future.Context cx) {
            try {
                return inner.poll(cx);
            } catch (dev.braid.time.ElapsedException e) {
                throw guest.rejection(error);
            }
        }

        @Override
        public void drop() {
            inner.drop();
        }
    }

    /** A guest value for an error message (a string's {@code Value.toString()} names a Truffle class). */
    public static String show(Value v) {
        return v.isString() ? "'" + v.asString() + "'" : String.valueOf(v);
    }

    public static long millisToNanos(Value[] a, int i, String fn) {
        if (a.length <= i || !a[i].isNumber()) {
            throw new IllegalArgumentException(fn + ": expected a number of milliseconds, got " + (a.length <= i ? "nothing" : show(a[i])));
        }
        double ms = a[i].asDouble();
        if (!(ms >= 0)) {
            ms = 0;
        }
        return (long) Math.min(ms * 1_000_000d, (double) Long.MAX_VALUE / 2);
    }

    private static List<Map<String, Object>> dump(TaskDump d, String executor) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TaskInfo t : d.tasks()) {
            if (!executor.equals(t.executor())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("name", t.name());
            m.put("executor", t.executor());
            m.put("state", t.state());
            m.put("spawnSite", t.spawnSite());
            m.put("ageMs", t.age() == null ? null : t.age().toNanos() / 1e6);
            m.put("polls", t.polls());
            m.put("waitsOn", t.waitsOn());
            m.put("thread", t.thread());
            out.add(m);
        }
        return out;
    }
}
