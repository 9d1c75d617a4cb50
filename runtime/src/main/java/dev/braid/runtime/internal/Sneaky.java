package dev.braid.runtime.internal;

/** Rethrows a checked exception without wrapping it. */
public final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
