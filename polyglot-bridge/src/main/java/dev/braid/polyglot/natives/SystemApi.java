package dev.braid.polyglot.natives;

import dev.braid.fs.DirEntry;
import dev.braid.fs.FileKind;
import dev.braid.fs.Fs;
import dev.braid.fs.Metadata;
import dev.braid.future.Future;
import dev.braid.polyglot.Guest;
import dev.braid.polyglot.LanguageAdapter;
import dev.braid.polyglot.PermissionCheck;
import dev.braid.polyglot.PermissionDenied;
import dev.braid.polyglot.Permissions;
import dev.braid.process.Command;
import dev.braid.process.Output;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;


/**
 * The guest's way to the outside: {@code braid.fs}, {@code braid.net}, {@code braid.process}
 * and {@code braid.env}, each on Braid's runtime ({@link Fs}, {@link TcpStream},
 * {@link Command}) and each checked against the session's {@link Permissions}. Nothing is
 * granted by default; a denial is an error named {@code PermissionDenied} whose message
 * names what was asked for and the grant that would allow it. Functions that wait return
 * awaitables, rejected on denial; {@code env.get} answers at once and throws.
 *
 * <pre>{@code
 * const text = await braid.fs.readText('/data/in.txt');        // read grant
 * await braid.fs.writeText('/data/out.txt', text.toUpperCase()); // write grant
 * const c = await braid.net.connect('127.0.0.1', 8080);         // net grant 127.0.0.1:8080
 * await c.write('ping\n'); const reply = await c.read(); c.close();
 * const r = await braid.process.run('git', ['status']);         // run grant "git"
 * r.code; r.stdout; r.stderr;
 * const home = braid.env.get('HOME');                           // env grant "HOME"
 * }</pre>
 */
public final class SystemApi {
    private SystemApi() {
    }

