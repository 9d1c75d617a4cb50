package dev.braid.sync;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.util.function.Function;

/**
 * Test helper: an async loop written as a step function. Each step gets the outcome of the
 * previous await (its value, or the exception it failed with) and returns the next future to
 * await, or null to finish. Dropping the loop drops the future it awaits.
 */
final class AsyncLoop implements Future<Void> {
    /** The outcome of the previous await: {@code error} is null if it produced {@code value}. */
    record Step(Object value, RuntimeException error) {
        @SuppressWarnings("unchecked")
        <T> T get() {
            if (error != null) {
                throw error;
            }
            return (T) value;
        }
    }

    private final Function<Step, Future<?>> step;
    private Future<?> current;
    private Step last = new Step(null, null);

    AsyncLoop(Function<Step, Future<?>> step) {
        this.step = step;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        for (;;) {
            if (current == null) {
                current = step.apply(last);
                if (current == null) {
                    return Poll.ready(null);
                }
            }
            Poll<?> p;
            try {
                p = current.poll(cx);
            } catch (RuntimeException e) {
                current = null;
                last = new Step(null, e);
                continue;
            }
            if (p.isPending()) {
                return Poll.pending();
            }
            current = null;
            last = new Step(p.value(), null);
        }
    }

    @Override
    public void drop() {
        Future<?> f = current;
        if (f != null) {
            current = null;
            f.drop();
        }
    }
}
