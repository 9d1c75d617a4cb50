package dev.braid.fs;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import dev.braid.runtime.JoinHandle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One file operation as a lazy future: its first poll hands the body to the current
 * runtime's blocking pool, later polls wait on that task. A failure surfaces as the
 * {@link UncheckedIOException} the body threw (the real {@code IOException} as its cause, the
 * operation and path in its message), not as a {@link JoinError}.
 */
final class BlockingOp<T> implements Future<T> {
    @FunctionalInterface
    interface Body<T> {
        T run() throws IOException;
    }

    private final String what;
    private final Body<T> body;
    private JoinHandle<T> handle;

    BlockingOp(String what, Body<T> body) {
        this.what = what;
        this.body = body;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (handle == null) {
            handle = BraidRuntime.current().spawnBlocking("fs " + what, () -> {
                try {
                    return body.run();
                } catch (IOException e) {
                    throw failure(what, e);
                }
            });
        }
        try {
            return handle.poll(cx);
        } catch (JoinError e) {
            if (e.isFailed() && e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.isFailed() && e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Cancels the operation if it has not started; one that has runs to its end unobserved. */
    @Override
    public void drop() {
        if (handle != null) {
            handle.abort();
            handle.drop();
        }
    }

    static UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException(what + ": " + reason(e), e);
    }

    /** The reason in words; the path is already in {@code what}. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }
}
