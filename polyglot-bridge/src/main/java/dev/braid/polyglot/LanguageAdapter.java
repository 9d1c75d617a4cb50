package dev.braid.polyglot;

import org.graalvm.polyglot.Value;

/**
 * What the bridge needs from a guest language to turn its awaitables into Braid futures and
 * back. One per guest context, made by its {@link LanguagePlugin}.
 */
public interface LanguageAdapter {
    /** Whether {@code v} is the language's awaitable (a JS thenable, a Python awaitable). */
    boolean isAwaitable(Value v);

    /**
     * Arranges for {@code onValue} or {@code onError} to be called once {@code awaitable}
     * settles; the calls happen inside the guest context, on its strand.
     */
    void onSettled(Value awaitable, java.util.function.Consumer<Value> onValue, java.util.function.Consumer<Value> onError);

    /**
     * Calls {@code fn(args)}. If it returns an awaitable, observes it at once (in the same
     * turn, so a rejection is never reported as unhandled) through {@code settle}
     * ({@code (value, null)} or {@code (null, error)}) and returns null; otherwise returns
     * {@code Value[]{result}}.
     */
    Value[] invoke(Value fn, Object[] args, java.util.function.BiConsumer<Value, Value> settle);

    /**
     * Told, on the strand with the context entered, that a guest task that had started (or
     * the whole session) was cancelled: code of it that is still suspended must never run
     * again, even where it waits for something the bridge does not control. {@link #invoke}
     * can tell whose code it starts from {@link Guest#currentTaskCancelled()}.
     */
    default void taskCancelled() {
    }

    /**
     * A new guest awaitable settled from Java: returns it and hands the resolve and reject
     * functions to {@code settle}.
     */
    Value newAwaitable(java.util.function.BiConsumer<Value, Value> settle);

    /** A guest error value with the given class name (e.g. {@code TimeoutError}) and message. */
    Value newError(String name, String message);

    /** Describes a guest error value (a rejection) for Java: name, message, stack, position. */
    GuestError toHostError(Value error, Throwable cause);
}
