package dev.braid.runtime.internal;

import dev.braid.future.Future;
import dev.braid.future.Poll;

/**
 * Tasks made inside an actor the way {@link MultiThreadScheduler#spawnOn} makes them, and the
 * check that a thread which obtained one through a run queue sees what its maker wrote.
 *
 * <p>Of the fields written, only the final ones are safe without the queue's release store:
 * {@code future} and {@code state} (set in the constructor, but neither final) and
 * {@code spawnedAt} (set after the constructor, outside the final-field freeze) are visible
 * to the taker only because the queue publishes the task. The last one is the likeliest to
 * show a broken publication: no constructor barrier sits between it and the store that
 * publishes the task.
 */
final class Spawned {
    private Spawned() {
    }

    /** The future every test task holds (never polled). */
    static final Future<Object> FUTURE = cx -> Poll.pending();

    /** A scheduler that does nothing: these tasks are never woken or released. */
    static final Schedule NOWHERE = Schedule.NOWHERE;

    /** Bits of {@link #seen}: each set if the taker saw the maker's write. */
    static final int STATE = 1, FUTURE_FIELD = 2, SPAWNED_AT = 4;
    /** {@link #seen} when every write was visible. */
    static final int ALL = STATE | FUTURE_FIELD | SPAWNED_AT;

    /**
     * A task as {@code spawnOn} makes it: born scheduled with the given id (not 0), then
     * stamped (here with its id instead of the coarse clock).
     */
    static Task<Object> make(long id) {
        Task<Object> t = new Task<>(id, FUTURE, NOWHERE, null, null);
        t.spawnedAt = id;
        return t;
    }

    /** The id of {@code t} (a final field: always visible), or 0 for none. */
    static int id(Task<?> t) {
        return t == null ? 0 : (int) t.id();
    }

    /** Which of {@link #make}'s writes the calling thread sees in {@code t}; see the bits above. */
    static int seen(Task<?> t) {
        int s = 0;
        if (t.rawState() == TaskState.NOTIFIED) {
            s |= STATE;
        }
        if (t.futureForDiagnostics() == FUTURE) {
            s |= FUTURE_FIELD;
        }
        if (t.spawnedAt == t.id()) {
            s |= SPAWNED_AT;
        }
        return s;
    }
}
