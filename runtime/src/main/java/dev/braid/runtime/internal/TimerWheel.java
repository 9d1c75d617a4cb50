package dev.braid.runtime.internal;

/**
 * A hierarchical timer wheel: {@value #LEVELS} levels of {@value #SLOTS} slots, one tick per
 * millisecond, so level {@code l} has slots {@code 64^l} ticks wide and the wheel spans
 * {@code 2^36} ticks (about 795 days). Not thread-safe: {@link TimeDriver} guards it.
 *
 * <h2>Placement</h2>
 * An entry due at tick {@code t} goes to the level of the highest 6-bit digit in which
 * {@code t} differs from {@link #elapsed}, into the slot named by {@code t}'s digit at that
 * level. So level 0 holds what is due in the current 64-tick block, level 1 what is due in
 * the current 4 096-tick block, and so on. Insert and remove are O(1) (intrusive doubly
 * linked slot lists). Deadlines past the span are placed at the wheel's horizon and placed
 * again when that slot comes round.
 *
 * <h2>Finding the next deadline</h2>
 * Each level keeps a 64-bit occupancy mask. The next occupied slot of a level is found by
 * rotating the mask to the current position and counting trailing zeros, without scanning
 * entries. Any occupied slot of a lower level is due before every slot of a higher one, so
 * the first level with an occupied slot gives the next deadline.
 *
 * <h2>Advancing</h2>
 * {@link #poll} processes slots in deadline order up to {@code now}: a level-0 slot's
 * entries fire, a higher slot's entries cascade to lower levels. {@code elapsed} never
 * passes the start of an unprocessed occupied slot, which keeps every entry at the level
 * its placement rule gives.
 */
final class TimerWheel {
    static final int SLOT_BITS = 6;
    static final int SLOTS = 1 << SLOT_BITS;
    static final int LEVELS = 6;
    static final long SPAN = 1L << (SLOT_BITS * LEVELS);

    private final long[] occupied = new long[LEVELS];
    private final TimerEntry[] heads = new TimerEntry[LEVELS * SLOTS];
    /** Every entry due at or before this tick has fired. */
    private long elapsed;
    private int size;

    long elapsed() {
        return elapsed;
    }

    int size() {
        return size;
    }

    /** Links {@code e} at its {@code tick}. Returns false, linking nothing, if it is due. */
    boolean insert(TimerEntry e) {
        long when = e.tick;
        if (when <= elapsed) {
            return false;
        }
        long place = Math.min(when, elapsed + SPAN - 1);
        int level = levelFor(elapsed, place);
        int slot = (int) ((place >>> (level * SLOT_BITS)) & (SLOTS - 1));
        int i = level * SLOTS + slot;
        TimerEntry head = heads[i];
        e.prev = null;
        e.next = head;
        if (head != null) {
            head.prev = e;
        }
        heads[i] = e;
        occupied[level] |= 1L << slot;
        e.level = level;
        e.slot = slot;
        size++;
        return true;
    }

    /** Unlinks a linked entry. */
    void remove(TimerEntry e) {
        int i = e.level * SLOTS + e.slot;
        if (e.prev != null) {
            e.prev.next = e.next;
        } else {
            heads[i] = e.next;
            if (e.next == null) {
                occupied[e.level] &= ~(1L << e.slot);
            }
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
        e.level = -1;
        size--;
    }

    static int levelFor(long elapsed, long when) {
        long masked = (elapsed ^ when) | (SLOTS - 1);
        int level = (63 - Long.numberOfLeadingZeros(masked)) / SLOT_BITS;
        // Crossing a 2^36 boundary while closer than SPAN: the top level, wrapped round.
        return Math.min(level, LEVELS - 1);
    }

    /** The tick at which the next occupied slot starts, or {@link Long#MAX_VALUE}. */
    long nextExpiration() {
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[level] != 0) {
                return slotStart(level, nextSlot(level));
            }
        }
        return Long.MAX_VALUE;
    }

    private int nextSlot(int level) {
        // Search from the slot after the current one: the current slot is empty except on
        // the top level, where it can hold only a wrapped entry, which comes last.
        int from = (int) (((elapsed >>> (level * SLOT_BITS)) + 1) & (SLOTS - 1));
        int off = Long.numberOfTrailingZeros(Long.rotateRight(occupied[level], from));
        return (from + off) & (SLOTS - 1);
    }

    private long slotStart(int level, int slot) {
        int shift = level * SLOT_BITS;
        long levelRange = 1L << (shift + SLOT_BITS);
        long start = (elapsed & -levelRange) + ((long) slot << shift);
        int now = (int) ((elapsed >>> shift) & (SLOTS - 1));
        // Below the current position (or at it, above level 0) only a wrapped entry of the
        // top level can sit: it belongs to the next turn of that level.
        if (slot < now || (slot == now && level > 0)) {
            start += levelRange;
        }
        return start;
    }

    /**
     * Advances to {@code now}: fires every entry due at or before it and returns them as a
     * list in deadline order, linked through {@link TimerEntry#fireNext} (unlinked from the wheel, not yet
     * marked fired), or null.
     */
    TimerEntry poll(long now) {
        TimerEntry fired = null;
        TimerEntry last = null;
        for (;;) {
            int level = 0;
            while (level < LEVELS && occupied[level] == 0) {
                level++;
            }
            if (level == LEVELS) {
                break;
            }
            int slot = nextSlot(level);
            long start = slotStart(level, slot);
            if (start > now) {
                break;
            }
            int i = level * SLOTS + slot;
            TimerEntry e = heads[i];
            heads[i] = null;
            occupied[level] &= ~(1L << slot);
            elapsed = start;
            while (e != null) {
                TimerEntry next = e.next;
                e.prev = null;
                e.next = null;
                e.level = -1;
                size--;
                if (!insert(e)) { // due: append, keeping deadline order
                    e.fireNext = null;
                    if (last == null) {
                        fired = e;
                    } else {
                        last.fireNext = e;
                    }
                    last = e;
                }
                e = next;
            }
        }
        if (now > elapsed) {
            elapsed = now;
        }
        return fired;
    }
}
