package dev.braid.polyglot.js;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.ScriptHost;
import dev.braid.polyglot.natives.Natives;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.Map;

/**
 * Braid's channels, locks, join sets, intervals and {@code spawnBlocking} for a JavaScript
 * guest: the language-neutral {@link Natives} shaped into classes by {@code sync.js}
 * (private handle fields, {@code TypeError} / {@code RangeError} at the guest's call site,
 * getters, {@code Symbol.asyncIterator}, {@code new braid.Semaphore(n)}), added to the
 * {@code braid} global.
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
 *   <li>Waiting operations take a {@code {signal}} option ({@code AbortSignal}), or are
 *       cancelled by {@code braid.select}, {@code race} or {@code timeout}.
 *   <li>Awaiting with {@code Promise.race} (or any {@code .then}) turns an awaitable into a
 *       promise that keeps running: a receive that "lost" such a race still takes its value.
 *       Only Braid's combinators cancel.
 * </ul>
 */
final class JsSync {
    private JsSync() {
    }

    /**
     * Adds the primitives to the guest's {@code braid} global. Runs after the host functions
     * became globals: {@code spawnBlocking} recognises them by identity.
     */
    static void install(Guest guest, ScriptHost host, JsAdapter js, JsAbort abort) {
        Natives s = new Natives(guest, js);
        Map<String, Object> natives = s.table(host);
        // A wait made abortable by a {signal} option (its name for error messages).
        s.put(natives, "withSignal", a -> abort.withSignal(a[0], a.length > 1 && !a[1].isNull() ? a[1] : null, a[2].asString()));
        Value result = guest.context().eval(JsResources.source("sync.js")).execute(ProxyObject.fromMap(natives));
        s.bind(result.getMember("make"));
        Value api = result.getMember("api");
        Value braid = guest.context().getBindings("js").getMember("braid");
        for (String k : api.getMemberKeys()) {
            braid.putMember(k, api.getMember(k));
        }
    }
}
