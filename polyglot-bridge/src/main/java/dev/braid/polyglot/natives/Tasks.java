package dev.braid.polyglot.natives;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.polyglot.HostFunction;
import dev.braid.polyglot.ScriptHost;
import dev.braid.runtime.AbortHandle;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.runtime.JoinResult;
import dev.braid.runtime.JoinSet;
import dev.braid.time.Interval;
import dev.braid.time.Time;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The natives behind {@code new braid.JoinSet()}, {@code braid.interval(ms)} and
 * {@code braid.spawnBlocking(hostFunction, ...args)}.
 */
final class Tasks {
    private Tasks() {
    }

    /** A join set whose tasks run on the guest's strand; {@code joinNext} calls take turns. */
    record TaskSet(JoinSet<Object> set, SharedEnd end) {
    }

    /** An interval and the instant of its first tick (ticks resolve with ms since then). */
    record Ticker(Interval interval, long start, SharedEnd end) {
    }

    /** A host function as registered with {@code ScriptHost.Builder.hostFunction}. */
    private record Named(String name, HostFunction fn) {
    }

    static void natives(Natives s, ScriptHost host, Map<String, Object> n) {
        // join sets
        s.put(n, "setNew", a -> new TaskSet(new JoinSet<>(s.guest.runtime()), new SharedEnd()));
        s.put(n, "setSpawn", a -> {
            TaskSet t = Natives.handle(a[0], TaskSet.class);
            AbortHandle h = t.set().spawnOn(s.guest.strand(), s.guest.call(a[1], Natives.elements(a[2])));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("abort", (ProxyExecutable) x -> {
                h.abort();
                return null;
            });
            m.put("isFinished", (ProxyExecutable) x -> h.isFinished());
            return ProxyObject.fromMap(m);
        });
        s.put(n, "setJoinNext", a -> {
            TaskSet t = Natives.handle(a[0], TaskSet.class);
            return s.awaitable(() -> t.end().next(() -> t.set().joinNext().map(r -> r == null ? s.nothing : r.get()),
                    () -> s.nothing));
        });
        s.put(n, "setAbortAll", a -> {
            Natives.handle(a[0], TaskSet.class).set().abortAll();
            return null;
        });
        s.put(n, "setShutdown", a -> {
            TaskSet t = Natives.handle(a[0], TaskSet.class);
            t.set().abortAll();
            return s.awaitable(() -> t.end().next(() -> new Drain(t.set(), s.nothing), () -> s.nothing));
        });
        s.put(n, "setSize", a -> Natives.handle(a[0], TaskSet.class).set().size());

        // intervals
        s.put(n, "ivNew", a -> {
            Interval iv = Time.interval(Duration.ofNanos((long) Math.min(a[0].asDouble() * 1e6, Long.MAX_VALUE / 4d)));
            return new Ticker(iv, iv.nextTick(), new SharedEnd());
        });
        s.put(n, "ivTick", a -> {
            Ticker t = Natives.handle(a[0], Ticker.class);
            return s.awaitable(() -> t.end().next(() -> t.interval().tick().<Object>map(at -> (at - t.start()) / 1e6), () -> {
                throw s.closedError("interval.tick(): the interval was stopped");
            }));
        });
        s.put(n, "ivStop", a -> {
            Ticker t = Natives.handle(a[0], Ticker.class);
            if (!t.end().isClosed()) {
                t.end().close();
                t.interval().close();
            }
            return null;
        });

        // spawnBlocking: host functions are known by the identity of their global's proxy
        Map<Object, Named> hostFunctions = new IdentityHashMap<>();
        Value bindings = s.guest.context().getBindings(s.guest.plugin().graalLanguage());
        for (Map.Entry<String, HostFunction> e : host.hostFunctions().entrySet()) {
            Value g = bindings.getMember(e.getKey());
            if (g != null && g.isProxyObject()) {
                hostFunctions.put(g.asProxyObject(), new Named(e.getKey(), e.getValue()));
            }
        }
        s.put(n, "blockingProblem", a -> {
            if (hostFunction(hostFunctions, a[0]) == null) {
                String known = host.hostFunctions().isEmpty() ? "this host registers none"
                        : "this host has " + String.join(", ", new java.util.TreeSet<>(host.hostFunctions().keySet()));
                return a[0].canExecute()
                        ? "braid.spawnBlocking(fn): fn is a " + s.guest.plugin().displayName() + " function, but only host functions can run on the "
                                + "blocking pool (" + known + "); guest code runs on its session's strand: use braid.spawn(fn)"
                        : "braid.spawnBlocking(fn): expected a host function (" + known + "), got " + a[0];
            }
            Value args = a[1];
            for (int i = 0; i < args.getArraySize(); i++) {
                if (containsGuestObject(s.guest.toHost(args.getArrayElement(i)))) {
                    return "braid.spawnBlocking(fn, ...args): argument " + (i + 1) + " holds a function or promise; "
                            + "only data (numbers, strings, booleans, null, arrays, plain objects) can go to a blocking thread";
                }
            }
            return null;
        });
        // spawnBlockingGuest: a guest function on the blocking pool, for a language whose
        // contexts take threads in turns (Python's GIL); its plugin decides whether to offer it.
        s.put(n, "spawnBlockingGuest", a -> {
            Value fn = a[0];
            Object[] args = Natives.elements(a[1]);
            Value nameValue = fn.hasMember("__name__") ? fn.getMember("__name__") : null;
            String name = nameValue != null && nameValue.isString() ? nameValue.asString() : "blocking";
            JoinHandle<Object> work = s.guest.runtime().spawnBlocking(name, () -> fn.execute(args));
            JoinHandle<Object> h = s.guest.spawn(name, new Joined(work));
            return s.guest.handle(h, new HandleMembers(h));
        });
        s.put(n, "spawnBlocking", a -> {
            Named f = hostFunction(hostFunctions, a[0]);
            Value args = a[1];
            List<Object> hostArgs = new ArrayList<>();
            for (int i = 0; i < args.getArraySize(); i++) {
                hostArgs.add(s.guest.toHost(args.getArrayElement(i)));
            }
            JoinHandle<Object> work = s.guest.runtime().spawnBlocking(f.name(), () -> f.fn().call(hostArgs));
            // Joined by a task of the session, so that a failure no guest code awaits is one of
            // the session's, reported when it closes (see GuestSession).
            JoinHandle<Object> h = s.guest.spawn(f.name(), new Joined(work));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", work.id());
            return s.guest.handle(h, m);
        });
    }

