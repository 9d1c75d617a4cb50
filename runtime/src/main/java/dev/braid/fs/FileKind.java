package dev.braid.fs;

/** What a directory entry or a path is. */
public enum FileKind {
    FILE,
    DIRECTORY,
    /** A symbolic link (only reported when links are not followed). */
    SYMLINK,
    /** Anything else: a device, a pipe, a socket. */
    OTHER;

    static FileKind of(java.nio.file.attribute.BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return SYMLINK;
        }
        if (a.isDirectory()) {
            return DIRECTORY;
        }
        return a.isRegularFile() ? FILE : OTHER;
    }
}
