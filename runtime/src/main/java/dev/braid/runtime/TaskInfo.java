package dev.braid.runtime;

import java.time.Duration;

/**
 * One live task in a {@link TaskDump}.
 *
 * @param id        the task id (as in {@link JoinHandle#id()})
 * @param name      the name given at spawn, or null
 * @param executor  {@code "worker"}, {@code "strand 'name'"} or {@code "blocking"}
 * @param state     {@code idle} (waiting to be woken), {@code scheduled} (in a run queue),
 *                  {@code running}, with {@code +cancelled} once aborted
 * @param spawnSite where it was spawned, at the runtime's {@link SpawnSiteCapture} level
 * @param age       time since spawn (monitor clock, about 1 ms resolution); null when the
 *                  runtime's monitor is off
 * @param polls     polls so far
 * @param lastPoll  duration of its last poll by a worker (about 1 ms resolution; zero
 *                  means under a millisecond); null when the monitor is off
 * @param waitsOn   what its last pending poll waits on, such as {@code mpsc.recv(Mpsc@1b6d3586)},
 *                  {@code " (+1 more)"} when it waits on several (a select); null if the
 *                  future did not say
 * @param thread    for a running task, the thread polling it and for how long; else null
 */
public record TaskInfo(long id, String name, String executor, String state, String spawnSite,
                       Duration age, long polls, Duration lastPoll, String waitsOn, String thread) {

    /** One line: {@code #12 'reader' idle, waits on mpsc.recv(...), age 1.2 s, 3 polls, ...}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("#").append(id);
        if (name != null) {
            b.append(" '").append(name).append('\'');
        }
        b.append(' ').append(state);
        if (!"worker".equals(executor)) {
            b.append(" on ").append(executor);
        }
        if (thread != null) {
            b.append(" (").append(thread).append(')');
        }
        if (waitsOn != null) {
            b.append(", waits on ").append(waitsOn);
        }
        if (age != null) {
            b.append(", age ").append(TaskDump.format(age));
        }
        b.append(", ").append(polls).append(polls == 1 ? " poll" : " polls");
        if (lastPoll != null) {
            b.append(", last poll ").append(lastPoll.isZero() ? "<1 ms" : TaskDump.format(lastPoll));
        }
        b.append(", spawned ").append(spawnSite);
        return b.toString();
    }
}
