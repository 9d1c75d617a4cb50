package dev.braid.polyglot.js;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.polyglot.Guest;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code AbortController}, {@code AbortSignal}, {@code Event}, {@code EventTarget} and (if the
 * engine has none) {@code DOMException}, written in JS ({@code abort.js}); and a
 * {@code {signal}} option on the waiting operations of the {@code braid} global:
 * <pre>
 * braid.sleep(ms, {signal})            braid.timeout(ms, awaitable, {signal})
 * braid.join([a, b], {signal})         braid.join(a, b, {signal})   (also tryJoin, race)
 * braid.select({a, b}, {signal})       braid.select([a, b], {signal})
 * </pre>
 * When the signal aborts, the operation rejects with an {@code AbortError} (a
 * {@code DOMException} whose {@code cause} is the signal's reason, as Node's
 * {@code timers/promises} do) and its Braid future is dropped: timers are cancelled, tasks
 * joined through handles are aborted. A signal already aborted rejects at once. A trailing
 * argument counts as options only if it is a plain object whose {@code signal} is an
 * AbortSignal.
 */
final class JsAbort {
    private final Guest guest;
    private final Value helpers;

    private JsAbort(Guest guest, Value helpers) {
        this.guest = guest;
        this.helpers = helpers;
    }

    /** Returns the installed helper, for other features' waits ({@link #withSignal}). */
    static JsAbort install(Guest guest, JsTimers timers, JsReporter reporter, Map<String, Object> api) {
        Map<String, Object> natives = new LinkedHashMap<>();
        natives.put("setTimeout", (ProxyExecutable) a -> timers.setTimeout(a[0], a[1].asDouble()));
        natives.put("uncaught", (ProxyExecutable) a -> {
            reporter.report(a[1].asString(), a[0]);
            return null;
        });
        natives.put("now", (ProxyExecutable) a -> timers.now());
        Value helpers = guest.context().eval(JsResources.source("abort.js")).execute(ProxyObject.fromMap(natives));
        JsAbort abort = new JsAbort(guest, helpers);
        abort.wrap(api, "sleep", 1);
        abort.wrap(api, "timeout", 2);
        abort.wrap(api, "join", -1);
        abort.wrap(api, "tryJoin", -1);
        abort.wrap(api, "race", -1);
        abort.wrap(api, "select", -1);
        return abort;
    }

    /**
     * {@code awaitable} made abortable by the {@code {signal}} in {@code options} (the guest
     * argument of {@code what}, such as {@code channel.recv}); {@code awaitable} itself when
     * there is no signal. Bad options throw a TypeError naming {@code what}.
     */
    Object withSignal(Value awaitable, Value options, String what) {
        Value signal = options == null ? null : nullable(helpers.invokeMember("signalOf", options, what));
        if (signal == null) {
            return awaitable;
        }
        return guest.awaitable(() -> {
            Future<Object> f = guest.unwrap(awaitable);
            return new Abortable(f != null ? f : guest.await(awaitable), signal);
        });
    }

    /**
     * Replaces {@code api[name]} by a version that takes a {@code {signal}} option, at
     * argument {@code optionsAt} or (if -1) as a trailing argument.
     */
    private void wrap(Map<String, Object> api, String name, int optionsAt) {
        ProxyExecutable plain = (ProxyExecutable) api.get(name);
        if (plain == null) {
            return;
        }
        api.put(name, guest.function(a -> {
            Value signal = null;
            Value[] rest = a;
            if (optionsAt >= 0) {
                if (a.length > optionsAt) {
                    signal = nullable(helpers.invokeMember("signalOf", a[optionsAt], name));
                    rest = Arrays.copyOf(a, optionsAt);
                }
            } else if (a.length >= 2) {
                signal = nullable(helpers.invokeMember("trailingSignal", a[a.length - 1]));
                if (signal != null) {
                    rest = Arrays.copyOf(a, a.length - 1);
                }
            }
            Object op = plain.execute(rest);
            if (signal == null) {
                return op;
            }
            Value awaitable = guest.context().asValue(op);
            Value s = signal;
            return guest.awaitable(() -> {
                Future<Object> f = guest.unwrap(awaitable);
                return new Abortable(f != null ? f : guest.await(awaitable), s);
            });
        }));
    }

    private static Value nullable(Value v) {
        return v == null || v.isNull() ? null : v;
    }

    /** {@code inner} until {@code signal} aborts: then it is dropped and this fails with an AbortError. */
    private final class Abortable implements Future<Object> {
        private final Future<Object> inner;
        private final Value signal;
        private Value unsubscribe;
        private boolean started;
        private boolean aborted;
        private boolean done;
        private Waker waker;

        Abortable(Future<Object> inner, Value signal) {
            this.inner = inner;
            this.signal = signal;
        }

        @Override
        public Poll<Object> poll(Context cx) {
            if (!started) {
                started = true;
                if (helpers.invokeMember("aborted", signal).asBoolean()) {
                    aborted = true;
                } else {
                    unsubscribe = helpers.invokeMember("watch", signal, (ProxyExecutable) x -> {
                        aborted = true;
                        Waker w = waker;
                        waker = null;
                        if (w != null) {
                            w.wake();
                        }
                        return null;
                    });
                }
            }
            if (aborted) {
                finish();
                inner.drop();
                throw guest.rejection(helpers.invokeMember("abortError", signal));
            }
            Poll<Object> p;
            try {
                p = inner.poll(cx);
            } catch (RuntimeException e) {
                finish();
                throw e;
            }
            if (p.isReady()) {
                finish();
                return p;
            }
            waker = cx.waker();
            return p;
        }

        private void finish() {
            done = true;
            waker = null;
            Value u = unsubscribe;
            unsubscribe = null;
            if (u != null) {
                try {
                    u.executeVoid();
                } catch (PolyglotException | IllegalStateException e) {
                    // the context is closing: the signal goes with it
                }
            }
        }

        @Override
        public void drop() {
            if (!done) {
                finish();
                inner.drop();
            }
        }
    }
}
