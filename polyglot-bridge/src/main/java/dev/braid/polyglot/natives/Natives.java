package dev.braid.polyglot.natives;

import dev.braid.future.Future;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.ScriptHost;
import dev.braid.sync.Semaphore;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The natives behind Braid's channels, locks, join sets, intervals and
 * {@code spawnBlocking}, for every guest language: each language's prelude (JavaScript's
 * {@code sync.js}) shapes them into the classes its guests use.
 *
 * <h2>Two halves</h2>
 * <ol>
 *   <li>Java ({@link Channels}, {@link Locks}, {@link Tasks}): "natives" that take opaque
 *       handles (Java objects the guest can hold but not look into) and return Braid
 *       awaitables for everything that waits.
 *   <li>The language's prelude, evaluated by its plugin as an internal source: the classes
 *       guests use, with private handle fields, argument checks that raise the language's own
 *       errors at the guest's call site, and its iteration protocols. It hands back factories
 *       ({@link #bind}) that the Java half calls to build guest objects and errors:
 *       {@code iterResult(done, value)}, {@code closedError(message)},
 *       {@code laggedError(message, skipped)}, {@code permit(handle)}, {@code guard(handle)}.
 * </ol>
 *
 * <h2>Rules the natives follow</h2>
 * <ul>
 *   <li>They run on the guest's strand, like all guest code; so do the futures they return
 *       (polled by the task that settles the awaitable, or by a combinator's).
 *   <li>Every wait is a Braid future wrapped with {@link Guest#awaitable}: never a promise,
 *       so {@code select}, {@code race} and {@code timeout} drop it, and the runtime's
 *       cancellation safety holds (a dropped receive takes nothing out of the channel).
 *   <li>The runtime's receiving ends serve one pending receive at a time; guest tasks that
 *       share one take turns through a fair one-permit semaphore ({@link #inTurn}).
 *   <li>Guest values go through the runtime's channels as the {@link Value}s they are: they
 *       never leave the context, and nothing converts them.
 *   <li>The end of a stream is the language's "no value" ({@link LanguageAdapter#nothing()}).
 * </ul>
 *
 * <p>What a guest can see of these choices (capacities, the end of a stream, cancellation)
 * is documented with each language's API (for JavaScript, in {@code sync.js}).
 */
public final class Natives {
    final Guest guest;
    /** Factories made by the prelude: {@code iterResult}, {@code closedError}, {@code permit}... */
    private Value make;
    /** The guest's "no value" ({@code undefined}, {@code None}). */
    final Value nothing;

    /** Natives for {@code guest}, whose language is {@code lang} (the guest's own is not set while it installs). */
    public Natives(Guest guest, LanguageAdapter lang) {
        this.guest = guest;
        this.nothing = lang.nothing();
    }

    /**
     * The natives of channels, locks, join sets, intervals and {@code spawnBlocking}, by
     * name, for the language's prelude. Made after the host functions became globals:
     * {@code spawnBlocking} recognises them by identity.
     */
    public Map<String, Object> table(ScriptHost host) {
        Map<String, Object> natives = new LinkedHashMap<>();
        natives.put("MAX_PERMITS", Semaphore.MAX_PERMITS);
        put(natives, "rejected", a -> rejected(thrown(a[0])));
        Channels.natives(this, natives);
        Locks.natives(this, natives);
        Tasks.natives(this, host, natives);
        return natives;
    }

    /** Takes the prelude's factories (see the class comment). */
    public void bind(Value factories) {
        this.make = factories;
    }

    // ---- helpers for the natives --------------------------------------------------------

    /** Adds a native: {@code body} runs in the guest's call, Java exceptions become guest errors. */
    public void put(Map<String, Object> natives, String name, Guest.Body body) {
        natives.put(name, guest.function(body));
    }

    /** The Java object behind a handle the prelude passed back. */
    public static <T> T handle(Value v, Class<T> type) {
        if (v != null && v.isHostObject()) {
            Object o = v.asHostObject();
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        throw new IllegalStateException("braid internal error: expected a " + type.getSimpleName() + " handle, got " + v);
    }

    /** The elements of a guest array (the rest arguments the prelude collected). */
    static Object[] elements(Value array) {
        Object[] out = new Object[(int) array.getArraySize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.getArrayElement(i);
        }
        return out;
    }

    /** A guest awaitable for a Braid future, made (and started) when first awaited. */
    Value awaitable(Supplier<? extends Future<?>> source) {
        return guest.awaitable(source);
    }

    /** An awaitable that has already resolved with the language's "no value". */
    Value resolved() {
        Value u = nothing;
        return guest.awaitable(() -> Future.ready(u));
    }

    /** An awaitable that rejects with {@code error}. */
    public Value rejected(RuntimeException error) {
        return guest.awaitable(() -> Future.failed(error));
    }

    /**
     * {@code body}'s future, started once the previous holder of {@code turn} is done: one
     * pending operation at a time on an end the runtime serves single-consumer. Fair (FIFO);
     * dropping it while it waits, or while its operation is pending, hands the turn on.
     */
    static <T> Future<T> inTurn(Semaphore turn, Supplier<? extends Future<T>> body) {
        return new Holding<Semaphore.Permit, T>(turn.acquire(), p -> body.get(), Semaphore.Permit::close);
    }

    /** {@code t} as an unchecked exception to rethrow (errors are rethrown as they are). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A guest {@code {done, value}} object for an async iterator. */
    Value iterResult(Value value) {
        return value == null ? make.getMember("iterResult").execute(true, nothing)
                : make.getMember("iterResult").execute(false, value);
    }

    /** A guest {@code ClosedError}, as a Java exception that reaches the guest as that error. */
    RuntimeException closedError(String message) {
        return thrown(make.getMember("closedError").execute(message));
    }

    /** A guest {@code LaggedError} with its {@code skipped} count. */
    RuntimeException laggedError(String message, long skipped) {
        return thrown(make.getMember("laggedError").execute(message, skipped));
    }

    Value newPermit(Object permit) {
        return make.getMember("permit").execute(permit);
    }

    Value newGuard(Object guard) {
        return make.getMember("guard").execute(guard);
    }

    /**
     * {@code error} as the exception Braid carries a guest error in: a
     * {@link PolyglotException} whose guest object is {@code error}, so that the awaitable
     * rejects with exactly that value (see {@code Guest.toGuestError}).
     */
    public static RuntimeException thrown(Value error) {
        try {
            throw error.throwException();
        } catch (PolyglotException e) {
            return e;
        }
    }
}
