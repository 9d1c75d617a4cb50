package dev.braid.polyglot.python;

import dev.braid.polyglot.Guest;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.util.concurrent.CompletableFuture;

/**
 * The thread a Python session's weak reference callbacks run on ({@code weakref.ref}'s
 * callback, {@code weakref.finalize}, and so the pruning of a {@code WeakSet}, such as
 * asyncio's set of tasks).
 *
 * <p>GraalPy runs them as "async actions" (its {@code AsyncHandler}): a thread of its own
 * takes the references the Java GC cleared and hands their callbacks to the context's main
 * thread (the one that initialised the context) as a Truffle thread-local action. Truffle
 * delivers such an action only to a thread entered in the context when it is submitted, and
 * drops it otherwise, with the callbacks in it. A session's code runs in slices on whichever
 * worker is free, so the worker that happened to initialise the context is almost never
 * inside it then: without this thread, callbacks would practically never run.
 *
 * <p>So this thread initialises the context, then waits inside it in an interruptible
 * Python wait, where GraalPy runs the callbacks as they come, taking turns with the
 * session's other threads through the GIL, as CPython runs a finalizer on whatever thread
 * it happens on. Nothing per task or slice: the thread sleeps while there is nothing to
 * call. {@code Context.interrupt} (a cancelled session, see {@link Guest#interrupting()})
 * waits for every thread to leave the context, so the thread leaves it until the interrupt
 * is over (callbacks handed over meanwhile are lost); closing the context ends the thread.
 *
 * <p>GraalPy never calls {@code __del__} of a Python object; weak reference callbacks are
 * its only finalization.
 */
final class PyCallbacks {
    private static final Source PARK = Source.newBuilder("python", """
            import _thread

            def park():
                lock = _thread.allocate_lock()
                lock.acquire()
                lock.acquire()  # never released: GraalPy runs the callbacks while this waits

            park
            """, "braid:callbacks.py").internal(true).buildLiteral();

    /** Longest pause before waiting inside again after failures in a row (ms). */
    private static final long MAX_BACKOFF = 50;

    private PyCallbacks() {
    }

    /**
     * Starts the session's callback thread and waits until it has initialised the context
     * (rethrowing what failed). Call on the strand, before anything else uses the context.
     */
    static void start(Guest guest) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> run(guest, ready), guest.name() + "-callbacks");
        t.setDaemon(true);
        // Initialising a language waits for every thread inside the context to reach a
        // safepoint, which this one, waiting here, never would: it leaves the context
        // (the strand's slice entered it) until the other thread is done.
        guest.context().leave();
        try {
            t.start();
            ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        } finally {
            guest.context().enter();
        }
    }

    private static void run(Guest guest, CompletableFuture<Void> ready) {
        Context context = guest.context();
        Value park;
        try {
            context.enter();
            try {
                context.initialize("python"); // this thread is GraalPy's main thread from now on
                park = context.eval(PARK);
            } finally {
                context.leave();
            }
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
            return;
        }
        ready.complete(null);
        long backoff = 0;
        while (true) {
            try {
                guest.awaitNoInterrupt(); // Context.interrupt waits for every thread to leave
            } catch (InterruptedException e) {
                continue; // only closing the context ends this thread
            }
            try {
                context.enter();
            } catch (IllegalStateException | PolyglotException e) {
                return; // closed
            }
            boolean failed = false;
            long since = System.nanoTime();
            try {
                if (!guest.interrupting()) { // one begun before this thread entered would wait for it
                    park.executeVoid();
                }
            } catch (PolyglotException e) {
                if (e.isCancelled() || e.isExit()) {
                    return; // the context is closing
                }
                if (!e.isInterrupted()) {
                    failed = true;
                    report(guest, e);
                }
            } catch (IllegalStateException e) {
                return; // closed while it waited
            } finally {
                try {
                    context.leave();
                } catch (IllegalStateException e) {
                    // closed meanwhile
                }
            }
            // A failure again and again at once would spin: back off.
            boolean atOnce = System.nanoTime() - since < 1_000_000_000L;
            backoff = failed && atOnce ? Math.min(Math.max(1, backoff * 2), MAX_BACKOFF) : 0;
            if (backoff > 0) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    // only closing the context ends this thread
                }
            }
        }
    }

    /** An exception out of one of GraalPy's asynchronous actions (a signal handler's, say). */
    private static void report(Guest guest, PolyglotException e) {
        try {
            guest.err().println("[braid " + guest.name() + "] exception in a Python callback: " + e.getMessage());
        } catch (RuntimeException ignored) {
            // the session's output is gone
        }
    }
}
