package dev.braid.polyglot.js;

import dev.braid.future.Future;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.ScriptHost;
import dev.braid.sync.Semaphore;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Braid's channels, locks, join sets, intervals and {@code spawnBlocking} for a JavaScript
 * guest: the members they add to the {@code braid} global.
 *
 * <h2>Two halves</h2>
 * <ol>
 *   <li>Java ({@link JsChannels}, {@link JsLocks}, {@link JsTasks}): "natives" that take opaque
 *       handles (Java objects the guest can hold but not look into) and return Braid
 *       awaitables for everything that waits.
 *   <li>JavaScript ({@code sync.js}, evaluated here as an internal source): the classes guests
 *       use, with private handle fields, argument checks that throw {@code TypeError} /
 *       {@code RangeError} at the guest's call site, getters, {@code Symbol.asyncIterator},
 *       and constructors ({@code new braid.Semaphore(n)}). It hands back factories
 *       ({@link #make}) that the Java half calls to build guest objects and errors.
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
 * </ul>
 *
 * <h2>Choices a guest can see</h2>
 * <ul>
 *   <li>{@code braid.channel()} (or {@code Infinity}) is unbounded; {@code braid.channel(n)}
 *       holds {@code n ≥ 1} values. {@code 0} is a {@code RangeError}, not "unbounded": in Go
 *       it means a rendezvous channel, and silently growing without bound would surprise.
 *   <li>{@code recv()} resolves with {@code undefined} once a stream is closed and drained,
 *       so {@code send(undefined)} is a {@code TypeError} on mpsc and broadcast channels
 *       ({@code null} goes through). A oneshot or watch has no such ambiguity and takes it.
 *   <li>{@code channel.send(v)} delivers at once when there is room, so a send that is not
 *       awaited is not lost; only a send that must wait for room is lazy, like every Braid
 *       awaitable (it waits once awaited). A send dropped while it waits (a lost
 *       {@code select}) was not made: the value stays with the caller.
 *   <li>{@code close()} on a channel object (it holds both ends) stops sends and lets
 *       receivers drain; {@code break} out of a {@code for await} does not close anything.
 *   <li>{@code JoinSet.abortAll()} keeps the aborted tasks until they are joined, as Tokio
 *       does: {@code joinNext()} rejects with {@code AbortError} for each; {@code shutdown()}
 *       aborts and drains. Dropping a guest {@code JoinSet} object does not abort its tasks
 *       (JavaScript has no destructors).
 *   <li>Waiting operations take no {@code {signal}}: there is no {@code AbortSignal} on this
 *       branch. Cancel them with {@code braid.select}, {@code race} or {@code timeout}.
 *   <li>Awaiting with {@code Promise.race} (or any {@code .then}) turns an awaitable into a
 *       promise that keeps running: a receive that "lost" such a race still takes its value.
 *       Only Braid's combinators cancel.
 * </ul>
 */
final class JsSync {
    private static final String PRELUDE = "sync.js";
    private static volatile Source prelude;

    final Guest guest;
    /** Factories made by the prelude: {@code iterResult}, {@code closedError}, {@code permit}... */
    private Value make;
    /** The guest's {@code undefined}. */
    Value undefined;

    private JsSync(Guest guest) {
        this.guest = guest;
    }

    /**
     * Adds the primitives to the guest's {@code braid} global. Runs after the host functions
     * became globals: {@code spawnBlocking} recognises them by identity.
     */
    static void install(Guest guest, ScriptHost host, JsAbort abort) {
        JsSync s = new JsSync(guest);
        Map<String, Object> natives = new LinkedHashMap<>();
        natives.put("MAX_PERMITS", Semaphore.MAX_PERMITS);
        // A wait made abortable by a {signal} option (its name for error messages).
        s.put(natives, "withSignal", a -> abort.withSignal(a[0], a.length > 1 && !a[1].isNull() ? a[1] : null, a[2].asString()));
        s.put(natives, "rejected", a -> s.rejected(thrown(a[0])));
        JsChannels.natives(s, natives);
        JsLocks.natives(s, natives);
        JsTasks.natives(s, host, natives);
        Value result = guest.context().eval(prelude()).execute(ProxyObject.fromMap(natives));
        s.make = result.getMember("make");
        s.undefined = s.make.getMember("undefined");
        Value api = result.getMember("api");
        Value braid = guest.context().getBindings("js").getMember("braid");
        for (String k : api.getMemberKeys()) {
            braid.putMember(k, api.getMember(k));
        }
    }

    private static Source prelude() {
        Source s = prelude;
        if (s == null) {
            try (InputStream in = JsSync.class.getResourceAsStream(PRELUDE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + PRELUDE + " is missing next to " + JsSync.class.getName());
                }
                String code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                // internal: its frames stay out of guest stack traces, so errors point at the caller
                s = Source.newBuilder("js", code, "braid:" + PRELUDE).internal(true).buildLiteral();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            prelude = s; // a benign race: equal sources
        }
        return s;
    }

    // ---- helpers for the natives --------------------------------------------------------

    /** Adds a native: {@code body} runs in the guest's call, Java exceptions become guest errors. */
    void put(Map<String, Object> natives, String name, JsApi.Body body) {
        natives.put(name, JsApi.fn(guest, body));
    }

    /** The Java object behind a handle the prelude passed back. */
    static <T> T handle(Value v, Class<T> type) {
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

    /** An awaitable that has already resolved with {@code undefined}. */
    Value resolved() {
        Value u = undefined;
        return guest.awaitable(() -> Future.ready(u));
    }

    /** An awaitable that rejects with {@code error}. */
    Value rejected(RuntimeException error) {
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
        return value == null ? make.getMember("iterResult").execute(true, undefined)
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
    private static RuntimeException thrown(Value error) {
        try {
            throw error.throwException();
        } catch (PolyglotException e) {
            return e;
        }
    }
}
