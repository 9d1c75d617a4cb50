package dev.braid.runtime.internal;

/** Padding before {@link Core}'s fields; see the comment there. */
abstract class CorePad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields of {@link Core}, between two pads. */
abstract class CoreFields extends CorePad {
    final int index;
    final LocalQueue queue = new LocalQueue();
    final LocalQueue.Stats stats = new LocalQueue.Stats();
    /** The LIFO slot and the task being polled; replaced now and then by the driving thread
     *  (see {@link Core#renewSlots}). */
    volatile Core.Slots slots = new Core.Slots();
    /** The thread driving this core; written on hand-off, read by unparkers. */
    volatile Thread thread;
    /** Parker permit; set by unpark(), cleared by park(). */
    @SuppressWarnings("unused")
    volatile boolean notified;

    /** {@link Monitor#coarseNanos} when the current poll started. Written (plain) only by the
     *  driving thread, in {@code pollOnce}, before the release store of the poll's task into
     *  {@link Core.Slots#current}. Read racily by the monitor (how long the watched poll has
     *  run) and by task dumps (the "polled for" they show). Racy is fine: the monitor reads it
     *  after an acquire load of {@code current} that returned this poll's task, so it sees
     *  this poll's start or a later poll's, and a later start only makes the poll look
     *  younger; a stall also needs the same task and poll count over several samples (see
     *  {@link Core}). 64-bit plain accesses do not tear on the 64-bit JVMs we run on. */
    long pollStart;
    /** Longest poll seen on this core, in coarse nanoseconds; owner writes, metrics read. */
    long longestPoll;
    /** Polls that crossed at least one monitor tick, by duration: [0] under 2 ms, [1] under
     *  4 ms, ... [7] 128 ms and over (coarse clock). Owner writes, metrics read. */
    final long[] slowPolls = new long[8];
    /** Set (under the Idle lock) when the monitor gave this core's place to a replacement:
     *  the stalled thread finishes its poll, hands on what it still holds and ends. */
    volatile boolean orphaned;
    /** When the monitor declared this core's current poll stalled (0: not stalled). */
    volatile long stalledSince;

    boolean searching;
    int tick;
    /** Polls started on this core; also read by the monitor (see {@link Core}). */
    long polls;
    long parks;
    long forcedYields;
    /** Tasks spawned and completed by the thread driving this core (live-task accounting);
     *  accessed through Core's opaque accessors. */
    @SuppressWarnings("unused")
    long spawned;
    @SuppressWarnings("unused")
    long completed;
    /** Task ids reserved for spawns on this core: [nextId, idLimit). */
    long nextId;
    long idLimit;
    final Core.SplitMix rng;

    CoreFields(int index, long seed) {
        this.index = index;
        this.rng = new Core.SplitMix(seed);
    }
}
