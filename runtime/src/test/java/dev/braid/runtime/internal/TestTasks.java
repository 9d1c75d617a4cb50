package dev.braid.runtime.internal;

import dev.braid.future.Poll;

import java.util.HashMap;
import java.util.Map;

/**
 * Test helper for the Lincheck tests of the run queues: real {@link Task} objects made up
 * front (in the test instance's constructor, so that no task is built inside an analysed
 * operation) and told apart by {@link Task#id()}.
 */
final class TestTasks {
    /** A schedule that does nothing: the queue tests never wake their tasks. */
    static final Schedule NOOP_SCHEDULE = new Schedule() {
        @Override
        public void schedule(Task<?> task, boolean isYield) {
        }

        @Override
        public void release(Task<?> task) {
        }
    };

    private final Task<?>[] tasks;
    /** Read-only after construction: task id → index in {@link #tasks}. */
    private final Map<Long, Integer> indexById;

    TestTasks(int n) {
        tasks = new Task<?>[n];
        indexById = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Task<Object> t = new Task<>(cx -> Poll.pending(), NOOP_SCHEDULE, null, null);
            tasks[i] = t;
            indexById.put(t.id(), i);
        }
    }

    Task<?> get(int index) {
        return tasks[index];
    }

    int size() {
        return tasks.length;
    }

    /** The index of a task of this pool, found by its id; fails on a foreign task. */
    int indexOf(Task<?> task) {
        Integer i = indexById.get(task.id());
        if (i == null) {
            throw new IllegalStateException("not a task of this pool: " + task);
        }
        return i;
    }
}
