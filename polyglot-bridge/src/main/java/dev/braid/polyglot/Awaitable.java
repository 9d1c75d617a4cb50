package dev.braid.polyglot;

import dev.braid.future.Future;
import dev.braid.runtime.JoinHandle;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Braid future on its way into a guest: what {@code braid.sleep(10)}, a task handle or
 * any host call that waits gives guest code. Each language shows it as its own awaitable
 * ({@link LanguageAdapter#wrap}: a JS thenable, a Python awaitable) and finds it again when
 * it comes back ({@link LanguageAdapter#unwrap}).
 *
 * <p>Lazy: the future is made, and starts, when the guest first awaits it or when a Braid
 * combinator takes it ({@code join}, {@code select}...). However many places wait for it, it
 * stands for one operation (see {@link SharedFuture}): a task runs once and every waiter gets
 * its outcome.
 */
public final class Awaitable {
    private final SharedFuture shared;
    /** A task handle's task: a combinator that drops its wait unfinished aborts it. */
    private final JoinHandle<?> task;
    private final Map<String, Object> members;

    Awaitable(Supplier<? extends Future<?>> source, Map<String, Object> members) {
        this.shared = new SharedFuture(source, true);
        this.task = null;
        this.members = members == null ? Map.of() : members;
    }

    /** A task handle: awaiting it joins the task; a combinator that drops it aborts the task. */
    Awaitable(JoinHandle<?> task, Map<String, Object> members) {
        this.shared = new SharedFuture(() -> task, false);
        this.task = task;
        this.members = members == null ? Map.of() : members;
    }

    /**
     * A new wait for the outcome, for a combinator or a language's await (which owns it and
     * drops it if its task is cancelled). A task handle's task is aborted if such a wait is
     * dropped unfinished.
     */
    public Future<Object> future() {
        Future<Object> wait = shared.waiter();
        return task == null ? wait : new AbortOnDrop<>(wait, task);
    }

    /**
     * A new wait for the outcome that leaves a task handle's task running if dropped: what a
     * guest's own {@code await} of a handle uses (a cancelled awaiter never takes the task
     * down with it).
     */
    public Future<Object> waiter() {
        return shared.waiter();
    }

    /** Extra members shown beside the awaitable protocol (a task handle's {@code abort}, {@code id}...). */
    public Map<String, Object> members() {
        return members;
    }
}
