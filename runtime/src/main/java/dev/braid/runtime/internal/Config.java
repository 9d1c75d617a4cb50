package dev.braid.runtime.internal;

import dev.braid.runtime.SpawnSiteCapture;

import java.time.Duration;

/** The settings a runtime is built with; validated by the public builder. */
public record Config(
        boolean multiThread,
        int workerThreads,
        String threadNamePrefix,
        int maxBlockingThreads,
        Duration blockingKeepAlive,
        int globalQueueInterval,
        int maxLifoPollsPerTick,
        int strandSliceTasks,
        SpawnSiteCapture spawnSiteCapture,
        Runnable onThreadStart,
        Runnable onThreadStop,
        ClockImpl clock,
        boolean monitor,
        Duration stallThreshold,
        int maxStalledThreads,
        Duration deadlockDelay,
        long parkSpinNanos,
        boolean closedWorld) {
}
