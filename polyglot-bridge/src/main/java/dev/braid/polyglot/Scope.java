package dev.braid.polyglot;

import dev.braid.runtime.AbortHandle;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The waits started by one guest task: the tasks that settle the promises its code awaits
 * (see {@link Awaitable}) and the guest tasks it owns. Cancelling a scope aborts them all, so
 * a cancelled guest task stops at its pending await and never resumes. Confined to the
 * guest's strand.
 */
final class Scope {
    final Scope parent;
    /** Made on the first add: most guest tasks never wait on anything (null until then). */
    private Set<AbortHandle> waits;
    private boolean cancelled;

    Scope(Scope parent) {
        this.parent = parent;
    }

    boolean isCancelled() {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.cancelled) {
                return true;
            }
        }
        return false;
    }

    void add(AbortHandle h) {
        if (isCancelled()) {
            h.abort();
        } else {
            if (waits == null) {
                waits = new LinkedHashSet<>();
            }
            waits.add(h);
        }
    }

    void remove(AbortHandle h) {
        if (waits != null) {
            waits.remove(h);
        }
    }

    void cancel() {
        cancelled = true;
        if (waits == null) {
            return;
        }
        AbortHandle[] all = waits.toArray(new AbortHandle[0]);
        waits.clear();
        for (AbortHandle h : all) {
            h.abort();
        }
    }

    int size() {
        return waits == null ? 0 : waits.size();
    }
}
