package dev.braid.future;

/** Padding before {@link Context}'s fields; see the comment there. */
abstract class ContextPad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields of {@link Context}, between two pads. */
abstract class ContextFields extends ContextPad {
    Waker waker;
    int budget;
    long forcedYields;
    /** What the current poll registered a waker with (see {@link Context#waitingOn}). */
    String waitOp;
    Object waitOn;
    int waits;
}
