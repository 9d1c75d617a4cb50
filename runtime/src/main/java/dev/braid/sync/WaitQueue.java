package dev.braid.sync;

/**
 * The intrusive doubly-linked FIFO of waiters shared by {@link Semaphore}, {@link Notify},
 * {@link Barrier} and {@link WaitList}. It only links and unlinks: every method must be called
 * under the owner's lock, except {@link #size}, which may be read without it (a snapshot).
 * Nodes are the waiters themselves, so no method allocates.
 *
 * @param <N> the node type
 */
final class WaitQueue<N extends WaitNode<N>> {
    /** Oldest first; guarded by the owner's lock. */
    private N head;
    private N tail;
    /** Length of the queue: written under the lock, read without it. */
    private volatile int size;

    /** Links {@code n}, which must not be linked, at the tail. */
    void append(N n) {
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
            n.prev = tail;
        }
        tail = n;
        size = size + 1;
    }

    /** Unlinks {@code n}, which must be in this queue, and clears its links. */
    void unlink(N n) {
        N p = n.prev;
        N x = n.next;
        if (p == null) {
            head = x;
        } else {
            p.next = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.prev = p;
        }
        n.prev = null;
        n.next = null;
        size = size - 1;
    }

    /** The oldest node, still linked, or null if the queue is empty. */
    N peekFirst() {
        return head;
    }

    /**
     * Empties the queue in one step and returns its old head (null if it was empty). The
     * returned nodes stay chained through {@code next}, oldest first, for the caller to walk
     * with {@link WaitNode#unchain} (after releasing the lock, if it likes): unlinked nodes are
     * touched by nobody else.
     */
    N takeAll() {
        N first = head;
        head = null;
        tail = null;
        size = 0;
        return first;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** Nodes in the queue; may be read without the lock (a snapshot). */
    int size() {
        return size;
    }
}
