package dev.braid.cli;

import sun.misc.Signal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * SIGINT and SIGTERM for a job: a script's own handler if it registered one, else the first
 * signal cancels the job's tasks (the job then ends with 128 + the signal's number) and a
 * second ends the process at once. A signal that arrives while the person is being asked
 * for a permission ends the process at once too, as in Deno: it is their answer, and the
 * script, waiting for that answer, could neither be cancelled nor run a handler. Uses the
 * JDK's {@code sun.misc.Signal}, the supported way for a Java program to handle them.
 */
final class Signals {
    private static final Map<String, Integer> EXIT = Map.of("SIGINT", JobRunner.SIGINT_EXIT, "SIGTERM", JobRunner.SIGTERM_EXIT);

    private final Runnable cancel;
    private final IntConsumer exitNow;
    private final BooleanSupplier asking;
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private volatile int interrupted;

    /**
     * {@code cancel} cancels the job's tasks; {@code exitNow} ends the process with a code;
     * {@code asking} tells whether a permission prompt waits for an answer.
     */
    Signals(Runnable cancel, IntConsumer exitNow, BooleanSupplier asking) {
        this.cancel = cancel;
        this.exitNow = exitNow;
        this.asking = asking;
    }

    /** Delivers the process's SIGINT and SIGTERM here from now on. */
    Signals install() {
        for (String name : EXIT.keySet()) {
            Signal.handle(new Signal(name.substring(3)), s -> received(name));
        }
        return this;
    }

    /**
     * The script handles {@code name} itself from now on (a null {@code handler}: no longer);
     * false for a signal not delivered here.
     */
    boolean handle(String name, Runnable handler) {
        if (!EXIT.containsKey(name)) {
            return false;
        }
        if (handler == null) {
            handlers.remove(name);
        } else {
            handlers.put(name, handler);
        }
        return true;
    }

    /** The signals a {@link #fallback} took before. */
    private final java.util.Set<String> offered = ConcurrentHashMap.newKeySet();

    /** What tries {@code name} first when the script registered no handler (true: it took the signal). */
    private final Map<String, java.util.function.BooleanSupplier> first = new ConcurrentHashMap<>();

    /**
     * Offers {@code name} to {@code tryFirst} before the usual handling (cancel, then exit):
     * if it takes the signal (returns true), that is all that happens.
     */
    void fallback(String name, java.util.function.BooleanSupplier tryFirst) {
        first.put(name, tryFirst);
    }

    /** The exit code of the signal that cancelled the job, or 0. */
    int interrupted() {
        return interrupted;
    }

    void received(String name) {
        if (asking.getAsBoolean()) {
            exitNow.accept(EXIT.get(name)); // the answer to the question
            return;
        }
        Runnable h = handlers.get(name);
        if (h != null) {
            h.run();
            return;
        }
        java.util.function.BooleanSupplier f = first.get(name);
        if (interrupted == 0 && f != null) {
            if (f.getAsBoolean()) {
                offered.add(name);
                return;
            }
            if (offered.contains(name)) {
                exitNow.accept(EXIT.get(name)); // a second one before the first reached the code: no more waiting
                return;
            }
        }
        if (interrupted != 0) {
            exitNow.accept(EXIT.get(name)); // the second one: no more waiting
            return;
        }
        interrupted = EXIT.get(name);
        cancel.run(); // the job's evaluations fail, its tasks stop: the job ends
    }
}
