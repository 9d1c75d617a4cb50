package dev.braid.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock-free multi-producer, single-consumer queue under {@link Mpsc}: a linked list of
 * fixed-size blocks of slots, after Tokio's {@code sync/mpsc/list.rs} and {@code block.rs}.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li><b>Claim.</b> A sender takes the next slot index with one {@code getAndAdd} on the
 *       {@link #tail} word, which also carries the two closed bits. A claim made while
 *       {@link #RX_CLOSED} is set fails: the sender keeps its value and writes nothing. The
 *       claim is the linearization point of a send.
 *   <li><b>Write.</b> The sender finds the block of its index (growing the list if needed),
 *       stores the value in the slot (plain) and sets the slot's bit in the block's
 *       {@code ready} mask ({@code getAndBitwiseOr}, which releases the value).
 *   <li><b>Take.</b> The consumer reads slot after slot in index order. A slot below the
 *       claimed limit whose ready bit is not set yet is <em>busy</em>: its sender is between
 *       claim and write. {@link #poll} reports that, and the caller either waits for the
 *       sender's wake-up or spins (a few instructions of the sender's).
 *   <li><b>Close.</b> Setting {@link #RX_CLOSED} freezes the receivable range at the index of
 *       the closing {@code getAndBitwiseOr}; {@link #TX_CLOSED} is set once the last sender is
 *       gone, when no claim can follow. Either way the consumer drains the claimed slots below
 *       the frozen limit and then sees the end.
 * </ol>
 *
 * <h2>Who touches what</h2>
 * Senders: {@link #tail}, {@link #tailBlock}, a block's {@code next}, their own slot, the
 * {@code ready} mask. The consumer alone: {@link #headBlock}, {@link #headIndex} (published
 * with release for {@link #len()} from other threads), {@link #rxLimit}, {@link #cachedLimit}.
 *
 * <h2>The tail-block hint</h2>
 * {@link #tailBlock} is where senders start looking for their block. It only moves past a
 * block whose slots are all written ({@code ready} full), so every sender with a claimed but
 * unwritten slot still finds its block at or after the hint. Blocks are never reused: once
 * the consumer and the hint have moved on, the garbage collector takes them.
 */
final class BlockList<T> {
    /** Tail word: set once the receiver closed; claims fail from then on. */
    static final long RX_CLOSED = 1;
    /** Tail word: set once the last sender (or permit) is gone. */
    static final long TX_CLOSED = 2;
    private static final int FLAG_BITS = 2;
    private static final long ONE = 1L << FLAG_BITS;

    /** Results of {@link #poll}. */
    static final int VALUE = 0;
    static final int EMPTY = 1;
    static final int BUSY = 2;
    static final int END = 3;

    /** Default slots per block; a power of two up to 64 (one {@code long} of ready bits). */
    static final int DEFAULT_BLOCK_SIZE = 32;

    private static final VarHandle TAIL;
    private static final VarHandle TAIL_BLOCK;
    private static final VarHandle HEAD_INDEX;
    private static final VarHandle NEXT;
    private static final VarHandle READY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(BlockList.class, "tail", long.class);
            TAIL_BLOCK = l.findVarHandle(BlockList.class, "tailBlock", Block.class);
            HEAD_INDEX = l.findVarHandle(BlockList.class, "headIndex", long.class);
            NEXT = l.findVarHandle(Block.class, "next", Block.class);
            READY = l.findVarHandle(Block.class, "ready", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A run of {@code size} slots starting at index {@link #start}. */
    static final class Block<T> {
        final long start;
        final Object[] slots;
        /** Bit i: slot i written. Set with getAndBitwiseOr (release); read volatile. */
        volatile long ready;
        volatile Block<T> next;

        Block(long start, int size) {
            this.start = start;
            this.slots = new Object[size];
        }
    }

    private final int size;
    private final long fullMask;

    // ---- senders' side ----
    /** (next index << 2) | TX_CLOSED | RX_CLOSED. */
    private volatile long tail;
    /** Hint: a block at or before the block of every claimed, unwritten slot. */
    private volatile Block<T> tailBlock;

    // ---- consumer's side ----
    private Block<T> headBlock;
    /** Next index to take; written by the consumer only, with release (read by len()). */
    private long headIndex;
    /** The claimed limit last read from tail; slots below it are claimed. */
    private long cachedLimit;
    /** The limit frozen by the receiver's close, or -1; written once, by the consumer. */
    private volatile long rxLimit = -1;
    /** The value found by the last {@link #poll} that returned {@link #VALUE}. */
    private Object polled;

    BlockList(int blockSize) {
        if (blockSize < 1 || blockSize > 64 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two in 1..64: " + blockSize);
        }
        this.size = blockSize;
        this.fullMask = blockSize == 64 ? -1L : (1L << blockSize) - 1;
        Block<T> first = new Block<>(0, blockSize);
        this.headBlock = first;
        this.tailBlock = first;
    }

    // ---- senders ---------------------------------------------------------------------

    /**
     * Appends {@code value}; returns false (writing nothing) if the receiver has closed.
     * Any thread.
     */
    boolean push(T value) {
        long t = (long) TAIL.getAndAdd(this, ONE);
        if ((t & RX_CLOSED) != 0) {
            return false;
        }
        long index = t >>> FLAG_BITS;
        Block<T> b = findBlock(index);
        int off = (int) (index & (size - 1));
        b.slots[off] = value; // plain: released by the getAndBitwiseOr below
        READY.getAndBitwiseOr(b, 1L << off); // release: pairs with the volatile read in poll()
        return true;
    }

    /** The block that holds {@code index}, growing the list as needed. */
    private Block<T> findBlock(long index) {
        long start = index & -size;
        int off = (int) (index - start);
        Block<T> b = tailBlock;
        // Only a sender whose slot is far enough ahead tries to move the hint (Tokio's
        // heuristic): it keeps the CAS off the common path.
        boolean advance = (start - b.start) / size > off;
        while (b.start != start) {
            Block<T> next = b.next;
            if (next == null) {
                next = grow(b);
            }
            if (advance && b.ready == fullMask) {
                // Every slot of b is written: no sender still needs it.
                advance = TAIL_BLOCK.compareAndSet(this, b, next);
            } else {
                advance = false;
            }
            b = next;
        }
        return b;
    }

    /** Appends a block after {@code b}, or returns the one another sender appended. */
    private Block<T> grow(Block<T> b) {
        Block<T> n = new Block<>(b.start + size, size);
        Object witness = NEXT.compareAndExchange(b, null, n);
        @SuppressWarnings("unchecked")
        Block<T> won = witness == null ? n : (Block<T>) witness;
        return won;
    }

    /** Sets {@link #TX_CLOSED}: the last sender is gone. Any thread, once. */
    void closeTx() {
        TAIL.getAndBitwiseOr(this, TX_CLOSED);
    }

    boolean isRxClosed() {
        return (tail & RX_CLOSED) != 0;
    }

    // ---- the consumer ----------------------------------------------------------------

    /** Sets {@link #RX_CLOSED}; slots claimed before it stay receivable. Consumer only. */
    void closeRx() {
        long t = (long) TAIL.getAndBitwiseOr(this, RX_CLOSED);
        if ((t & RX_CLOSED) == 0) {
            rxLimit = t >>> FLAG_BITS;
        }
    }

    /**
     * Looks at the next slot without taking it: {@link #VALUE} (then {@link #take()} returns
     * it), {@link #EMPTY}, {@link #BUSY} (claimed, not yet written) or {@link #END} (closed and
     * drained). Consumer only.
     */
    int poll() {
        long h = headIndex;
        if (h >= cachedLimit) {
            long t = tail;
            long frozen = rxLimit;
            long limit = frozen >= 0 ? frozen : t >>> FLAG_BITS;
            cachedLimit = limit;
            if (h >= limit) {
                // TX_CLOSED: no sender is left, so no claim can follow the limit we read.
                return frozen >= 0 || (t & TX_CLOSED) != 0 ? END : EMPTY;
            }
        }
        Block<T> b = headBlock;
        if (h - b.start == size) {
            Block<T> next = b.next;
            if (next == null) {
                return BUSY; // claimed by a sender that has not appended the block yet
            }
            headBlock = b = next;
        }
        int off = (int) (h - b.start);
        if ((b.ready & (1L << off)) == 0) { // acquire: pairs with the release in push()
            return BUSY;
        }
        polled = b.slots[off];
        return VALUE;
    }

    /** Takes the value the last {@link #poll} found. Consumer only. */
    @SuppressWarnings("unchecked")
    T take() {
        long h = headIndex;
        Block<T> b = headBlock;
        b.slots[(int) (h - b.start)] = null; // plain: this slot is the consumer's alone now
        T v = (T) polled;
        polled = null;
        HEAD_INDEX.setRelease(this, h + 1); // release: pairs with the acquire in len()
        return v;
    }

    /** Values claimed and not yet taken (including busy ones). Any thread; a snapshot. */
    long len() {
        long h = (long) HEAD_INDEX.getAcquire(this);
        long t = tail;
        long frozen = rxLimit;
        // Claims after RX_CLOSED failed and wrote nothing: the frozen limit excludes them.
        long limit = frozen >= 0 ? frozen : t >>> FLAG_BITS;
        return Math.max(0, limit - h);
    }
}
