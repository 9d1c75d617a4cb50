package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.JoinHandle;

/** A wait for a task that aborts the task when dropped unfinished (select and race losers). */
final class AbortOnDrop<T> implements Future<T> {
    private final Future<T> join;
    private final JoinHandle<?> handle;
    private boolean done;

    AbortOnDrop(Future<T> join, JoinHandle<?> handle) {
        this.join = join;
        this.handle = handle;
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p = join.poll(cx);
        if (p.isReady()) {
            done = true;
        }
        return p;
    }

    @Override
    public void drop() {
        join.drop();
        if (!done) {
            handle.abort();
        }
    }
}
