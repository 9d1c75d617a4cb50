package dev.braid.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a runtime's live tasks, taken without stopping the workers (so it may be
 * slightly torn while tasks run). {@link #toString()} renders it as text, one task per line.
 *
 * <p>Listed are the tasks that are running or have been pending at least once; tasks
 * spawned and still queued for their first poll are counted in {@link #queuedUnpolled()}.
 *
 * @param runtime        the runtime's thread-name prefix
 * @param takenAt        when the snapshot was taken
 * @param tasks          the listed tasks, by id
 * @param queuedUnpolled tasks alive but not listed (spawned, not yet polled)
 */
public record TaskDump(String runtime, Instant takenAt, List<TaskInfo> tasks, long queuedUnpolled) {

    public TaskDump {
        tasks = List.copyOf(tasks);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Task dump of runtime '").append(runtime).append("' at ")
                .append(takenAt).append(": ").append(tasks.size()).append(tasks.size() == 1 ? " task" : " tasks");
        if (queuedUnpolled > 0) {
            b.append(" (+").append(queuedUnpolled).append(" queued, not yet polled)");
        }
        for (TaskInfo t : tasks) {
            b.append("\n  ").append(t);
        }
        return b.toString();
    }

    /** {@code 850 us}, {@code 12 ms}, {@code 1.25 s}, {@code 3 min 4 s}. */
    static String format(Duration d) {
        long ns = d.toNanos();
        if (ns < 1_000_000) {
            return (ns / 1_000) + " us";
        }
        if (ns < 1_000_000_000) {
            return (ns / 1_000_000) + " ms";
        }
        if (ns < 60_000_000_000L) {
            return String.format("%.2f s", ns / 1e9);
        }
        return (ns / 60_000_000_000L) + " min " + (ns / 1_000_000_000 % 60) + " s";
    }
}
