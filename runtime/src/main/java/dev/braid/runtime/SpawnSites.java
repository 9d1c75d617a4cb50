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

    /** A one-line description: {@code at Foo.bar(Foo.java:12)} or {@code future Foo (lambda)}.
     *  {@code body} is the spawned future, or the callable of a blocking task. */
    static String describe(Object site) {
        return dev.braid.runtime.internal.Diagnostics.describeSite(site);
    }
}
