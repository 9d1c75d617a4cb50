package dev.braid.polyglot;

/**
 * A Java function exposed to guests. It receives the arguments converted to Java values
 * (numbers, strings, booleans, {@code null}, {@code List}, {@code Map}) and may return a
 * plain value, a Braid {@link dev.braid.future.Future} or a
 * {@link java.util.concurrent.CompletionStage}; guests await the last two. It runs inside
 * the guest's strand: a slow or blocking function belongs on the blocking pool (return
 * {@code runtime.spawnBlocking(...)}).
 */
@FunctionalInterface
public interface HostFunction {
    Object call(java.util.List<Object> args) throws Exception;
}
