package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.runtime.internal.Task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A set of tasks on one runtime, joined in the order they finish. Closing the set (or
 * {@link #abortAll()}) aborts every task it still holds: a set that goes out of scope in a
 * try-with-resources block leaves no orphan behind.
 *
 * <h2>How finished tasks are found</h2>
 * Each member's join waker is an {@code Entry} that, on completion, pushes itself onto a
 * ready queue and wakes whoever waits in {@link #joinNext()}. So {@code joinNext} never
 * scans the members, whatever their number.
 *
 * <p>{@code joinNext()} is cancellation-safe: a result is only removed from the set by the
 * poll that returns it.
 *
 * <p>{@code joinNext()} returning a failed task's result retrieves its failure. A member that
 * failed and was never joined (the set was closed, or dropped, first) is reported as an
 * {@link UnretrievedFailure} once the set no longer holds it, or when the runtime shuts down.
 */
public final class JoinSet<T> implements AutoCloseable {
    private final BraidRuntime runtime;
    private final Map<Long, Entry<T>> members = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry<T>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Waker> waiter = new AtomicReference<>();

    /** A set whose tasks are spawned on {@code runtime}. */
    public JoinSet(BraidRuntime runtime) {
        this.runtime = runtime;
    }

    /** A set on the runtime of the calling thread. */
    public JoinSet() {
        this(BraidRuntime.current());
    }

    public AbortHandle spawn(Future<? extends T> future) {
        return spawn(null, future);
    }

    public AbortHandle spawn(String name, Future<? extends T> future) {
        @SuppressWarnings("unchecked")
        Task<T> task = (Task<T>) runtime.spawnTask(name, future);
        return add(task);
    }

    /** Spawns onto a strand but joins through this set. */
    public AbortHandle spawnOn(Strand strand, Future<? extends T> future) {
        @SuppressWarnings("unchecked")
        Task<T> task = (Task<T>) strand.spawnTask(null, future);
        return add(task);
    }

    private AbortHandle add(Task<T> task) {
        Entry<T> e = new Entry<>(this, task);
        task.bindHandle(e); // a failure not joined is reported once the set forgets the entry
        members.put(task.id(), e);
        if (task.registerJoinWaker(e)) {
            task.bindHandle(e); // finished already, maybe before it could see e: hand e to its failure
            e.wake();
        }
        return new AbortHandle(task);
    }

    public int size() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * Waits for the next task to finish and returns its result, or {@code null} once the
     * set is empty.
     */
    public Future<JoinResult<T>> joinNext() {
        return new Future<>() {
            @Override
            public Poll<JoinResult<T>> poll(Context cx) {
                for (;;) {
                    Entry<T> e = ready.poll();
                    if (e == null) {
                        if (members.isEmpty()) {
                            return Poll.ready(null);
                        }
                        waiter.set(cx.waker());
                        if (ready.isEmpty()) {
                            cx.waitingOn("joinset.next", JoinSet.this);
                            return Poll.pending();
                        }
                        continue;
                    }
                    if (members.remove(e.task.id()) == null) {
                        continue; // duplicate wake of an entry already returned
                    }
                    if (!cx.pollProceed()) {
                        members.put(e.task.id(), e);
                        ready.add(e);
                        return Poll.pending();
                    }
                    try {
                        return Poll.ready(new JoinResult<>(e.task.id(), JoinHandle.outcome(e.task), null));
                    } catch (JoinError err) {
                        return Poll.ready(new JoinResult<>(e.task.id(), null, err));
                    }
                }
            }

            @Override
            public void drop() {
                // Nothing to release: clearing the waiter could erase a newer joinNext's
                // registration, and a stale waker only costs one spurious wake-up.
            }
        };
    }

    /** Aborts every task in the set; they stay members until joined (as cancelled). */
    public void abortAll() {
        for (Entry<T> e : members.values()) {
            e.task.abort();
        }
    }

    /** Aborts every task still in the set and forgets them. */
    @Override
    public void close() {
        abortAll();
        for (Entry<T> e : members.values()) {
            e.task.clearJoinWaker();
        }
        members.clear();
        ready.clear();
    }

    @Override
    public String toString() {
        return "JoinSet(" + members.size() + " tasks, " + ready.size() + " finished)";
    }

    private static final class Entry<T> implements Waker {
        final JoinSet<T> set;
        final Task<T> task;

        Entry(JoinSet<T> set, Task<T> task) {
            this.set = set;
            this.task = task;
        }

        @Override
        public void wake() {
            set.ready.add(this);
            Waker w = set.waiter.getAndSet(null);
            if (w != null) {
                w.wake();
            }
        }
    }
}
