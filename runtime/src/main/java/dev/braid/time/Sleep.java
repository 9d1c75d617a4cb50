package dev.braid.time;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.Scheduler;
import dev.braid.runtime.internal.TimeDriver;
import dev.braid.runtime.internal.TimerEntry;

/**
 * A future that completes (with {@code null}) once its deadline has passed on the runtime's
 * {@link Clock}. Made by {@link Time#sleep} and {@link Time#sleepUntil}.
 *
 * <p>The timer is registered on the first poll, not before, and {@link #drop()} removes it
 * (O(1)). {@link #reset} moves the deadline and may be called before or after the sleep
 * completed; a reset sleep can be polled again. Completing spends one unit of the task's
 * cooperative budget.
 *
 * <p>Cancellation-safe: dropping a pending sleep loses nothing.
 */
public final class Sleep implements Future<Void> {
    private TimeDriver driver;
    /** Valid once {@link #driver} is known; before that, {@link #delayNanos} is. */
    private long deadline;
    private long delayNanos;
    private TimerEntry entry;
    /** Registered (or found due) since creation or the last reset. */
    private boolean armed;
    /** The deadline had passed when the sleep was armed, so no timer was registered. */
    private boolean dueAtArming;

    Sleep(TimeDriver driver, long deadline) {
        this.driver = driver;
        this.deadline = deadline;
    }

    /** Created outside any runtime: the delay starts at the first poll. */
    Sleep(long delayNanos) {
        this.delayNanos = delayNanos;
    }

    TimeDriver driver() {
        return driver;
    }

    static TimeDriver currentDriver() {
        Scheduler s = Scheduler.current();
        return s == null ? null : s.time();
    }

    private void bind() {
        if (driver == null) {
            Scheduler s = Scheduler.current();
            if (s == null) {
                throw new IllegalStateException("a Braid timer was polled outside a Braid runtime: await it in a "
                        + "task or pass it to BraidRuntime.blockOn");
            }
            driver = s.time();
            deadline = saturatedAdd(driver.now(), delayNanos);
        }
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (!pollElapsed(cx)) {
            cx.waitingOn("sleep", this);
            return Poll.pending();
        }
        if (!cx.pollProceed()) {
            return Poll.pending();
        }
        return Poll.ready(null);
    }

    /**
     * Registers the timer on first use and reports whether the deadline has passed, without
     * spending budget (for {@link Time#timeout}, which must see its deadline even when the
     * inner future spent the budget). Records no wait: the caller records its own.
     */
    boolean pollElapsed(Context cx) {
        if (!armed) {
            bind();
            armed = true;
            if (deadline <= driver.now()) {
                dueAtArming = true; // already due: no registration at all
                return true;
            }
            dueAtArming = false;
            TimerEntry e = entry;
            if (e == null) {
                e = entry = new TimerEntry();
            }
            e.setWaker(cx.waker());
            return !driver.register(e, deadline);
        }
        if (dueAtArming) {
            return true;
        }
        TimerEntry e = entry;
        if (e.isFired()) {
            return true;
        }
        e.setWaker(cx.waker());
        return e.isFired(); // re-check: pairs with the driver's fired-then-wake
    }

    /** Whether the deadline has passed, as far as the timer driver has seen (false before the first poll). */
    public boolean isElapsed() {
        return armed && (dueAtArming || entry.isFired());
    }

    /** The deadline on the runtime clock's scale; for a sleep made outside a runtime, known
     *  only after its first poll. */
    public long deadline() {
        if (driver == null) {
            throw new IllegalStateException("this sleep was made outside a runtime; its deadline is fixed at its first poll");
        }
        return deadline;
    }

    /**
     * Moves the deadline to {@code deadlineNanos} (on the clock's scale); the timer is
     * registered again on the next poll. Works before and after the sleep completed.
     */
    public void resetAt(long deadlineNanos) {
        if (driver == null) {
            driver = currentDriver();
            if (driver == null) {
                throw new IllegalStateException("resetAt needs a runtime: call it from a task or blockOn");
            }
        }
        deadline = deadlineNanos;
        armed = false;
    }

    @Override
    public String toString() {
        if (driver == null) {
            return "Sleep(" + delayNanos + " ns from its first poll)";
        }
        return "Sleep(deadline " + deadline + (isElapsed() ? ", elapsed)" : ")");
    }

    /** Cancels the timer; a sleep that was never polled or already fired has nothing to cancel. */
    @Override
    public void drop() {
        TimerEntry e = entry;
        if (e != null && driver != null) {
            driver.cancel(e);
        }
    }
}
