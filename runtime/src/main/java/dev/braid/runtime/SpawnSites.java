package dev.braid.runtime;

import java.util.Optional;

/** Records and renders where a task was spawned, at the cost the runtime was built with. */
final class SpawnSites {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Where Braid's own classes come from; frames from elsewhere are the user's. */
    private static final Object OUR_CODE = codeSource(SpawnSites.class);

    private SpawnSites() {
    }

    static Object capture(SpawnSiteCapture mode, Object body) {
        switch (mode) {
            case CALLER:
                Optional<StackWalker.StackFrame> f = WALKER.walk(s -> s
                        .filter(fr -> !isOurs(fr.getDeclaringClass()))
                        .findFirst());
                return f.map(StackWalker.StackFrame::toStackTraceElement).orElse(null);
            case FULL_STACK:
                return new Throwable("spawned here");
            default:
                return body.getClass();
        }
    }

    private static Object codeSource(Class<?> c) {
        var cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    private static boolean isOurs(Class<?> c) {
        return OUR_CODE != null && OUR_CODE.equals(codeSource(c));
    }

    private static boolean isOurs(String className) {
        try {
            return isOurs(Class.forName(className, false, SpawnSites.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A one-line description: {@code at Foo.bar(Foo.java:12)} or {@code future Foo (lambda)}.
     *  {@code body} is the spawned future, or the callable of a blocking task. */
    static String describe(Object site) {
        if (site == null) {
            return "unknown";
        }
        if (site instanceof StackTraceElement e) {
            return "at " + e;
        }
        if (site instanceof Throwable t) {
            StackTraceElement[] st = t.getStackTrace();
            // The first frames are capture() and the spawn methods; skip Braid's own.
            for (StackTraceElement e : st) {
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
}
