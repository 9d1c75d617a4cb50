package dev.braid.runtime;

import java.time.Duration;

/**
 * Adds to the runtime's report of a stalled worker: something that knows more about what a
 * thread is doing than its Java stack tells, such as the guest-language stack of a script
 * running on it. Registered with {@link BraidRuntime#addStallListener}.
 */
@FunctionalInterface
public interface StallListener {
    /**
     * Called on the runtime's monitor thread when a poll has run past the stall threshold,
     * while {@code thread} is still inside it. Returns text to append to the report (one or
     * more lines), or null to add nothing. The monitor waits for it: keep it short and
     * bounded (tens of milliseconds at most). What it throws is logged and ignored.
     *
     * @param thread the stalled worker thread
     * @param task   the task in the stalled poll (for a strand, the strand's task)
     * @param ran    how long the poll has run so far
     */
    String describe(Thread thread, TaskInfo task, Duration ran);

    /**
     * Whether what {@link #describe} returned says enough that the report leaves out the
     * thread's Java frames (a script's users read its own stack; the interpreter's frames are
     * noise to them). The report always leads with what the listeners describe.
     */
    default boolean replacesJavaStack() {
        return false;
    }

    /**
     * What to do about a stall this listener described, in its users' words (a script's
     * users have no {@code spawnBlocking}); it replaces the runtime's advice in the report.
     * Null (the default) keeps the runtime's.
     */
    default String advice() {
        return null;
    }
}
