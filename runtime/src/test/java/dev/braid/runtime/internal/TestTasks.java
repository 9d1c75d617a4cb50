package dev.braid.runtime.internal;

import dev.braid.future.Poll;

/**
 * Test helper for the Lincheck tests of the run queues: real {@link Task} objects made up
 * front (in the test instance's constructor, so that no task is built inside an analysed
 * operation) and told apart by {@link Task#id()}.
 */
final class TestTasks {
    /** A schedule that does nothing: the queue tests never wake their tasks. */
    static final Schedule NOOP_SCHEDULE = Schedule.NOWHERE;

    private final Task<?>[] tasks;
    private final long firstId;

    TestTasks(int n) {
        tasks = new Task<?>[n];
        for (int i = 0; i < n; i++) {
            tasks[i] = new Task<>(cx -> Poll.pending(), NOOP_SCHEDULE, null, null);
        }
        firstId = tasks[0].id();
    }

    Task<?> get(int index) {
        return tasks[index];
    }

    /**
     * The index of a task of this pool, found by its id. Ids come from a global counter, so
     * they are consecutive unless another thread made a task meanwhile: then search.
     */
    int indexOf(Task<?> task) {
        long i = task.id() - firstId;
        if (i >= 0 && i < tasks.length && tasks[(int) i] == task) {
            return (int) i; // the common case; kept cheap, model checking runs it a lot
        }
        for (int j = 0; j < tasks.length; j++) {
            if (tasks[j] == task) {
                return j;
            }
        }
        throw new IllegalStateException("not a task of this pool: " + task);
    }
}
