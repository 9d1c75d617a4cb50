package dev.braid.sync;

import dev.braid.future.Waker;

/**
 * An intrusive list of waiting futures for the lock-based channels ({@link Broadcast},
 * {@link Watch}). Every method except {@link #wakeAll} must be called under the owner's
 * lock; {@code wakeAll} runs the wakers after the lock is released, so no foreign code runs
 * under it.
 */
final class WaitList {
    /** A waiting future's entry; it belongs to that future and is re-used across its polls. */
    static final class Node {
        Waker waker;
        Node prev;
        Node next;
        boolean linked;
    }

    private Node head;
    private Node tail;
    private int size;

    /** Links {@code n} at the tail, or only updates its waker if it is already linked. */
    void add(Node n, Waker waker) {
        n.waker = waker;
        if (n.linked) {
            return;
        }
        n.linked = true;
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
    }

    /** Unlinks {@code n} if it is linked. */
    void remove(Node n) {
        if (!n.linked) {
            return;
        }
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
        n.linked = false;
        n.waker = null;
        size--;
    }

    /** Unlinks every node and returns their wakers (null if there were none). */
    Waker[] takeAll() {
        if (head == null) {
            return null;
        }
        Waker[] out = new Waker[size];
        int i = 0;
        for (Node n = head; n != null; ) {
            Node next = n.next;
            out[i++] = n.waker;
            n.prev = null;
            n.next = null;
            n.linked = false;
            n.waker = null;
            n = next;
        }
        head = null;
        tail = null;
        size = 0;
        return out;
    }

    int size() {
        return size;
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
