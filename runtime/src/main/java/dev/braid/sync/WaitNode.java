package dev.braid.sync;

/**
 * A node of an intrusive {@link WaitQueue}: the waiting future (or its entry) itself, so that
 * queueing a waiter allocates nothing. The links are guarded by the lock of the primitive that
 * owns the queue; a node is in at most one queue at a time.
 *
 * @param <N> the concrete node type
 */
abstract class WaitNode<N extends WaitNode<N>> {
    /** Wait-queue links; guarded by the owner's lock. Both null while the node is unlinked. */
    N prev;
    N next;

    /**
     * For a whole queue being emptied: clears this node's links and returns the node that
     * followed it. Either under the lock, walking from {@link WaitQueue#peekFirst} before
     * {@link WaitQueue#takeAll}, or on the chain {@code takeAll} returned, by the thread that
     * took it, with or without the lock (nobody else touches a taken node's links).
     */
    final N unchain() {
        N n = next;
        next = null;
        prev = null;
        return n;
    }
}
