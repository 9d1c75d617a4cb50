package dev.braid.future;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A lazy computation that is advanced by polling. Nothing happens until the first
 * {@link #poll(Context) poll}.
 *
 * <h2>The contract</h2>
 * <ol>
 *   <li>{@code poll} returns {@link Poll#ready(Object)} with the value, returns
 *       {@link Poll#pending()}, or throws to fail. Before returning pending it must have
 *       arranged for {@code cx.waker().wake()} to be called once progress is possible.
 *   <li>After it returned ready or threw, the future is finished and must not be polled again.
 *   <li>{@link #drop()} abandons a future that has not finished (a {@code select} loser, an
 *       aborted task, an elapsed timeout). It must release everything the future registered
 *       (timer entries, waiter slots, I/O interest) and is a no-op on a finished future.
 *       Java has no destructors, so whoever owns an unfinished future and gives up on it
 *       calls {@code drop()} exactly once.
 *   <li>One thread polls at a time; {@code poll} and {@code drop} are never concurrent.
 * </ol>
 */
@FunctionalInterface
public interface Future<T> {

    Poll<T> poll(Context cx);

    /** Releases whatever this unfinished future registered. Default: nothing to release. */
    default void drop() {
    }

    // ---- combinators ------------------------------------------------------------------

    /** A future that applies {@code fn} to this future's value. */
    default <R> Future<R> map(Function<? super T, ? extends R> fn) {
        return new Combinators.Map<>(this, fn);
    }

    /** A future that runs this one, then the future {@code fn} builds from its value. */
    default <R> Future<R> andThen(Function<? super T, ? extends Future<R>> fn) {
        return new Combinators.AndThen<>(this, fn);
    }

    /** Alias of {@link #andThen}, for those who know it as {@code thenCompose}. */
    default <R> Future<R> then(Function<? super T, ? extends Future<R>> fn) {
        return andThen(fn);
    }

    /** A future that turns a failure of this one into a value. */
    default Future<T> recover(Function<? super Throwable, ? extends T> fn) {
        return new Combinators.Recover<>(this, fn);
    }

    /**
     * This future, failing with {@link dev.braid.time.ElapsedException} if it has not
     * completed within {@code duration} (see {@link dev.braid.time.Time#timeout}).
     */
    default Future<T> timeout(java.time.Duration duration) {
        return dev.braid.time.Time.timeout(duration, this);
    }

    // ---- factories ----------------------------------------------------------------------

    /** A future that is ready with {@code value} on its first poll. */
    static <T> Future<T> ready(T value) {
        return cx -> Poll.ready(value);
    }

    /** A future that fails with {@code error} on its first poll. */
    static <T> Future<T> failed(Throwable error) {
        return cx -> {
            throw Combinators.sneaky(error);
        };
    }

    /** A future that never completes (and registers nothing). */
    static <T> Future<T> never() {
        return cx -> Poll.pending();
    }

    /** A future that calls {@code supplier} on its first poll. */
    static <T> Future<T> lazy(Supplier<? extends T> supplier) {
        return cx -> Poll.ready(supplier.get());
    }

    /**
     * A future whose value comes from {@code stage}; dropping it does not cancel the stage.
     * While pending it records the wait {@code "external.stage"} on the stage (see
     * {@link Context#waitingOn}): something outside the runtime completes it.
     */
    static <T> Future<T> fromStage(CompletionStage<T> stage) {
        return new StageFuture<>(stage, "external.stage", null);
    }

    /**
     * {@link #fromStage(CompletionStage)} that records {@code op} on {@code resource} as its
     * wait while pending ({@code resource} null: the stage itself), for a bridge that knows
     * what the stage stands for, e.g.
     * {@code fromStage(client.sendAsync(req, h), "external.http", uri)}. Ops starting with
     * {@code "external."} tell the deadlock report that something outside the runtime
     * completes the wait; {@code op} should be a constant.
     */
    static <T> Future<T> fromStage(CompletionStage<T> stage, String op, Object resource) {
        return new StageFuture<>(stage, java.util.Objects.requireNonNull(op, "op"), resource);
    }
}
