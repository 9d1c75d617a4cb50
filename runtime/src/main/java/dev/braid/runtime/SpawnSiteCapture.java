package dev.braid.runtime;

/** How much a runtime records about where each task was spawned. */
public enum SpawnSiteCapture {
    /** The class of the spawned future (for a lambda, its defining class). Costs nothing. */
    FUTURE_CLASS,
    /** The first stack frame outside Braid: file and line of the spawn call. About a
     *  microsecond per spawn. */
    CALLER,
    /** The whole stack of the spawn call. Several microseconds per spawn; for debugging. */
    FULL_STACK
}