    private static Named hostFunction(Map<Object, Named> known, Value v) {
        return v != null && v.isProxyObject() ? known.get(v.asProxyObject()) : null;
    }

    /** Whether a converted argument still holds a guest object (functions, promises stay guest values). */
    private static boolean containsGuestObject(Object o) {
        if (o instanceof Value) {
            return true;
        }
        if (o instanceof List<?> l) {
            for (Object e : l) {
                if (containsGuestObject(e)) {
                    return true;
                }
            }
        }
        if (o instanceof Map<?, ?> m) {
            for (Object e : m.values()) {
                if (containsGuestObject(e)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A session task standing for a blocking one: its outcome is the blocking task's (a
     * failure as the exception itself, not wrapped), and dropping it aborts the blocking task
     * if it has not started.
     */
    private static final class Joined implements Future<Object> {
        private final JoinHandle<Object> work;

        Joined(JoinHandle<Object> work) {
            this.work = work;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            try {
                return work.poll(cx);
            } catch (JoinError e) {
                if (e.isFailed() && e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.isFailed() && e.getCause() instanceof Error er) {
                    throw er;
                }
                throw e; // cancelled, or a checked exception: the JoinError says which task
            }
        }

        @Override
        public void drop() {
            work.drop();
            work.abort();
        }
    }

    /** {@code shutdown()}: joins every (aborted) task of the set, ignoring their outcomes. */
    private static final class Drain implements Future<Object> {
        private final JoinSet<Object> set;
        private final Value done;
        private Future<JoinResult<Object>> next;

        Drain(JoinSet<Object> set, Value done) {
            this.set = set;
            this.done = done;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            for (;;) {
                if (next == null) {
                    next = set.joinNext();
                }
                Poll<JoinResult<Object>> p = next.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                next = null;
                if (p.value() == null) {
                    return Poll.ready(done);
                }
            }
        }

        @Override
        public void drop() {
            if (next != null) {
                next.drop();
            }
        }
    }
}
