package dev.braid.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every live task of a runtime, so that shutdown can drop the ones that wait and
 * diagnostics can list them. Sharded intrusive doubly-linked lists (through
 * {@link Task#ownedPrev}/{@link Task#ownedNext}), one lock per shard, chosen by task id, so
 * that spawns and completions on different workers rarely meet on a lock.
 *
 * <p>Once {@link #close() closed}, {@link #bind} refuses new tasks; a task bound just before
 * the close is still seen by the shutdown sweep, because both take the shard lock.
 */
public final class OwnedTasks {
    private final Shard[] shards;
    private final int mask;
    private volatile boolean closed;

    public OwnedTasks(int minShards) {
        int n = Integer.highestOneBit(Math.max(1, minShards - 1)) << 1;
        shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard();
        }
        mask = n - 1;
    }

    /** Adds a task; returns false if the runtime is shut down. */
    public boolean bind(Task<?> task) {
        Shard s = shards[(int) task.id() & mask];
        synchronized (s) {
            if (closed) {
                return false;
            }
            Task<?> h = s.head;
            task.ownedNext = h;
            task.ownedPrev = null;
            if (h != null) {
                h.ownedPrev = task;
            }
            s.head = task;
            task.owned = true;
            s.count++;
        }
        return true;
    }

    public void remove(Task<?> task) {
        Shard s = shards[(int) task.id() & mask];
        synchronized (s) {
            if (!task.owned) {
                return;
            }
            task.owned = false;
            Task<?> p = task.ownedPrev;
            Task<?> n = task.ownedNext;
            if (p == null) {
                s.head = n;
            } else {
                p.ownedNext = n;
            }
            if (n != null) {
                n.ownedPrev = p;
            }
            task.ownedPrev = null;
            task.ownedNext = null;
            s.count--;
        }
    }

    /** A snapshot, shard by shard; takes each shard lock briefly (metrics are rare, spawns are not). */
    public long aliveCount() {
        long n = 0;
        for (Shard s : shards) {
            synchronized (s) {
                n += s.count;
            }
        }
        return n;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses further binds. Call {@link #forEachSnapshot} afterwards to sweep. */
    public void close() {
        for (Shard s : shards) {
            synchronized (s) {
                closed = true;
            }
        }
    }

    /** Calls {@code action} for each task alive at the moment its shard was read. */
    public void forEachSnapshot(Consumer<Task<?>> action) {
        List<Task<?>> copy = new ArrayList<>();
        for (Shard s : shards) {
            synchronized (s) {
                for (Task<?> t = s.head; t != null; t = t.ownedNext) {
                    copy.add(t);
                }
            }
        }
        copy.forEach(action);
    }

    private static final class Shard {
        Task<?> head;
        /** Guarded by the shard's lock. */
        int count;
    }
}