    /**
     * {@code braid.fs}'s natives, every call asynchronous and under the session's permissions
     * (a session's temporary directories need no grant): {@code readText}, {@code writeText},
     * {@code readBytes} (a host buffer, which a language wraps as its bytes),
     * {@code writeBytes(path, buffer, offset, length)}, {@code appendText},
     * {@code appendBytes}, {@code stat}, {@code readDir} (a list of entries),
     * {@code walkOpen(root, maxDepth)}/{@code walkNext(walk)}/{@code walkClose(walk)} (entries
     * in batches, an empty batch at the end), {@code mkdir(path, recursive)},
     * {@code remove(path, recursive)}, {@code rename}, {@code copy} and
     * {@code makeTempDir(prefix)}. Each language shapes them into its own API.
     */
    public static Object fs(Guest guest, LanguageAdapter lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("readText", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.readText(path)", "path")));
            return checked(guest, lang, () -> readable(guest, p), () -> Fs.readString(p));
        }));
        m.put("writeText", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.writeText(path, text)", "path")));
            String text = string(a, 1, "fs.writeText(path, text)", "text");
            return checked(guest, lang, () -> writable(guest, p), () -> Fs.writeString(p, text));
        }));
        m.put("readBytes", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.readBytes(path)", "path")));
            return checked(guest, lang, () -> readable(guest, p), () -> Fs.read(p).map(ByteBuffer::wrap));
        }));
        m.put("writeBytes", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.writeBytes(path, data)", "path")));
            byte[] bytes = bytes(a, 1, "fs.writeBytes(path, data)");
            return checked(guest, lang, () -> writable(guest, p), () -> Fs.write(p, bytes));
        }));
        m.put("appendText", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.append(path, data)", "path")));
            byte[] bytes = string(a, 1, "fs.append(path, data)", "data").getBytes(StandardCharsets.UTF_8);
            return checked(guest, lang, () -> writable(guest, p), () -> Fs.append(p, bytes));
        }));
        m.put("appendBytes", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.append(path, data)", "path")));
            byte[] bytes = bytes(a, 1, "fs.append(path, data)");
            return checked(guest, lang, () -> writable(guest, p), () -> Fs.append(p, bytes));
        }));
        m.put("stat", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.stat(path)", "path")));
            return checked(guest, lang, () -> readable(guest, p), () -> Fs.metadata(p).map(SystemApi::stat));
        }));
        m.put("readDir", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.readDir(path)", "path")));
            return checked(guest, lang, () -> readable(guest, p), () -> Fs.readDir(p).map(entries -> {
                List<Object> out = new ArrayList<>(entries.size());
                for (DirEntry e : entries) {
                    out.add(entry(null, e.fileName(), e.kind()));
                }
                return ProxyArray.fromList(out);
            }));
        }));
        m.put("walkOpen", guest.function(a -> {
            String root = string(a, 0, "fs.walk(root, options)", "root");
            int maxDepth = a.length > 1 && a[1].isNumber() && a[1].fitsInInt() && a[1].asInt() >= 0 ? a[1].asInt() : Integer.MAX_VALUE;
            Path p = guest.resolve(path(root));
            readable(guest, p);
            return new Walk(Path.of(root), p, maxDepth);
        }));
        m.put("walkNext", guest.function(a -> {
            Walk w = Natives.handle(a[0], Walk.class);
            return guest.awaitable(() -> guest.runtime().spawnBlocking("walk " + w.root, () -> w.next(guest)));
        }));
        m.put("walkClose", guest.function(a -> {
            Natives.handle(a[0], Walk.class).close();
            return null;
        }));
        m.put("mkdir", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.mkdir(path, options)", "path")));
            boolean recursive = a.length > 1 && a[1].isBoolean() && a[1].asBoolean();
            return checked(guest, lang, () -> writable(guest, p), () -> recursive ? Fs.createDirAll(p) : Fs.createDir(p));
        }));
        m.put("remove", guest.function(a -> {
            Path p = guest.resolve(path(string(a, 0, "fs.remove(path, options)", "path")));
            boolean recursive = a.length > 1 && a[1].isBoolean() && a[1].asBoolean();
            // A file, a link or an empty directory; a whole tree only when asked (Deno's remove).
            return checked(guest, lang, () -> writable(guest, p), () -> recursive ? Fs.removeDirAll(p)
                    : Fs.symlinkMetadata(p).andThen(md -> md.isDirectory() ? Fs.removeDir(p) : Fs.remove(p)));
        }));
        m.put("rename", guest.function(a -> {
            Path from = guest.resolve(path(string(a, 0, "fs.rename(from, to)", "from")));
            Path to = guest.resolve(path(string(a, 1, "fs.rename(from, to)", "to")));
            return checked(guest, lang, () -> {
                writable(guest, from);
                writable(guest, to);
            }, () -> Fs.rename(from, to));
        }));
        m.put("copy", guest.function(a -> {
            Path from = guest.resolve(path(string(a, 0, "fs.copy(from, to)", "from")));
            Path to = guest.resolve(path(string(a, 1, "fs.copy(from, to)", "to")));
            return checked(guest, lang, () -> {
                readable(guest, from);
                writable(guest, to);
            }, () -> Fs.copy(from, to));
        }));
        m.put("makeTempDir", guest.function(a -> {
            String prefix = a.length > 0 && a[0].isString() ? a[0].asString() : "braid-";
            return guest.awaitable(() -> guest.runtime().spawnBlocking("make a temporary directory",
                    () -> guest.makeTempDir(prefix).toString()));
        }));
        return ProxyObject.fromMap(m);
    }

    /** Checks that {@code p} may be read: inside a temporary directory of the session, or granted. */
    private static void readable(Guest guest, Path p) {
        if (!guest.inTempDir(p)) {
            PermissionCheck.read(guest.permissions(), p);
        }
    }

    private static void writable(Guest guest, Path p) {
        if (!guest.inTempDir(p)) {
            PermissionCheck.write(guest.permissions(), p);
        }
    }

    private static Object stat(Metadata md) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", md.size());
        m.put("isFile", md.isFile());
        m.put("isDirectory", md.isDirectory());
        m.put("isSymlink", md.isSymlink());
        m.put("mtime", md.modified() == null ? null : (double) md.modified().toEpochMilli());
        return ProxyObject.fromMap(m);
    }

    private static Object entry(String path, String name, FileKind kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (path != null) {
            m.put("path", path);
        }
        m.put("name", name);
        m.put("isFile", kind == FileKind.FILE);
        m.put("isDirectory", kind == FileKind.DIRECTORY);
        m.put("isSymlink", kind == FileKind.SYMLINK);
        return ProxyObject.fromMap(m);
    }

    /**
     * A walk of a directory tree, handed out in batches from a blocking thread; each entry
     * is checked against the session's permissions (a denied subtree fails the walk, naming
     * it), symbolic links are listed, not followed. Used by one awaiting task at a time.
     */
    static final class Walk {
        private static final int BATCH = 256;
        final Path shown;
        final Path root;
        private final int maxDepth;
        private java.util.stream.Stream<Path> stream;
        private java.util.Iterator<Path> paths;
        private boolean closed;

        Walk(Path shown, Path root, int maxDepth) {
            this.shown = shown;
            this.root = root;
            this.maxDepth = maxDepth;
        }

        synchronized Object next(Guest guest) throws java.io.IOException {
            List<Object> batch = new ArrayList<>();
            if (closed) {
                return ProxyArray.fromList(batch);
            }
            try {
                if (paths == null) {
                    stream = java.nio.file.Files.walk(root, maxDepth);
                    paths = stream.iterator();
                }
                while (batch.size() < BATCH && paths.hasNext()) {
                    Path p = paths.next();
                    java.nio.file.attribute.BasicFileAttributes attrs = java.nio.file.Files.readAttributes(p,
                            java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    // A link is only listed, as an entry of its directory: that is what is read.
                    readable(guest, attrs.isSymbolicLink() && p.getParent() != null ? p.getParent() : p);
                    FileKind kind = attrs.isSymbolicLink() ? FileKind.SYMLINK : attrs.isDirectory() ? FileKind.DIRECTORY
                            : attrs.isRegularFile() ? FileKind.FILE : FileKind.OTHER;
                    Path name = p.getFileName();
                    batch.add(entry(shown.resolve(root.relativize(p)).toString(), name == null ? p.toString() : name.toString(), kind));
                }
            } catch (java.io.UncheckedIOException e) {
                close();
                throw new java.io.UncheckedIOException("walk " + root + ": " + e.getCause().getMessage(), e.getCause());
            } catch (java.io.IOException e) {
                close();
                throw new java.io.UncheckedIOException("walk " + root + ": " + e, e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            return ProxyArray.fromList(batch);
        }

        synchronized void close() {
            closed = true;
            if (stream != null) {
                stream.close();
            }
        }
    }

    /** The bytes of a guest buffer passed as {@code (buffer, offset, length)} from argument {@code i} on. */
    static byte[] bytes(Value[] a, int i, String signature) {
        if (a.length < i + 3 || !a[i].hasBufferElements() || !a[i + 1].fitsInLong() || !a[i + 2].fitsInInt()) {
            throw new IllegalArgumentException(signature + ": data must be bytes, got " + (a.length <= i ? "nothing" : a[i]));
        }
        long offset = a[i + 1].asLong();
        int length = a[i + 2].asInt();
        if (offset < 0 || length < 0 || offset + length > a[i].getBufferSize()) {
            throw new IllegalArgumentException(signature + ": " + length + " bytes at " + offset + " are outside the buffer");
        }
        byte[] out = new byte[length];
        a[i].readBuffer(offset, out, 0, length);
        return out;
    }

    /**
     * {@code braid.net}'s natives: {@code connect(host, port)} (an awaitable of a connection
     * handle) and {@code listen(host, port)} (a listener handle, bound at once), each under
     * the session's net grants, and what works on them ({@link Sockets}).
     */
    public static Object net(Guest guest, LanguageAdapter lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        Sockets.put(guest, lang, m);
        return ProxyObject.fromMap(m);
    }

    /**
     * {@code braid.progress}'s natives: {@code open(label, total)} a bar (shown where the host
     * shows them, see {@link dev.braid.polyglot.ProgressDisplay}), {@code update(bar, done)},
     * {@code done(bar)}.
     */
    public static Object progress(Guest guest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open", guest.function(a -> guest.progress().open(a.length > 0 && a[0].isString() ? a[0].asString() : "",
                a.length > 1 && a[1].isNumber() ? a[1].asLong() : 0)));
        m.put("update", guest.function(a -> {
            Natives.handle(a[0], dev.braid.polyglot.ProgressDisplay.Bar.class).update(a[1].asLong());
            return null;
        }));
        m.put("done", guest.function(a -> {
            Natives.handle(a[0], dev.braid.polyglot.ProgressDisplay.Bar.class).done();
            return null;
        }));
        return ProxyObject.fromMap(m);
    }

    /** {@code fetch}'s natives ({@link Http}). */
    public static Object http(Guest guest, LanguageAdapter lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        Http.put(guest, lang, m);
        return ProxyObject.fromMap(m);
    }

    /** {@link #checked} for other natives of this package. */
    static Value checkedCall(Guest guest, LanguageAdapter lang, Runnable check, Supplier<Future<?>> work) {
        return checked(guest, lang, check, work);
    }

    /**
     * {@code braid.process}: {@code run(command, args)} runs a program to its end and gives
     * {@code {code, stdout, stderr}}. The child runs in the session's working directory with
     * no standard input and only the environment variables the session may read (no
     * {@code PATH} unless granted); cancelling the awaiting task kills it.
     */
    public static Object process(Guest guest, LanguageAdapter lang) {
        Permissions perms = guest.permissions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", guest.function(a -> {
            String command = string(a, 0, "process.run(command, args)", "command");
            List<String> args = strings(a, 1, "process.run(command, args)");
            Path[] program = new Path[1];
            return checked(guest, lang, () -> program[0] = PermissionCheck.run(perms, command, guest.environment().get("PATH"),
                    guest.workingDirectory()), () -> {
                // The program found on the session's PATH now, run in the session's working
                // directory; the child's environment holds only what the session may read
                // itself (no PATH unless that is granted). A name the session's PATH has not got
                // is not looked up anywhere else (the JVM's own PATH could find what a deny pins).
                if (program[0] == null) {
                    return Future.failed(new java.io.FileNotFoundException("process.run: '" + command
                            + "' is not on the session's PATH"));
                }
                Command cmd = Command.of(program[0].toString()).args(args)
                        .directory(guest.workingDirectory()).envClear().killOnDrop(true);
                childEnvironment(perms, guest.environment()).forEach(cmd::env);
                return cmd.output().map(SystemApi::result);
            });
        }));
        Children.put(guest, lang, m);
        return ProxyObject.fromMap(m);
    }

    /** The variables of {@code environment} that {@code perms} lets the guest read, for a child it starts. */
    static Map<String, String> childEnvironment(Permissions perms, Map<String, String> environment) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            boolean granted = perms.envVars().contains("*") || perms.envVars().contains(name);
            boolean denied = perms.denied().env().contains("*") || perms.denied().env().contains(name);
            if (granted && !denied) {
                env.put(name, e.getValue());
            }
        }
        return env;
    }

    private static Map<String, Object> result(Output out) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("code", out.status().code());
        r.put("stdout", out.stdoutText());
        r.put("stderr", out.stderrText());
        return r;
    }

    /**
     * {@code braid.env}: {@code get(name)}, the variable's value or null if it is not set (a
     * denial if it is not granted). For a language's view of the whole environment (Node's
     * {@code process.env}) also {@code granted(name)}, the value only if granted (null
     * otherwise, nobody asked), {@code names()}, the granted names that are set, and
     * {@code cwd()}, the session's working directory.
     */
    public static Object env(Guest guest) {
        Permissions perms = guest.permissions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("granted", guest.function(a -> {
            String name = string(a, 0, "env.granted(name)", "name");
            return PermissionCheck.envGranted(perms, name) ? guest.environment().get(name) : null;
        }));
        m.put("names", guest.function(a -> ProxyArray.fromList(new ArrayList<>(guest.environment().keySet().stream()
                .filter(n -> PermissionCheck.envGranted(perms, n)).sorted().toList()))));
        m.put("cwd", guest.function(a -> guest.workingDirectory().toString()));
        m.put("get", guest.function(a -> {
            String name = string(a, 0, "env.get(name)", "name");
            PermissionCheck.env(perms, name);
            return guest.environment().get(name);
        }));
        return ProxyObject.fromMap(m);
    }

    /**
     * The session's standard streams: {@code readLine()} and {@code read()} of the host's
     * standard input (awaitables of a line without its end, or of a host buffer of bytes;
     * null at the end), and {@code write(stream, text)} / {@code writeBytes(stream, buffer,
     * offset, length)} to its standard output ({@code stream} 1) or error (2), without a line end.
     */
    public static Object stdio(Guest guest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("readLine", guest.function(a -> guest.awaitable(() -> guest.runtime().spawnBlocking("read a line of standard input",
                () -> guest.stdin().readLine()))));
        m.put("read", guest.function(a -> guest.awaitable(() -> guest.runtime().spawnBlocking("read standard input", () -> {
            byte[] b = guest.stdin().read();
            return b == null ? null : ByteBuffer.wrap(b);
        }))));
        m.put("write", guest.function(a -> {
            java.io.PrintStream out = stream(guest, a);
            out.print(string(a, 1, "write(text)", "text"));
            out.flush();
            return true;
        }));
        m.put("writeBytes", guest.function(a -> {
            java.io.PrintStream out = stream(guest, a);
            byte[] b = bytes(a, 1, "write(data)");
            out.write(b, 0, b.length);
            out.flush();
            return true;
        }));
        return ProxyObject.fromMap(m);
    }

    private static java.io.PrintStream stream(Guest guest, Value[] a) {
        return a.length > 0 && a[0].isNumber() && a[0].asInt() == 2 ? guest.err() : guest.out();
    }

    /**
     * Runs the permission {@code check} now; then an awaitable of what {@code work} starts.
     * A denial is a rejected promise whose error was made here, in the guest's call, so its
     * stack and position point at the calling guest code.
     */
    private static Value checked(Guest guest, LanguageAdapter lang, Runnable check, Supplier<Future<?>> work) {
        try {
            check.run();
        } catch (PermissionDenied e) {
            return guest.failed(lang.newError(LanguageAdapter.ErrorKind.PERMISSION_DENIED, null, e.getMessage()));
        }
        return guest.awaitable(work);
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: '" + s + "' (" + e.getReason() + ")");
        }
    }

    /** Argument {@code i}: an array of strings, or empty when absent or null. */
    static List<String> strings(Value[] a, int i, String signature) {
        List<String> out = new ArrayList<>();
        if (a.length > i && !a[i].isNull()) {
            if (!a[i].hasArrayElements()) {
                throw new IllegalArgumentException(signature + ": args must be an array of strings, got " + a[i]);
            }
            for (long k = 0; k < a[i].getArraySize(); k++) {
                Value v = a[i].getArrayElement(k);
                if (!v.isString()) {
                    throw new IllegalArgumentException(signature + ": args[" + k + "] must be a string, got " + v);
                }
                out.add(v.asString());
            }
        }
        return out;
    }

    static String string(Value[] a, int i, String signature, String what) {
        if (a.length <= i || !a[i].isString()) {
            throw new IllegalArgumentException(signature + ": " + what + " must be a string, got "
                    + (a.length <= i ? "nothing" : a[i]));
        }
        return a[i].asString();
    }
}
