package dev.braid.polyglot;

import dev.braid.future.Future;
import dev.braid.runtime.JoinHandle;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Braid future as a guest awaitable (a JS thenable). Lazy: the future is made, and starts,
 * when the guest first awaits it (calls {@code then}) or when a Braid combinator takes it
 * ({@code join}, {@code select}...). However many places wait for it, it stands for one
 * operation (see {@link SharedFuture}): a task runs once and every waiter gets its outcome.
 * Each {@code then} makes a guest promise settled in the awaiting task's scope, so a
 * cancelled awaiter never strands the others.
 */
final class Awaitable implements ProxyObject {
    private final Guest guest;
    private final SharedFuture shared;
    /** A task handle's task: a combinator that drops its wait unfinished aborts it. */
    private final JoinHandle<?> task;
    private final Map<String, Object> members;

    Awaitable(Guest guest, Supplier<? extends Future<?>> source, Map<String, Object> members) {
        this.guest = guest;
        this.shared = new SharedFuture(source, true);
        this.task = null;
        this.members = members;
    }

    /** A task handle: awaiting it joins the task; a combinator that drops it aborts the task. */
    Awaitable(Guest guest, JoinHandle<?> task, Map<String, Object> members) {
        this.guest = guest;
        this.shared = new SharedFuture(() -> task, false);
        this.task = task;
        this.members = members;
    }

    /** A new wait for the outcome, for a combinator (which owns and drops it). */
    Future<Object> future() {
        Future<Object> wait = shared.waiter();
        return task == null ? wait : new AbortOnDrop<>(wait, task);
    }

    /** A new guest promise for the outcome, settled by a task of the current scope. */
    private Value promise() {
        Future<Object> wait = shared.waiter();
        return guest.lang.newAwaitable((resolve, reject) -> guest.settleLater(wait, resolve, reject));
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
        return ProxyArray.fromList(new java.util.ArrayList<>(keys)); // a Java array is not readable under HostAccess.NONE
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
