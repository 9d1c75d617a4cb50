package dev.braid.polyglot;

import dev.braid.future.Future;
import org.graalvm.polyglot.Value;

import java.util.List;

/**
 * Everything the language-neutral bridge asks of one guest context's language: how its
 * awaitables become Braid futures and back, how its code is called and cancelled, how errors
 * cross in both directions, and what an interactive front end needs. One per guest context,
 * made by its {@link LanguagePlugin}; every method is called on the guest's strand with the
 * context entered (a future dropped when the runtime shuts down, or after its session closed,
 * may find the context closed: it must then give up quietly).
 */
public interface LanguageAdapter {

    // ---- awaiting ------------------------------------------------------------------------

    /** Whether {@code v} is the language's own awaitable (a JS thenable, a Python coroutine or awaitable). */
    boolean isAwaitable(Value v);

    /**
     * A Braid future for the language's awaitable {@code v} ({@link #isAwaitable} said yes).
     * It must be polled on the strand; dropping it before it completes means the waiting task
     * was cancelled (see {@link #taskCancelled()} for what the language then does).
     */
    Future<Object> await(Value v);

    /**
     * Calls {@code fn(args)} now, in the current task's scope ({@link Guest#currentTaskCancelled()}
     * says whose code it is), and returns a future of its outcome: the value itself if it
     * returned a plain value, else the settled value of the awaitable it returned. An
     * awaitable must be observed before this returns (a rejection of it is then never reported
     * as unhandled). A guest exception thrown by the call itself propagates as the
     * {@link org.graalvm.polyglot.PolyglotException}.
     */
    Future<Object> call(Value fn, Object[] args);

    /**
     * How a Braid future looks to this language ({@code braid.sleep(10)}, a task handle...):
     * a guest value that its own {@code await} accepts, backed by {@code a}. The bridge keeps
     * no other reference; {@link #unwrap} must find {@code a} again.
     */
    Value wrap(Awaitable a);

    /** The {@link Awaitable} behind a value made by {@link #wrap}, or null for any other value. */
    Awaitable unwrap(Value v);

    /**
     * Keeps the value (or, with {@code value} null, the error) an interactive evaluation
     * settled with where the language's REPLs keep it: {@code _} and {@code _error} in
     * JavaScript (as Node does), {@code _} in Python. Called on the strand.
     */
    default void remember(Value value, Value error) {
    }

    /**
     * Told that a guest task that had started (or the whole session) was cancelled. The
     * language decides what its code then sees: JavaScript's never runs again (its pending
     * awaits never resume); Python's gets {@code CancelledError} at its pending await, so that
     * its {@code finally} blocks run. Per task the bridge already dropped the task's futures
     * ({@link #await}, {@link #call}); this hook is for code the bridge does not control.
     */
    default void taskCancelled() {
    }

    /**
     * Whether the object {@code v} (not a primitive, array, map or function) is plain data
     * whose members Java may copy as a {@code Map} (a JS object literal); other objects (a
     * Python class instance) cross as guest values. Default: every object.
     */
    default boolean isRecord(Value v) {
        return true;
    }

    /**
     * The language's own list or map for Java data whose elements are already this
     * language's values (a {@code List}, a {@code Map} with string keys), for values that
     * cross from another language ({@code braid.js}, {@code braid.python}); null to take the
     * bridge's default (a proxy array or object, which JavaScript treats as its own).
     */
    default Object fromJava(Object data) {
        return null;
    }

    // ---- errors --------------------------------------------------------------------------

    /** The language's "no value" ({@code undefined}, {@code None}). */
    Value nothing();

    /**
     * A guest error value of the given kind with {@code message}; for {@link ErrorKind#HOST},
     * {@code hostName} is the Java exception's simple class name (such as
     * {@code IllegalArgumentException}) and the language picks the closest error it has.
     * Made in the guest's current call, so that its stack shows the guest code that called.
     */
    Value newError(ErrorKind kind, String hostName, String message);

    /** Describes a guest error value (a rejection, a raised exception) for Java: name, message, stack, position. */
    GuestError toHostError(Value error, Throwable cause);

    // ---- interactive front ends ---------------------------------------------------------

    /**
     * Whether {@code code} is an unfinished beginning of valid code (an open bracket, an
     * unterminated string or block, a trailing operator), so that a REPL should read another
     * line instead of reporting a syntax error.
     */
    boolean isIncomplete(String code);

    /**
     * Completion candidates for the identifier or member access that ends at {@code cursor}
     * in {@code line}: the globals (and keywords) that start with it, or the members of the
     * value before the last dot. Each candidate is the whole word to put in place of the
     * prefix. Runs as little guest code as the language allows: no getters (Python's
     * {@code dir()} may still call a class's own {@code __dir__}).
     */
    List<String> completions(String line, int cursor);

    /**
     * A value shown the language's way, on one line ({@code util.inspect} for JS, {@code repr}
     * for Python), or null for a value the language's REPL does not show (Python's None).
     */
    String inspect(Value v);

    /** The errors the bridge itself raises in guest code; each language names them its own way. */
    enum ErrorKind {
        /** The session was cancelled or closed while the code ran or waited. */
        CANCELLED,
        /** The awaited task was aborted. */
        ABORTED,
        /** A deadline passed ({@code braid.timeout}). */
        TIMEOUT,
        /** A permission was missing. */
        PERMISSION_DENIED,
        /** A channel or similar was used after it was closed. */
        CLOSED,
        /** The user interrupted the program (Ctrl-C) while the main thread waited ({@code braid.run}). */
        INTERRUPTED,
        /** Any other Java exception from the host API. */
        HOST
    }
}
