package dev.braid.fs;

import dev.braid.future.Future;
import dev.braid.runtime.BraidRuntime;
import dev.braid.runtime.JoinError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File operations on the blocking pool of a real two-worker runtime, inside a temporary directory. */
final class FsTest {
    private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("fs").build();

    @TempDir
    Path dir;

    @AfterEach
    void shutDown() {
        assertTrue(rt.shutdown(Duration.ofSeconds(5)), "a runtime thread is still stuck: " + rt.metrics());
    }

    /** Runs {@code f} as a task; a task failure is rethrown as itself. */
    private <T> T run(Future<T> f) {
        try {
            return rt.blockOn(rt.spawn(f).timeout(Duration.ofSeconds(20)));
        } catch (JoinError e) {
            if (e.isFailed() && e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Test
    void writeReadAppendAndMetadata_roundTrip() {
        Path f = dir.resolve("data.bin");
        byte[] bytes = new byte[300_000];
        new Random(3).nextBytes(bytes);
        Instant before = Instant.now().minusSeconds(5);
        run(Fs.write(f, bytes));
        assertArrayEquals(bytes, run(Fs.read(f)));
        run(Fs.append(f, new byte[] {1, 2, 3}));
        Metadata m = run(Fs.metadata(f));
        assertEquals(bytes.length + 3, m.size());
        assertTrue(m.isFile() && !m.isDirectory() && !m.isSymlink(), m.toString());
        assertTrue(!m.modified().isBefore(before) && m.modified().isBefore(Instant.now().plusSeconds(5)), m.toString());

        Path t = dir.resolve("text.txt");
        run(Fs.writeString(t, "héllo\n"));
        run(Fs.append(t, "wörld\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("héllo\nwörld\n", run(Fs.readString(t)));
        assertTrue(run(Fs.exists(t)));
        assertFalse(run(Fs.exists(dir.resolve("nope"))));
        // append creates the file.
        run(Fs.append(dir.resolve("new.log"), new byte[] {'x'}));
        assertEquals("x", run(Fs.readString(dir.resolve("new.log"))));
    }

    @Test
    void directories_createListRenameAndRemove() throws Exception {
        Path nested = dir.resolve("a/b/c");
        run(Fs.createDirAll(nested));
        run(Fs.createDirAll(nested)); // already there: fine
        run(Fs.createDir(dir.resolve("a/d")));
        run(Fs.writeString(dir.resolve("a/file.txt"), "f"));
        Files.createSymbolicLink(dir.resolve("a/link"), dir.resolve("a/file.txt"));
        assertTrue(run(Fs.metadata(dir.resolve("a"))).isDirectory());
        assertTrue(run(Fs.symlinkMetadata(dir.resolve("a/link"))).isSymlink());
        assertTrue(run(Fs.metadata(dir.resolve("a/link"))).isFile());

        List<DirEntry> entries = run(Fs.readDir(dir.resolve("a")));
        List<String> described = entries.stream().sorted(Comparator.comparing(DirEntry::fileName))
                .map(e -> e.fileName() + ":" + e.kind()).toList();
        assertEquals(List.of("b:DIRECTORY", "d:DIRECTORY", "file.txt:FILE", "link:SYMLINK"), described);

        run(Fs.rename(dir.resolve("a/file.txt"), dir.resolve("a/d/moved.txt")));
        assertFalse(run(Fs.exists(dir.resolve("a/file.txt"))));
        assertEquals("f", run(Fs.readString(dir.resolve("a/d/moved.txt"))));

        run(Fs.remove(dir.resolve("a/link")));
        run(Fs.remove(dir.resolve("a/d/moved.txt")));
        run(Fs.removeDir(dir.resolve("a/d")));
        run(Fs.writeString(nested.resolve("deep.txt"), "deep"));
        run(Fs.removeDirAll(dir.resolve("a")));
        assertEquals(List.of(), run(Fs.readDir(dir)));
    }

    @Test
    void errors_areTheRealOnes_withThePathInTheMessage() throws Exception {
        Path missing = dir.resolve("missing.txt");
        assertFails(NoSuchFileException.class, "read " + missing + ": no such file", Fs.read(missing));
        assertFails(NoSuchFileException.class, "metadata of " + missing, Fs.metadata(missing));
        assertFails(NoSuchFileException.class, "remove " + missing, Fs.remove(missing));
        assertFails(NoSuchFileException.class, "rename " + missing + " to ", Fs.rename(missing, dir.resolve("x")));
        assertFails(NoSuchFileException.class, "write " + dir.resolve("no/such/dir/f"),
                Fs.write(dir.resolve("no/such/dir/f"), new byte[1]));

        Path sub = dir.resolve("sub");
        Files.createDirectory(sub);
        Files.writeString(sub.resolve("f"), "x");
        assertFails(FileAlreadyExistsException.class, "create directory " + sub + ": already exists", Fs.createDir(sub));
        assertFails(DirectoryNotEmptyException.class, "remove directory " + sub + ": directory not empty",
                Fs.removeDir(sub));
        assertFails(NotDirectoryException.class, "read directory " + sub.resolve("f") + ": not a directory",
                Fs.readDir(sub.resolve("f")));
        assertFails(NotDirectoryException.class, "remove directory " + sub.resolve("f"), Fs.removeDir(sub.resolve("f")));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> run(Fs.remove(sub)));
        assertTrue(e.getMessage().contains("remove " + sub + ": is a directory"), e.getMessage());
        assertTrue(Files.exists(sub.resolve("f")), "a failed remove removed something");
    }

    private void assertFails(Class<? extends Exception> cause, String message, Future<?> op) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> run(op));
        assertInstanceOf(cause, e.getCause(), e.toString());
        assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' lacks '" + message + "'");
    }

    @Test
    void operationsAreLazy_untilFirstPolled() {
        Path f = dir.resolve("lazy.txt");
        Future<Void> write = Fs.writeString(f, "later");
        assertFalse(Files.exists(f), "the write ran before it was polled");
        run(write);
        assertEquals("later", run(Fs.readString(f)));
    }

    @Test
    void outsideARuntime_aPollSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Fs.read(dir.resolve("x")).poll(new dev.braid.future.Context(dev.braid.future.Waker.NOOP)));
        assertTrue(e.getMessage().contains("not inside a Braid runtime"), e.getMessage());
    }
}
