package dev.braid.polyglot.js;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.polyglot.Guest;
import dev.braid.runtime.AbortHandle;
import dev.braid.time.Sleep;
import dev.braid.time.Time;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code setTimeout}, {@code setInterval}, {@code setImmediate}, their {@code clear*},
 * {@code queueMicrotask} and {@code performance} for one JavaScript session, with Node's
 * semantics:
 * <ul>
 *   <li>Timers fire in deadline order, equal deadlines in creation order; a delay that is not
 *       a number in [1, 2^31-1] ms is 1 ms (so {@code setTimeout(f, 0)} runs after the
 *       current microtasks and after anything already queued on the strand). Promise jobs
 *       run after each callback, as in Node 11+.
 *   <li>One driver task per session keeps the pending timers in a queue and sleeps on Braid's
 *       timer wheel until the earliest deadline (with a paused clock, timer tests are exact).
 *       It exists only while timers are pending.
 *   <li>{@code setImmediate} callbacks are strand tasks: they run on the strand's next turn,
 *       after the work already queued there (settled awaits, I/O completions).
 *   <li>A callback that throws is reported on the host's err stream with its stack (see
 *       {@link JsReporter}); the session, and its other timers, keep running.
 *   <li>{@code session.cancel()} and {@code close()} drop every pending timer and immediate.
 * </ul>
 * Everything here runs on the session's strand.
 */
final class JsTimers {
    private final Guest guest;
    private final JsReporter reporter;
    /** Pending timers by deadline, then creation. */
    private final TreeSet<Timer> queue = new TreeSet<>(Comparator.<Timer>comparingLong(t -> t.deadline).thenComparingLong(t -> t.seq));
    private final Map<Integer, Timer> timers = new HashMap<>();
    private final Map<Integer, AbortHandle> immediates = new HashMap<>();
    private final long originNanos;
    private int lastId;
    private long lastSeq;
    private Driver driver;

    private JsTimers(Guest guest, JsReporter reporter) {
        this.guest = guest;
        this.reporter = reporter;
        this.originNanos = Time.now();
    }

    static JsTimers install(Guest guest, JsReporter reporter) {
        JsTimers t = new JsTimers(guest, reporter);
        Instant wall = Instant.now();
        Map<String, Object> natives = new LinkedHashMap<>();
        natives.put("schedule", (ProxyExecutable) a -> t.schedule(a[0], a[1].asDouble(), a[2].asBoolean(), a[3].asString()));
        natives.put("clear", (ProxyExecutable) a -> {
            t.clear(a[0].asInt());
            return null;
        });
        natives.put("immediate", (ProxyExecutable) a -> t.immediate(a[0]));
        natives.put("clearImmediate", (ProxyExecutable) a -> {
            t.clearImmediate(a[0].asInt());
            return null;
        });
        natives.put("uncaught", (ProxyExecutable) a -> {
            reporter.report(a[1].asString(), a[0]);
            return null;
        });
        natives.put("now", (ProxyExecutable) a -> t.now());
        natives.put("timeOrigin", wall.getEpochSecond() * 1000d + wall.getNano() / 1e6);
        guest.context().eval(JsResources.source("timers.js")).execute(ProxyObject.fromMap(natives));
        guest.onCancel(t::cancelAll);
        return t;
    }

    /** Milliseconds since the session started, on the runtime's clock. */
    double now() {
        return (Time.now() - originNanos) / 1e6;
    }

    private static final class Timer {
        final int id;
        final Value fn;
        final long periodNanos; // 0: a timeout
        final String kind;
        long deadline;
        long seq;

        Timer(int id, Value fn, long deadline, long periodNanos, long seq, String kind) {
            this.id = id;
            this.fn = fn;
            this.deadline = deadline;
            this.periodNanos = periodNanos;
            this.seq = seq;
            this.kind = kind;
        }
    }

    /** Schedules {@code fn} in {@code ms} (already coerced to [1, 2^31-1]), every {@code ms} if it repeats. */
    int schedule(Value fn, double ms, boolean repeat, String kind) {
        long nanos = Math.max(1, Math.round(ms * 1_000_000d));
        Timer t = new Timer(nextId(), fn, saturatedAdd(Time.now(), nanos), repeat ? nanos : 0, ++lastSeq, kind);
        queue.add(t);
        timers.put(t.id, t);
        if (driver == null) {
            Driver d = new Driver();
            driver = d;
            d.handle = guest.spawn("timers", d).abortHandle();
        } else if (queue.first() == t && driver.waker != null) {
            driver.waker.wake(); // it sleeps until a later deadline: re-arm
        }
        return t.id;
    }

