package dev.braid.fs;

import java.nio.file.Path;

/** One entry of a directory listing ({@link Fs#readDir}): its full path and what it is (links not followed). */
public record DirEntry(Path path, FileKind kind) {
    /** The entry's name within its directory. */
    public String fileName() {
        return path.getFileName().toString();
    }
}
