package dev.braid.future;

/** The winner of a {@link Futures#select select}: its position among the inputs and its value. */
public record Selected<T>(int index, T value) {
}
