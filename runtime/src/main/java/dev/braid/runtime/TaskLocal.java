package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A value visible to the code of one future while it is polled, whatever thread polls it;
 * the task equivalent of a {@link ThreadLocal}. Set it with {@link #scope}: every poll of
 * the wrapped future (and its drop) sees the value; other tasks on the same thread do not.
 *
 * <pre>{@code
 * static final TaskLocal<String> REQUEST_ID = new TaskLocal<>("request-id");
 * rt.spawn(REQUEST_ID.scope("r-42", handler()));   // inside: REQUEST_ID.get() == "r-42"
 * }</pre>
 */
public final class TaskLocal<T> {
    private static final Object UNSET = new Object();
    private final String name;
    private final ThreadLocal<Object> current = ThreadLocal.withInitial(() -> UNSET);

    public TaskLocal(String name) {
        this.name = name;
    }

    /** A future that runs {@code future} with this local set to {@code value}. */
    public <R> Future<R> scope(T value, Future<R> future) {
        return new Future<>() {
            @Override
            public Poll<R> poll(Context cx) {
                Object prev = current.get();
                current.set(value);
                try {
                    return future.poll(cx);
                } finally {
                    current.set(prev);
                }
            }

            @Override
            public void drop() {
                Object prev = current.get();
                current.set(value);
                try {
                    future.drop();
                } finally {
                    current.set(prev);
                }
            }
        };
    }

    /** Runs {@code body} synchronously with this local set to {@code value}. */
    public <R> R sync(T value, Supplier<R> body) {
        Object prev = current.get();
        current.set(value);
        try {
            return body.get();
        } finally {
            current.set(prev);
        }
    }

    /** The value in scope; throws if the caller is not inside a {@link #scope}. */
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = current.get();
        if (v == UNSET) {
            throw new NoSuchElementException("task-local '" + name + "' is not set: read it inside " + name + ".scope(...)");
        }
        return (T) v;
    }

    /** The value in scope, or {@code fallback}. */
    @SuppressWarnings("unchecked")
    public T getOrElse(T fallback) {
        Object v = current.get();
        return v == UNSET ? fallback : (T) v;
    }

    public boolean isSet() {
        return current.get() != UNSET;
    }

    @Override
    public String toString() {
        return "TaskLocal[" + name + "]";
    }
}
