package dev.braid.sync;

import dev.braid.future.Waker;

/**
 * An intrusive list of waiting futures for the lock-based channels ({@link Broadcast},
 * {@link Watch}): a {@link WaitQueue} whose entries also hold their wakers. Every method except
 * {@link #wakeAll} must be called under the owner's lock; {@code wakeAll} runs the wakers after
 * the lock is released, so no foreign code runs under it.
 */
final class WaitList {
    /** A waiting future's entry; it belongs to that future and is re-used across its polls. */
    static final class Node extends WaitNode<Node> {
        Waker waker;
        boolean linked;
    }

    private final WaitQueue<Node> queue = new WaitQueue<>();

    /** Links {@code n} at the tail, or only updates its waker if it is already linked. */
    void add(Node n, Waker waker) {
        n.waker = waker;
        if (n.linked) {
            return;
        }
        n.linked = true;
        queue.append(n);
    }

    /** Unlinks {@code n} if it is linked. */
    void remove(Node n) {
        if (!n.linked) {
            return;
        }
        queue.unlink(n);
        n.linked = false;
        n.waker = null;
    }

    /** Unlinks every node and returns their wakers (null if there were none). */
    Waker[] takeAll() {
        if (queue.isEmpty()) {
            return null;
        }
        Waker[] out = new Waker[queue.size()];
        int i = 0;
        for (Node n = queue.takeAll(); n != null; ) {
            Node next = n.unchain();
            out[i++] = n.waker;
            n.linked = false;
            n.waker = null;
            n = next;
        }
        return out;
    }

    int size() {
        return queue.size();
    }

    /**
     * Wakes every waker (outside the lock). A throwing waker is logged and does not keep the
     * others asleep (see {@link Coop}).
     */
    static void wakeAll(Waker[] wakers, Object owner) {
        if (wakers == null) {
            return;
        }
        for (Waker w : wakers) {
            Coop.wake(w, owner);
        }
    }
}
