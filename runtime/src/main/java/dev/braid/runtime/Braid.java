package dev.braid.runtime;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;

import java.util.concurrent.Callable;

/**
 * Static shortcuts onto the runtime of the calling thread, for code running in a task:
 * {@code Braid.spawn(f)} is {@code BraidRuntime.current().spawn(f)}.
 */
public final class Braid {
    private Braid() {
    }

    public static <T> JoinHandle<T> spawn(Future<T> future) {
        return BraidRuntime.current().spawn(future);
    }

    public static <T> JoinHandle<T> spawn(String name, Future<T> future) {
        return BraidRuntime.current().spawn(name, future);
    }

    public static <T> JoinHandle<T> spawnBlocking(Callable<T> body) {
        return BraidRuntime.current().spawnBlocking(body);
    }

    /**
     * See {@link BraidRuntime#blockInPlace}. Outside a runtime, just runs {@code body}.
     */
    public static <T> T blockInPlace(Callable<T> body) throws Exception {
        BraidRuntime rt = BraidRuntime.currentOrNull();
        return rt == null ? body.call() : rt.blockInPlace(body);
    }

    /**
     * A future that is pending once (after waking its task) and ready the next time: the
     * task goes to the back of its worker's queue and lets the others run.
     */
    public static Future<Void> yieldNow() {
        return new Future<>() {
            private boolean yielded;

            @Override
            public Poll<Void> poll(Context cx) {
                if (yielded) {
                    return Poll.ready(null);
                }
                yielded = true;
                cx.waker().wake();
                return Poll.pending();
            }
        };
    }
}
