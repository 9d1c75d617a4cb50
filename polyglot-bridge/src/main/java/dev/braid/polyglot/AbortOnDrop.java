package dev.braid.polyglot;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.JoinHandle;

/** A task's handle that aborts the task when dropped unfinished (select and race losers). */
final class AbortOnDrop<T> implements Future<T> {
    private final JoinHandle<T> handle;
    private boolean done;

    AbortOnDrop(JoinHandle<T> handle) {
        this.handle = handle;
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p = handle.poll(cx);
        if (p.isReady()) {
            done = true;
        }
        return p;
    }

    @Override
    public void drop() {
        handle.drop();
        if (!done) {
            handle.abort();
        }
    }
}
