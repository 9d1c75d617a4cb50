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
    /** The task most recently woken by the running task. Exchanged atomically so that
     *  another thread may take it once the blocking monitor lands; today only the driver does. */
    @SuppressWarnings("unused")
    volatile Task<?> lifo;
    /** The thread driving this core; written on hand-off, read by unparkers. */
    volatile Thread thread;
    /** Parker permit; set by unpark(), cleared by park(). */
    @SuppressWarnings("unused")
    volatile boolean notified;

    boolean searching;
    int tick;
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
