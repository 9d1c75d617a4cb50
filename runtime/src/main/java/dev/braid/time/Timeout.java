package dev.braid.time;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.internal.TimeDriver;

import java.time.Duration;

/**
 * The future of {@link Time#timeout}: polls the inner future first, and only when it is
 * pending registers (lazily) and checks the deadline. The deadline is checked without
 * spending budget, so an inner future that always exhausts the budget still times out.
 */
final class Timeout<T> implements Future<T> {
    private final Future<T> inner;
    private final Duration duration;
    private final Sleep sleep;
    private boolean done;

    Timeout(Future<T> inner, TimeDriver driver, long deadline, Duration duration) {
        this.inner = inner;
        this.duration = duration;
        this.sleep = new Sleep(driver, deadline);
    }

    Timeout(Future<T> inner, long delayNanos, Duration duration) {
        this.inner = inner;
        this.duration = duration;
        this.sleep = new Sleep(delayNanos);
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p;
        try {
            p = inner.poll(cx);
        } catch (Throwable t) {
            done = true;
            sleep.drop();
            throw t;
        }
        if (p.isReady()) {
            done = true;
            sleep.drop();
            return p;
        }
        if (sleep.pollElapsed(cx)) {
            done = true;
            inner.drop();
            throw new ElapsedException(duration);
        }
        cx.waitingOn("timeout", sleep); // after the inner future's own wait, if it recorded one
        return Poll.pending();
    }

    @Override
    public void drop() {
        if (!done) {
            done = true;
            inner.drop();
            sleep.drop();
        }
    }
}
