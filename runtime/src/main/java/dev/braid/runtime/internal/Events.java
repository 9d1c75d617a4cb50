package dev.braid.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Braid's JFR events. Disabled events cost a field read; see {@code docs/diagnostics.md} for how to
 * record and view them.
 */
final class Events {
    private Events() {
    }

    @Name("dev.braid.Stall")
    @Label("Worker Stalled")
    @Category({"Braid", "Scheduler"})
    @Description("A task's poll ran past the stall threshold and blocked its worker")
    @StackTrace(false)
    static final class Stall extends Event {
        @Label("Worker Thread")
        String worker;
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Spawn Site")
        String spawnSite;
        @Label("Poll Duration So Far")
        @Timespan(Timespan.NANOSECONDS)
        long pollDuration;
        @Label("Replacement Started")
        boolean replaced;
        @Label("Stalled Thread Stack")
        String stack;
    }

    @Name("dev.braid.SlowPoll")
    @Label("Slow Poll")
    @Category({"Braid", "Scheduler"})
    @Description("A task poll that took at least the slow-poll threshold (coarse clock: +-1 ms)")
    @StackTrace(false)
    static final class SlowPoll extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Poll Duration")
        @Timespan(Timespan.NANOSECONDS)
        long pollDuration;
    }

    @Name("dev.braid.WorkerPark")
    @Label("Worker Park")
    @Category({"Braid", "Scheduler"})
    @Description("A worker found no work and parked (as timer/I/O driver or plain sleeper)")
    @StackTrace(false)
    static final class Park extends Event {
        @Label("Worker")
        int worker;
        @Label("Driver")
        @Description("Whether the worker drove timers and I/O while parked")
        boolean driver;
    }

    @Name("dev.braid.Deadlock")
    @Label("Deadlock Detected")
    @Category({"Braid", "Scheduler"})
    @Description("Nothing could make progress while blockOn waited")
    @StackTrace(false)
    static final class Deadlock extends Event {
        @Label("Waiting Tasks")
        int waitingTasks;
        @Label("Failed blockOn")
        @Description("Whether the waiting blockOn calls failed (closed world) or only the report was made")
        boolean failedBlockOn;
        @Label("Report")
        String report;
    }
}
