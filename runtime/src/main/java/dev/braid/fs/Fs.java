package dev.braid.fs;

import dev.braid.future.Future;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asynchronous file operations, in the manner of {@code tokio::fs}: each is a lazy future
 * whose first poll runs the JDK's blocking call ({@link Files}) on the current runtime's
 * blocking pool, so no worker ever waits for a disk. Await them from a task or
 * {@code blockOn}.
 *
 * <h2>Errors</h2>
 * A failed operation throws {@link java.io.UncheckedIOException} whose cause is the JDK's own
 * exception ({@link NoSuchFileException}, {@link java.nio.file.AccessDeniedException},
 * {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.DirectoryNotEmptyException}, …) and whose message names the operation,
 * the path and the reason: {@code "read /tmp/x: no such file or directory"}.
 *
 * <h2>Cancellation</h2>
 * None of these is cancellation-safe in the sense of "nothing happened": dropping a future
 * before its operation started cancels it, but once the blocking call runs it runs to its
 * end, and a dropped {@code write}, {@code rename} or {@code remove} may or may not have
 * taken effect. Reads lose only their result.
 */
public final class Fs {
    private Fs() {
    }

    /** The whole content of a file. */
    public static Future<byte[]> read(Path path) {
        Objects.requireNonNull(path, "path");
        return new BlockingOp<>("read " + path, () -> Files.readAllBytes(path));
    }

    /** The whole content of a file decoded as UTF-8 (malformed input fails). */
    public static Future<String> readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    public static Future<String> readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return new BlockingOp<>("read " + path, () -> Files.readString(path, charset));
    }

    /** Creates or truncates the file, then writes {@code bytes} to it. */
    public static Future<Void> write(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return new BlockingOp<>("write " + path, () -> {
            Files.write(path, bytes);
            return null;
        });
    }

    /** {@link #write} of the text encoded as UTF-8. */
    public static Future<Void> writeString(Path path, CharSequence text) {
        Objects.requireNonNull(text, "text");
        return write(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code bytes} to the file, creating it if needed. */
    public static Future<Void> append(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return new BlockingOp<>("append to " + path, () -> {
            Files.write(path, bytes, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return null;
        });
    }

    /**
     * The entries of a directory (not {@code .} and {@code ..}), in the order the file system
     * gives them. An entry removed between the listing and the look-up of its kind is left out.
     */
    public static Future<List<DirEntry>> readDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new BlockingOp<>("read directory " + dir, () -> {
            List<DirEntry> entries = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        entries.add(new DirEntry(p, FileKind.of(a)));
                    } catch (NoSuchFileException gone) {
                        // Removed since it was listed.
                    }
                }
            }
            return entries;
        });
    }

    /** Size, times and kind of the file, following symbolic links. */
    public static Future<Metadata> metadata(Path path) {
        Objects.requireNonNull(path, "path");
        return new BlockingOp<>("metadata of " + path, () -> metadataOf(path));
    }

    /** Like {@link #metadata}, but a symbolic link is described itself, not followed. */
    public static Future<Metadata> symlinkMetadata(Path path) {
        Objects.requireNonNull(path, "path");
        return new BlockingOp<>("metadata of " + path, () -> metadataOf(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static Metadata metadataOf(Path path, LinkOption... options) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, options);
        return new Metadata(FileKind.of(a), a.size(), a.lastModifiedTime().toInstant(),
                a.lastAccessTime().toInstant(), a.creationTime().toInstant());
    }

    /**
     * Whether the path exists (following links). Unlike {@link Files#exists}, an error other
     * than "no such file" (permission denied on a parent, …) fails instead of answering false.
     */
    public static Future<Boolean> exists(Path path) {
        Objects.requireNonNull(path, "path");
        return new BlockingOp<>("check existence of " + path, () -> {
            try {
                Files.readAttributes(path, BasicFileAttributes.class);
                return true;
            } catch (NoSuchFileException e) {
                return false;
            }
        });
    }

    /** Removes a file or a symbolic link (not a directory: see {@link #removeDir}). */
    public static Future<Void> remove(Path path) {
        Objects.requireNonNull(path, "path");
        return new BlockingOp<>("remove " + path, () -> {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.FileSystemException(path.toString(), null,
                        "is a directory (use removeDir or removeDirAll)");
            }
            Files.delete(path);
            return null;
        });
    }

    /** Removes an empty directory. */
    public static Future<Void> removeDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new BlockingOp<>("remove directory " + dir, () -> {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.NotDirectoryException(dir.toString());
            }
            Files.delete(dir);
            return null;
        });
    }

    /** Removes a directory and everything under it. Symbolic links are removed, never followed. */
    public static Future<Void> removeDirAll(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new BlockingOp<>("remove directory tree " + dir, () -> {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS); // no such file?
                throw new java.nio.file.NotDirectoryException(dir.toString());
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return null;
        });
    }

    /** Renames (moves) {@code from} to {@code to}, replacing a file at {@code to}; atomic where the OS allows. */
    public static Future<Void> rename(Path from, Path to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return new BlockingOp<>("rename " + from + " to " + to, () -> {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        });
    }

    /** Copies the file {@code from} to {@code to}, replacing a file there (not a directory tree). */
    public static Future<Void> copy(Path from, Path to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return new BlockingOp<>("copy " + from + " to " + to, () -> {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return null;
        });
    }

    /** Creates a directory; its parent must exist and the directory must not. */
    public static Future<Void> createDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new BlockingOp<>("create directory " + dir, () -> {
            Files.createDirectory(dir);
            return null;
        });
    }

    /** Creates a directory and any missing parents; nothing happens if it already exists. */
    public static Future<Void> createDirAll(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new BlockingOp<>("create directories " + dir, () -> {
            Files.createDirectories(dir);
            return null;
        });
    }
}
