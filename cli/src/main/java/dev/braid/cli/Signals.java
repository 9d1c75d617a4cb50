package dev.braid.cli;

import dev.braid.polyglot.GuestSession;
import sun.misc.Signal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * SIGINT and SIGTERM for a job: a script's own handler if it registered one, else the first
 * signal cancels the job's tasks (the job then ends with 128 + the signal's number) and a
 * second ends the process at once. Uses the JDK's {@code sun.misc.Signal}, the supported way
 * for a Java program to handle them.
 */
final class Signals {
    private static final Map<String, Integer> EXIT = Map.of("SIGINT", JobRunner.SIGINT_EXIT, "SIGTERM", JobRunner.SIGTERM_EXIT);

    private final GuestSession session;
    private final IntConsumer exitNow;
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private volatile int interrupted;

    Signals(GuestSession session, IntConsumer exitNow) {
        this.session = session;
        this.exitNow = exitNow;
        for (String name : EXIT.keySet()) {
            Signal.handle(new Signal(name.substring(3)), s -> received(name));
        }
    }

    /** The script handles {@code name} itself from now on; false for a signal not delivered here. */
    boolean handle(String name, Runnable handler) {
        if (!EXIT.containsKey(name)) {
            return false;
        }
        handlers.put(name, handler);
        return true;
    }

    /** The exit code of the signal that cancelled the job, or 0. */
    int interrupted() {
        return interrupted;
    }

    private void received(String name) {
        Runnable h = handlers.get(name);
        if (h != null) {
            h.run();
            return;
        }
        if (interrupted != 0) {
            exitNow.accept(EXIT.get(name)); // the second one: no more waiting
            return;
        }
        interrupted = EXIT.get(name);
        session.cancel(); // its evaluations fail, its tasks stop: the job ends
    }
}
