package dev.braid.fs;

import java.time.Instant;

/**
 * A snapshot of a file's basic attributes, taken by {@link Fs#metadata} or
 * {@link Fs#symlinkMetadata}. {@code created} is the creation time where the file system
 * records one, otherwise what the JDK substitutes (usually the modification time).
 */
public record Metadata(FileKind kind, long size, Instant modified, Instant accessed, Instant created) {
    public boolean isFile() {
        return kind == FileKind.FILE;
    }

    public boolean isDirectory() {
        return kind == FileKind.DIRECTORY;
    }

    public boolean isSymlink() {
        return kind == FileKind.SYMLINK;
    }
}
