package dev.braid.runtime;

import dev.braid.future.Future;

import java.util.Optional;

/** Records and renders where a task was spawned, at the cost the runtime was built with. */
final class SpawnSites {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private SpawnSites() {
    }

    static Object capture(SpawnSiteCapture mode, Future<?> future) {
        switch (mode) {
            case CALLER:
                Optional<StackWalker.StackFrame> f = WALKER.walk(s -> s
                        .filter(fr -> !fr.getClassName().startsWith("dev.braid.runtime.")
                                && !fr.getClassName().startsWith("dev.braid.future."))
                        .findFirst());
                return f.map(StackWalker.StackFrame::toStackTraceElement).orElse(null);
            case FULL_STACK:
                return new Throwable("spawned here");
            default:
                return future.getClass();
        }
    }

    /** A one-line description: {@code at Foo.bar(Foo.java:12)} or {@code future Foo$$Lambda}. */
    static String describe(Object site) {
        if (site == null) {
            return "unknown";
        }
        if (site instanceof StackTraceElement e) {
            return "at " + e;
        }
        if (site instanceof Throwable t) {
            for (StackTraceElement e : t.getStackTrace()) {
                String c = e.getClassName();
                if (!c.startsWith("dev.braid.runtime.") && !c.startsWith("dev.braid.future.")) {
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
}
