package dev.braid.polyglot.js;

import dev.braid.future.Future;
import dev.braid.future.Futures;
import dev.braid.future.Selected;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.HostFunction;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.Braid;
import dev.braid.runtime.JoinHandle;
import dev.braid.runtime.TaskDump;
import dev.braid.runtime.TaskInfo;
import dev.braid.time.Time;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code braid} global of a JavaScript guest: tasks and combinators on Braid's runtime.
 * Every function runs on the guest's strand (guest code only runs there); what waits
 * returns an awaitable that settles inside the context.
 */
final class JsApi {
    private JsApi() {
    }

    static void install(Guest guest, ScriptHost host, JsAdapter js) {
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("spawn", fn(guest, a -> spawn(guest, a)));
        api.put("task", fn(guest, a -> task(guest, a)));
        api.put("join", fn(guest, a -> guest.awaitable(() -> Futures.joinAll(futures(guest, list(a))).map(l -> guestList(guest, l)))));
        api.put("tryJoin", fn(guest, a -> guest.awaitable(() -> Futures.tryJoinAll(futures(guest, list(a))).map(l -> guestList(guest, l)))));
        api.put("select", fn(guest, a -> select(guest, a)));
        api.put("race", fn(guest, a -> guest.awaitable(() -> Futures.raceAll(futures(guest, list(a))))));
        // sleep and yieldNow resolve with undefined, as a promise of a JS timer would.
        Value undefined = guest.context().eval(org.graalvm.polyglot.Source.newBuilder("js", "undefined",
                "braid-undefined.js").internal(true).buildLiteral());
        api.put("sleep", fn(guest, a -> {
            long ns = millisToNanos(a, 0, "sleep"); // bad input fails the call, not a later await
            return guest.awaitable(() -> Time.sleep(Duration.ofNanos(ns)).map(x -> undefined));
        }));
        api.put("yieldNow", fn(guest, a -> guest.awaitable(() -> Braid.yieldNow().map(x -> undefined))));
        api.put("timeout", fn(guest, a -> {
            long ns = millisToNanos(a, 0, "timeout");
            if (a.length < 2) {
                throw new IllegalArgumentException("timeout(ms, awaitable): the awaitable is missing");
            }
            Value target = a[1];
            // Made now, so that its stack and position are those of the timeout(...) call: a
            // TimeoutError made when the timer fires would show no guest frame at all.
            Value error = js.newError(dev.braid.polyglot.LanguageAdapter.ErrorKind.TIMEOUT, null, "timed out after " + describeMillis(a[0].asDouble()));
            return guest.awaitable(() -> new TimedOut(Time.timeout(Duration.ofNanos(ns), future(guest, target)), guest, error));
        }));
        // Only this session's own tasks: a guest must not see other jobs' task names.
        api.put("taskDump", fn(guest, a -> guest.toGuest(dump(guest.runtime().taskDump(), "strand '" + guest.name() + "'"))));
        JsReporter reporter = new JsReporter(guest, js, guest.err()); // timers, AbortController, rejections
        JsRejections.install(guest, js, reporter);
        JsAbort abort = JsAbort.install(guest, JsTimers.install(guest, reporter), reporter, api);
        api.put("fs", JsSystemApi.fs(guest, js));
        api.put("net", JsSystemApi.net(guest, js));
        api.put("process", JsSystemApi.process(guest, js));
        api.put("env", JsSystemApi.env(guest));
        Value bindings = guest.context().getBindings("js");
        bindings.putMember("braid", ProxyObject.fromMap(api));
        Console.install(guest, host);
        JsSync.install(guest, host, abort); // channels, locks, JoinSet, interval, spawnBlocking (the host functions are bound already)
    }

    interface Body {
        Object apply(Value[] args) throws Exception;
    }

    /** A guest-callable function; a Java exception becomes a guest exception, thrown in the guest. */
    static ProxyExecutable fn(Guest guest, Body body) {
        return args -> {
            try {
                return body.apply(args);
            } catch (Exception e) {
                throw guest.guestException(e);
            }
        };
    }

    private static final Object[] NO_ARGS = {};

    private static Object spawn(Guest guest, Value[] a) {
        if (a.length == 0) {
            throw new IllegalArgumentException("spawn(fn, ...args): fn is missing");
        }
        Future<Object> body;
        if (a[0].canExecute()) {
            body = guest.call(a[0], a.length == 1 ? NO_ARGS : (Object[]) Arrays.copyOfRange(a, 1, a.length));
        } else {
            Future<Object> f = guest.unwrap(a[0]); // a lazy task from braid.task(...)
            if (f == null) {
                throw new IllegalArgumentException("spawn(fn, ...args): fn must be a function or a braid.task(...), got " + show(a[0]));
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

    /** The task name for a function: its {@code name}, if it has one (read with one call into the guest). */
    private static String nameOf(Value fn) {
        if (!fn.canExecute()) {
            return null;
        }
        Value n = fn.getMember("name");
        if (n == null || !n.isString()) {
            return null;
        }
        String s = n.asString();
        return s.isEmpty() ? null : s;
    }

    private static Object select(Guest guest, Value[] a) {
        if (a.length == 1 && a[0].hasMembers() && !a[0].hasArrayElements() && guest.unwrap(a[0]) == null
                && !a[0].hasMember("then")) {
            Value obj = a[0];
            List<String> keys = new ArrayList<>(obj.getMemberKeys());
            List<Value> values = new ArrayList<>();
            for (String k : keys) {
                values.add(obj.getMember(k));
            }
            return guest.awaitable(() -> Futures.selectAll(futures(guest, values))
                    .map(s -> selected(keys.get(s.index()), s)));
        }
        List<Value> values = list(a);
        return guest.awaitable(() -> Futures.selectAll(futures(guest, values)).map(s -> selected(s.index(), s)));
    }

    private static Object selected(Object key, Selected<Object> s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", s.value());
        return ProxyObject.fromMap(m);
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

    private static Object guestList(Guest guest, List<Object> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object o : values) {
            out.add(guest.toGuest(o));
        }
        return ProxyArray.fromList(out);
    }

    /** {@code 20 ms}, {@code 1.5 ms}, {@code 3 s}: a timeout's length as its message gives it. */
    static String describeMillis(double ms) {
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
    static String show(Value v) {
        return v.isString() ? "'" + v.asString() + "'" : String.valueOf(v);
    }

    static long millisToNanos(Value[] a, int i, String fn) {
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
