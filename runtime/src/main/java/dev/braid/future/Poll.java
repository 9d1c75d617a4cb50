package dev.braid.future;

/**
 * The result of one {@link Future#poll(Context) poll}: either {@linkplain #isReady() ready}
 * with a value, or {@linkplain #isPending() pending}.
 *
 * <p>Failure is not a state of {@code Poll}: a future that fails throws from {@code poll}.
 * Pending is a single shared instance, so returning it allocates nothing.
 */
public final class Poll<T> {
    private static final Poll<?> PENDING = new Poll<>(null, false);
    private static final Poll<?> READY_NULL = new Poll<>(null, true);

    private final T value;
    private final boolean ready;

    private Poll(T value, boolean ready) {
        this.value = value;
        this.ready = ready;
    }

    /** A ready result carrying {@code value} (which may be {@code null}). */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) READY_NULL : new Poll<>(value, true);
    }

    /** The pending result. The future must have arranged a wake-up before returning it. */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> pending() {
        return (Poll<T>) PENDING;
    }

    public boolean isReady() {
        return ready;
    }

    public boolean isPending() {
        return !ready;
    }

    /** The value of a ready result. */
    public T value() {
        if (!ready) {
            throw new IllegalStateException("value() called on a pending Poll");
        }
        return value;
    }

    @Override
    public String toString() {
        return ready ? "Ready(" + value + ")" : "Pending";
    }
}
