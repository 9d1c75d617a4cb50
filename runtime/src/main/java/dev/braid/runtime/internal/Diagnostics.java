package dev.braid.runtime.internal;

import dev.braid.runtime.TaskInfo;

import java.time.Duration;

/** Renders tasks, spawn sites and waits for dumps, stall reports and deadlock reports. */
public final class Diagnostics {
    /** Where Braid's own classes come from; frames from elsewhere are the user's. */
    private static final Object OUR_CODE = codeSource(Diagnostics.class);

    private Diagnostics() {
    }

    static final System.Logger LOG = System.getLogger("dev.braid.runtime");

    /**
     * Wakes {@code w} (nothing if null). A waker is user code (any {@code Waker} may be
     * registered); one that throws is logged, naming {@code firedBy}, and swallowed, so that
     * a driver waking a batch goes on with the rest and never leaves its own bookkeeping
     * half done.
     */
    static void wakeGuarded(dev.braid.future.Waker w, String firedBy) {
        if (w == null) {
            return;
        }
        try {
            w.wake();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "a waker woken by " + firedBy
                    + " threw; ignored, its task may not be polled again", t);
        }
    }

    private static Object codeSource(Class<?> c) {
        var cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    private static boolean isOurs(String className) {
        try {
            Class<?> c = Class.forName(className, false, Diagnostics.class.getClassLoader());
            return OUR_CODE != null && OUR_CODE.equals(codeSource(c));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A one-line description: {@code at Foo.bar(Foo.java:12)} or {@code future Foo (lambda)}.
     *  {@code site} is what the spawn recorded (a frame, a stack, or the future's class). */
    public static String describeSite(Object site) {
        if (site == null) {
            return "unknown";
        }
        if (site instanceof StackTraceElement e) {
            return "at " + e;
        }
        if (site instanceof Throwable t) {
            // The first frames are capture() and the spawn methods; skip Braid's own.
            for (StackTraceElement e : t.getStackTrace()) {
                if (!isOurs(e.getClassName())) {
                    return "at " + e;
                }
            }
            return "unknown";
        }
        if (site instanceof Class<?> c) {
            String n = c.getName();
            int lambda = n.indexOf("$$Lambda");
            return "future " + (lambda > 0 ? n.substring(0, lambda) + " (lambda)" : n);
        }
        return site.toString();
    }

    /** {@code Kind@hash} for an object waited on; strings, numbers and tasks as themselves. */
    static String describeResource(Object r) {
        if (r == null) {
            return "";
        }
        if (r instanceof CharSequence || r instanceof Number) {
            return r.toString();
        }
        if (r instanceof Task<?> t) {
            return Scheduler.describe(t);
        }
        String n = r.getClass().getSimpleName();
        if (n.isEmpty()) {
            n = r.getClass().getName();
        }
        return n + "@" + Integer.toHexString(System.identityHashCode(r));
    }

    /** {@code mpsc.recv(Mpsc@1b6d3586)}, with {@code (+n more)} for several; null if none. */
    static String describeWait(String op, Object resource, int count) {
        if (op == null) {
            return null;
        }
        String s = op + "(" + describeResource(resource) + ")";
        return count > 1 ? s + " (+" + (count - 1) + " more)" : s;
    }

    static String describeWait(Task<?> t) {
        return describeWait(t.waitOp(), t.waitResource(), t.waitCount());
    }

    static String executor(Task<?> t) {
        Schedule s = t.scheduler();
        if (s instanceof StrandScheduler st) {
            return "strand '" + st.name() + "'";
        }
        if (s instanceof BlockingPool) {
            return "blocking";
        }
        return "worker";
    }

    /**
     * A task's dump entry. {@code timed}: the monitor runs, so coarse times mean something;
     * {@code thread}: the thread polling it right now (null if none).
     */
    static TaskInfo info(Task<?> t, boolean timed, long coarseNow, String thread) {
        Duration age = timed && t.spawnedAt != 0 ? Duration.ofNanos(Math.max(0, coarseNow - t.spawnedAt)) : null;
        Duration last = timed ? Duration.ofNanos(Math.max(0, t.lastPoll)) : null;
        String state = thread != null && !t.isComplete() ? "running" : t.stateName();
        return new TaskInfo(t.id(), t.name(), executor(t), state, describeSite(t.spawnSite()),
                age, t.polls(), last, describeWait(t), thread);
    }

    /** The first {@code max} frames of a stack, one per line, indented. */
    static String stack(StackTraceElement[] st, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < st.length && i < max; i++) {
            b.append("\n\tat ").append(st[i]);
        }
        if (st.length > max) {
            b.append("\n\t... ").append(st.length - max).append(" more");
        }
        return b.toString();
    }

    static String format(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + " us";
        }
        if (nanos < 1_000_000_000) {
            return (nanos / 1_000_000) + " ms";
        }
        return String.format("%.2f s", nanos / 1e9);
    }
}