    /** Setting a timeout of {@code ms} from outside the guest globals (AbortSignal.timeout). */
    int setTimeout(Value fn, double ms) {
        return schedule(fn, Math.min(Math.max(ms, 1), Integer.MAX_VALUE), false, "AbortSignal.timeout");
    }

    void clear(int id) {
        Timer t = timers.remove(id);
        if (t != null) {
            queue.remove(t); // the driver may wake once for nothing, then re-arms
        }
    }

    int immediate(Value fn) {
        int id = nextId();
        AbortHandle h = guest.spawn("setImmediate", cx -> {
            if (immediates.remove(id) != null) {
                run(fn, "setImmediate");
            }
            return Poll.ready(null);
        }).abortHandle();
        immediates.put(id, h); // the task cannot run before this: we are on its strand
        return id;
    }

    void clearImmediate(int id) {
        AbortHandle h = immediates.remove(id);
        if (h != null) {
            h.abort();
        }
    }

    /** The session is cancelled or closed: nothing pending fires. */
    private void cancelAll() {
        queue.clear();
        timers.clear();
        for (AbortHandle h : immediates.values()) {
            h.abort();
        }
        immediates.clear();
        Driver d = driver;
        driver = null;
        if (d != null) {
            d.handle.abort();
        }
    }

    private int nextId() {
        do {
            lastId = lastId == Integer.MAX_VALUE ? 1 : lastId + 1;
        } while (timers.containsKey(lastId) || immediates.containsKey(lastId));
        return lastId;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * Calls a callback; promise jobs it queued run before this returns. Returns false if the
     * session is being cancelled or closed (the guest was interrupted, or is gone).
     */
    private boolean run(Value fn, String kind) {
        try {
            fn.executeVoid();
            return true;
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted() || e.isExit()) {
                return false;
            }
            reporter.report("uncaught error in a " + kind + " callback", e);
            return true;
        } catch (IllegalStateException e) {
            return false; // the context was closed
        }
    }

    /** Fires due timers; exists while timers are pending. */
    private final class Driver implements Future<Void> {
        AbortHandle handle;
        Waker waker;
        private Sleep sleep;

        @Override
        public Poll<Void> poll(Context cx) {
            if (driver != this) {
                return Poll.ready(null); // cancelled
            }
            waker = cx.waker();
            if (queue.isEmpty()) {
                driver = null;
                dropSleep();
                return Poll.ready(null);
            }
            long head = queue.first().deadline;
            long now = Time.now();
            if (head > now) {
                if (sleep == null || sleep.deadline() != head) {
                    dropSleep();
                    sleep = Time.sleepUntil(head);
                }
                if (sleep.poll(cx).isPending()) {
                    cx.waitingOn("timers", queue.size() + " pending, next at " + (head - originNanos) / 1_000_000 + " ms");
                    return Poll.pending();
                }
                sleep = null;
                now = Math.max(now, head);
            }
            fireDue(now);
            // Let the rest of the strand run (immediates, settled awaits) before the next pass;
            // after an interrupt, the cancel task queued before this one drops it.
            cx.waker().wake();
            return Poll.pending();
        }

        /** Fires the timers due at {@code now}, in order; those they add wait for a later pass. */
        private void fireDue(long now) {
            List<Timer> due = new ArrayList<>();
            for (Timer t : queue) {
                if (t.deadline > now) {
                    break;
                }
                due.add(t);
            }
            for (Timer t : due) {
                if (!queue.remove(t)) {
                    continue; // cleared by an earlier callback
                }
                if (t.periodNanos == 0) {
                    timers.remove(t.id);
                }
                if (!run(t.fn, t.kind) || driver != this) {
                    return; // interrupted, or cancelled by the callback itself
                }
                if (t.periodNanos > 0 && timers.get(t.id) == t) {
                    t.deadline = saturatedAdd(now, t.periodNanos); // Node: from when the pass started
                    t.seq = ++lastSeq;
                    queue.add(t);
                }
            }
        }

        private void dropSleep() {
            if (sleep != null) {
                sleep.drop();
                sleep = null;
            }
        }

        @Override
        public void drop() {
            dropSleep();
        }
    }
}
