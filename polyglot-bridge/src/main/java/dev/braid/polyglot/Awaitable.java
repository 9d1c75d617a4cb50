package dev.braid.polyglot;

import dev.braid.future.Future;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Braid future as a guest awaitable (a JS thenable). Lazy: the future is made, and starts,
 * when the guest first awaits it (calls {@code then}) or when a Braid combinator takes it
 * ({@code join}, {@code select}...). Awaiting it twice shares one guest promise.
 */
final class Awaitable implements ProxyObject {
    private final Guest guest;
    private final Supplier<? extends Future<?>> source;
    /** The future combinators take, if not {@link #source} (a handle: abort on drop). */
    private final Supplier<? extends Future<?>> combinatorSource;
    private final Map<String, Object> members;
    private Future<?> future;
    /** The guest promise settled by the future, made on the first {@code then}. */
    private Value promise;

    Awaitable(Guest guest, Supplier<? extends Future<?>> source, Map<String, Object> members) {
        this(guest, source, null, members);
    }

    Awaitable(Guest guest, Supplier<? extends Future<?>> source, Supplier<? extends Future<?>> combinatorSource,
              Map<String, Object> members) {
        this.guest = guest;
        this.source = source;
        this.combinatorSource = combinatorSource;
        this.members = members;
    }

    /** The Braid future, for combinators: from the guest promise if it was awaited already. */
    @SuppressWarnings("unchecked")
    Future<Object> future() {
        if (promise != null) {
            return new AwaitFuture(guest, promise);
        }
        if (future == null) {
            future = combinatorSource != null ? combinatorSource.get() : source.get();
        }
        Future<?> f = future;
        future = null; // handed over: the combinator owns (and drops) it
        promise = null;
        return (Future<Object>) f;
    }

    private Value promise() {
        if (promise == null) {
            Future<?> f = future != null ? future : source.get();
            future = null;
            promise = guest.lang.newAwaitable((resolve, reject) -> guest.settleLater(f, resolve, reject));
        }
        return promise;
    }

    @Override
    public Object getMember(String key) {
        if ("then".equals(key)) {
            return (ProxyExecutable) args -> promise().invokeMember("then", (Object[]) args);
        }
        if ("catch".equals(key)) {
            return (ProxyExecutable) args -> promise().invokeMember("catch", (Object[]) args);
        }
        if ("finally".equals(key)) {
            return (ProxyExecutable) args -> promise().invokeMember("finally", (Object[]) args);
        }
        return members != null ? members.get(key) : null;
    }

    @Override
    public Object getMemberKeys() {
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of("then", "catch", "finally"));
        if (members != null) {
            keys.addAll(members.keySet());
        }
        return keys.toArray(new String[0]);
    }

    @Override
    public boolean hasMember(String key) {
        return "then".equals(key) || "catch".equals(key) || "finally".equals(key) || (members != null && members.containsKey(key));
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("this Braid object is read-only");
    }
}
