package dev.braid.process;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;
import dev.braid.time.ElapsedException;
import dev.braid.time.Time;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Test helpers: run a future as a task with a bound, and loop over an async step. */
final class Tasks {
    private Tasks() {
    }

    /**
     * Runs {@code f} as a task of {@code rt} and waits at most 20 s for it. A failure of the
     * task is rethrown as itself, not wrapped in a {@link JoinError}; running out of time is an
     * {@link AssertionError} (not an {@link ElapsedException}, which tests expect from their
     * own timeouts).
     */
    static <T> T run(BraidRuntime rt, Future<T> f) {
        JoinHandle<T> task = rt.spawn(f);
        try {
            return rt.blockOn(Time.timeout(Duration.ofSeconds(20), task));
        } catch (ElapsedException e) {
            task.abort();
            throw new AssertionError("the task did not finish within 20 s: is a worker blocked?", e);
        } catch (JoinError e) {
            if (e.isFailed() && e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * A future that runs {@code step} (building a fresh future each time) until it yields
     * {@code null}, feeding each value to {@code sink}; completes with the number of values.
     */
    static <T> Future<Long> forEach(Supplier<Future<T>> step, Consumer<T> sink) {
        return new Future<>() {
            private Future<T> current;
            private long n;

            @Override
            public Poll<Long> poll(Context cx) {
                for (;;) {
                    if (current == null) {
                        current = step.get();
                    }
                    Poll<T> p = current.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    current = null;
                    if (p.value() == null) {
                        return Poll.ready(n);
                    }
                    n++;
                    sink.accept(p.value());
                }
            }

            @Override
            public void drop() {
                if (current != null) {
                    current.drop();
                }
            }
        };
    }
}
