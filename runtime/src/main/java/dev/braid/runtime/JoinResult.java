package dev.braid.runtime;

/**
 * One finished task of a {@link JoinSet}: its id and either its value or its
 * {@link JoinError}. {@link #get()} returns the value or throws the error.
 */
public record JoinResult<T>(long taskId, T value, JoinError error) {
    public T get() {
        if (error != null) {
            throw error;
        }
        return value;
    }

    public boolean isOk() {
        return error == null;
    }
}
