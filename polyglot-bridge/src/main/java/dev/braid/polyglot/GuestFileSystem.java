package dev.braid.polyglot;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The file system a guest context sees. For a language whose own file functions go through
 * it (Python's {@code open}, {@code os}, {@code pathlib}: {@link #allowFileAccess}), every
 * read and write is checked against the session's grants as {@code braid.fs} checks it;
 * otherwise it is only how the guest loads modules: read-only, and limited to
 * <ul>
 *   <li>host modules, imported by a bare name ({@code import { sleep } from 'braid'});</li>
 *   <li>sources the host registered (the code of a module it evaluates), readable whatever
 *       the permissions, since the host chose to run them;</li>
 *   <li>files inside the session's readable paths ({@link Permissions#readPaths()}), checked
 *       with {@link PermissionCheck#read}: a relative import between the job's own modules
 *       works when their directory is granted, and {@code import '/etc/passwd'} fails with
 *       an error that names the path and the missing permission.</li>
 * </ul>
 * A bare specifier reaches the file system as a string to parse ({@link #parsePath(String)}):
 * one that names a host module becomes a path in a reserved directory that is never read
 * from disk, so {@code '/braid'} stays a file path like any other. The working directory is
 * {@code /} (a custom file system must have one).
 */
public final class GuestFileSystem implements org.graalvm.polyglot.io.FileSystem {
    private final org.graalvm.polyglot.io.FileSystem disk = org.graalvm.polyglot.io.FileSystem.newDefaultFileSystem();
    /** Host modules by bare name: their code, made when first imported. */
    private final Map<String, HostModule> hostModules = new ConcurrentHashMap<>();
    /** Registered sources by absolute, normalized path. */
    private final Map<Path, byte[]> sources = new ConcurrentHashMap<>();
    private volatile Path cwd = Path.of("/");

    /** What module loading may read: the session's grants, and the directories of {@link #allowModulesFrom}. */
    private volatile Permissions modules;

    /**
     * For a language whose own file functions go through this file system (Python's
     * {@code open}, {@code os}, {@code pathlib}): the session's grants for reads and writes,
     * and its temporary directories. Null: module loading only, read-only.
     */
    private volatile FileAccess access;

    private record FileAccess(Permissions perms, java.util.function.Predicate<Path> inTempDir) {
    }

    /** The directories of {@link #allowModulesFrom}, in the order they were added. */
    private final List<Path> moduleDirs = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The scripts of {@link #allowScriptSource}. */
    private final java.util.Set<Path> scripts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Why this thread's last file operation was refused, until {@link #takeLastDenial} reads it. */
    private static final ThreadLocal<String> LAST_DENIAL = new ThreadLocal<>();

    public GuestFileSystem(Permissions permissions) {
        this.modules = permissions;
    }

    /**
     * Lets the guest language's own file functions read and write what the session's
     * {@code permissions} grant (and its temporary directories, see
     * {@link Guest#makeTempDir}), each path checked as {@code braid.fs} checks it. Module
     * loading no longer reads through here then: the language loads the directories of
     * {@link #allowModulesFrom} itself ({@link #moduleSource}), so a script's own directory
     * is importable but not readable.
     */
    public void allowFileAccess(Permissions permissions, java.util.function.Predicate<Path> inTempDir) {
        this.access = new FileAccess(permissions, inTempDir);
    }

    /**
     * Why the calling thread's last file operation here was refused (the path, the missing
     * grant and how to grant it), or null; cleared by the read. A language whose errors for
     * refused file operations lose the message (GraalPy's {@code PermissionError}) puts it
     * back with this.
     */
    public static String takeLastDenial() {
        String d = LAST_DENIAL.get();
        LAST_DENIAL.remove();
        return d;
    }

    private static PermissionDenied denied(PermissionDenied d) {
        LAST_DENIAL.set(d.getMessage());
        return d;
    }

    /**
     * Serves the code {@code code} supplies to {@code import … from 'name'} (a bare
     * specifier without slashes). The supplier runs once, on the guest's strand, when the
     * module is first imported: a module that re-exports a global sees everything the global
     * got until then.
     */
    public void addHostModule(String name, Supplier<String> code) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/")) {
            throw new IllegalArgumentException("a host module needs a bare name such as 'braid', got '" + name + "'");
        }
        hostModules.put(name, new HostModule(code));
    }

    private static final class HostModule {
        private final Supplier<String> code;
        private byte[] bytes;

        HostModule(Supplier<String> code) {
            this.code = code;
        }

        synchronized byte[] bytes() {
            if (bytes == null) {
                bytes = code.get().getBytes(StandardCharsets.UTF_8);
            }
            return bytes;
        }
    }

    /**
     * Lets the guest load modules from under {@code dir} whatever its read grants say (a
     * job's own directory: a script imports its sibling modules without {@code --allow-read},
     * as Deno allows static imports). Only module loading: the {@code braid.fs} API still
     * needs a grant, and a denial of {@code dir} still wins.
     */
    public void allowModulesFrom(Path dir) {
        moduleDirs.add(dir.toAbsolutePath().normalize());
        Permissions p = modules;
        List<Path> read = new ArrayList<>(p.readPaths());
        read.add(dir.toAbsolutePath().normalize());
        modules = new Permissions(read, p.writePaths(), p.netHosts(), p.runCommands(), p.envVars(), p.denied(), p.hint(), p.prompt());
    }

    /**
     * A job's own script: its directory's modules load as {@link #allowModulesFrom} lets
     * them, and {@link #moduleSource} reads the script itself whatever its name, for the
     * lines its tracebacks show (it stays unreadable to the guest's file APIs). A denial of
     * it still wins.
     */
    public void allowScriptSource(Path script) {
        Path p = script.toAbsolutePath().normalize();
        scripts.add(p);
        allowModulesFrom(p.getParent());
    }

    /** The directories modules load from whatever the read grants say ({@link #allowModulesFrom}). */
    public List<Path> moduleDirs() {
        return List.copyOf(moduleDirs);
    }

    /**
     * The text of {@code path} if {@link #moduleFile} admits it, for a language that loads
     * modules itself; null if there is no such file.
     */
    public String moduleSource(Path path) throws IOException {
        Path p = moduleFile(path);
        return p == null ? null : java.nio.file.Files.readString(p, StandardCharsets.UTF_8);
    }

    /**
     * {@code path} if it is a script of {@link #allowScriptSource} or a module file inside
     * one of {@link #moduleDirs()} that may be read, else null: a regular file named {@code NAME.py} whose directories below the
     * module directory are identifiers too (packages), so that nothing else under a
     * script's directory (its data, keys, {@code .env}) can be read this way.
     */
    public Path moduleFile(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (scripts.contains(p) && java.nio.file.Files.isRegularFile(p)) {
            try {
                return PermissionCheck.read(modules, p);
            } catch (PermissionDenied e) {
                return null;
            }
        }
        Path root = null;
        for (Path d : moduleDirs) {
            if (p.startsWith(d) && (root == null || d.getNameCount() > root.getNameCount())) {
                root = d;
            }
        }
        if (root == null || !isModulePath(root.relativize(p)) || !PermissionCheck.inside(p, moduleDirs)
                || !java.nio.file.Files.isRegularFile(p)) {
            return null;
        }
        try {
            return PermissionCheck.read(modules, p);
        } catch (PermissionDenied e) {
            return null; // a denial of part of a module directory wins: as if the file were not there
        }
    }

    /** Whether {@code rel} is {@code a/b/c.py}: identifiers, the last one a {@code .py} file. */
    private static boolean isModulePath(Path rel) {
        int n = rel.getNameCount();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            String part = rel.getName(i).toString();
            if (i == n - 1) {
                if (!part.endsWith(".py")) {
                    return false;
                }
                part = part.substring(0, part.length() - 3);
            }
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0)) || part.charAt(0) == '$'
                    || !part.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private byte[] hostModule(String name) {
        HostModule m = hostModules.get(name);
        return m == null ? null : m.bytes();
    }

    /**
     * Serves {@code code} at {@code path} (absolute or relative to the JVM's working
     * directory), readable whatever the session's permissions. Returns the absolute path.
     */
    public Path addSource(Path path, String code) {
        Path p = path.toAbsolutePath().normalize();
        sources.put(p, code.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** Whether {@code path} is a source the host registered. */
    public boolean hasSource(Path path) {
        return sources.containsKey(path.toAbsolutePath().normalize());
    }

    // ---- what the guest's module loader calls -----------------------------------------------

    /**
     * Where host modules live: a bare specifier that names one is parsed straight to a path
     * here ({@link #parsePath(String)}), so it never depends on the working directory and
     * never shadows a file on disk; nothing under it is ever read from disk.
     */
    private static final Path HOST_MODULES = Path.of("/", "braid-host-modules");

    /** The registered bytes for {@code path}, or null. */
    private byte[] served(Path path) {
        Path abs = toAbsolutePath(path).normalize();
        if (abs.startsWith(HOST_MODULES)) {
            return abs.getNameCount() == HOST_MODULES.getNameCount() + 1 ? hostModule(abs.getFileName().toString()) : null;
        }
        return sources.get(abs);
    }

    /** An absolute path on disk the guest may read, or an exception saying why not. */
    private Path readable(Path path) throws IOException {
        FileAccess a = access;
        if (a != null) {
            Path p = toAbsolutePath(path).normalize();
            if (a.inTempDir().test(p)) {
                return p;
            }
            // Nobody is asked about a path that is not there: the language's library probes
            // such paths on its own (Python's linecache looks for "<frozen keyword>").
            Permissions perms = java.nio.file.Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? a.perms() : a.perms().withPrompt(Permissions.Prompt.NEVER);
            try {
                return PermissionCheck.read(perms, p);
            } catch (PermissionDenied d) {
                throw denied(d);
            }
        }
        if (!path.isAbsolute() || path.normalize().startsWith(HOST_MODULES)) {
            // A bare specifier that names no host module.
            throw new NoSuchFileException(path.toString(), null,
                    "no host module '" + path + "'; host modules: " + hostModules.keySet());
        }
        return PermissionCheck.read(modules, path);
    }

    /** An absolute path the guest may write (create, replace, remove), or the denial: with file access only, and only granted paths. */
    private Path writable(Path path) {
        FileAccess a = access;
        if (a == null) {
            throw readOnly(path);
        }
        Path p = toAbsolutePath(path).normalize();
        if (a.inTempDir().test(p)) {
            return p;
        }
        try {
            return PermissionCheck.write(a.perms(), p);
        } catch (PermissionDenied d) {
            throw denied(d);
        }
    }

    /**
     * Renames {@code source} to {@code target} as POSIX {@code rename} does (atomically,
     * replacing a file at {@code target}), both checked as writes: for a language whose own
     * rename cannot reach {@link #move} (the wrapper that serves internal resources does not
     * pass moves on, and GraalPy asks for an atomic one).
     */
    public void rename(Path source, Path target) throws IOException {
        java.nio.file.Files.move(writable(source), writable(target), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static PermissionDenied readOnly(Path path) {
        return new PermissionDenied("write", path.toString(), "the guest file system only loads modules (read-only)");
    }

    @Override
    public Path parsePath(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new UnsupportedOperationException("only file: URIs name modules, got " + uri);
        }
        return Path.of(uri);
    }

    /** A bare specifier naming a host module is its path among the host modules; anything else a path as written. */
    @Override
    public Path parsePath(String path) {
        if (hostModules.containsKey(path)) {
            return HOST_MODULES.resolve(path);
        }
        return Path.of(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE)) {
            // A probe (os.access): refused without asking anyone.
            FileAccess a = access;
            if (a == null) {
                throw readOnly(path);
            }
            Path p = toAbsolutePath(path).normalize();
            if (!a.inTempDir().test(p)) {
                try {
                    PermissionCheck.write(a.perms().withPrompt(Permissions.Prompt.NEVER), p);
                } catch (PermissionDenied d) {
                    throw denied(d);
                }
            }
            disk.checkAccess(p, modes, linkOptions);
            return;
        }
        if (served(path) != null) {
            if (modes.contains(AccessMode.EXECUTE)) {
                throw new java.nio.file.AccessDeniedException(path.toString(), null, "not executable");
            }
            return;
        }
        disk.checkAccess(readable(path), modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        disk.createDirectory(writable(dir), attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        disk.delete(writable(path));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.DELETE_ON_CLOSE
                    || o == StandardOpenOption.TRUNCATE_EXISTING) {
                return disk.newByteChannel(writable(path), options, attrs);
            }
        }
        byte[] s = served(path);
        if (s != null) {
            return new ReadOnlyChannel(s);
        }
        return disk.newByteChannel(readable(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        return disk.newDirectoryStream(readable(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : cwd.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        if (served(path) != null) {
            return toAbsolutePath(path).normalize();
        }
        Path real = disk.toRealPath(readable(path), linkOptions);
        return access != null ? readable(real) : PermissionCheck.read(modules, real);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        byte[] s = served(path);
        if (s != null) {
            FileTime epoch = FileTime.fromMillis(0);
            Map<String, Object> m = new HashMap<>();
            m.put("lastModifiedTime", epoch);
            m.put("lastAccessTime", epoch);
            m.put("creationTime", epoch);
            m.put("size", (long) s.length);
            m.put("isRegularFile", true);
            m.put("isDirectory", false);
            m.put("isSymbolicLink", false);
            m.put("isOther", false);
            m.put("fileKey", null);
            return m;
        }
        return disk.readAttributes(readable(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        disk.setAttribute(writable(path), attribute, value, options);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        disk.copy(readable(source), writable(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        disk.move(writable(source), writable(target), options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        // A hard link is another name for the same file: writing through it writes that file.
        disk.createLink(writable(link), writable(existing));
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        // Only to where the session may write: a link the guest could point elsewhere between
        // a check and an open would be a way around the checks.
        Path at = writable(link);
        writable(at.getParent() == null ? target : at.getParent().resolve(target));
        disk.createSymbolicLink(at, target, attrs);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return disk.readSymbolicLink(readable(link));
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        if (!currentWorkingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute, got " + currentWorkingDirectory);
        }
        cwd = currentWorkingDirectory;
    }

    @Override
    public Path getTempDirectory() {
        throw new UnsupportedOperationException("guests have no temporary directory");
    }
}
