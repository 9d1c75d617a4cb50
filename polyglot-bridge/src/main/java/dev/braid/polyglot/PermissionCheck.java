package dev.braid.polyglot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Enforces a session's {@link Permissions} for Braid's host API and the module loader. Each
 * check returns normally or throws {@link PermissionDenied} with a message that names what
 * was asked for and the grant that would allow it.
 *
 * <p>Paths are checked twice: as written (made absolute against the JVM's working directory
 * and normalized, so {@code ..} cannot climb out of a grant) and with symbolic links
 * resolved, so a link inside a granted directory cannot lead outside it.
 *
 * <p>Before an access that nothing grants is refused, the permissions' {@link Permissions.Prompt}
 * is asked (a person at a terminal); a deny is never asked about.
 */
public final class PermissionCheck {
    private PermissionCheck() {
    }

    /**
     * Checks that {@code path} may be read and returns it absolute and normalized. Read
     * grants and write grants both allow reading.
     */
    public static Path read(Permissions perms, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (under(p, perms.denied().read()) || under(real(p), realAll(perms.denied().read()))) {
            throw new PermissionDenied("read", p.toString(), "reading it is denied (" + perms.denied().read() + ")");
        }
        List<Path> grants = concat(perms.readPaths(), perms.writePaths());
        if ((!under(p, grants) || !under(real(p), realAll(grants))) && !perms.prompt().allow("read", p.toString())) {
            throw new PermissionDenied("read", p.toString(), (grants.isEmpty()
                    ? "the session grants no read access" : "not inside a readable path " + grants)
                    + " (grant it with " + perms.hint().grant("read", p.toString()) + ")");
        }
        return p;
    }

    /** Checks that {@code path} may be written (created, replaced) and returns it absolute and normalized. */
    public static Path write(Permissions perms, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (under(p, perms.denied().write()) || under(real(p), realAll(perms.denied().write()))) {
            throw new PermissionDenied("write", p.toString(), "writing it is denied (" + perms.denied().write() + ")");
        }
        List<Path> grants = perms.writePaths();
        if ((!under(p, grants) || !under(real(p), realAll(grants))) && !perms.prompt().allow("write", p.toString())) {
            throw new PermissionDenied("write", p.toString(), (grants.isEmpty()
                    ? "the session grants no write access" : "not inside a writable path " + grants)
                    + " (grant it with " + perms.hint().grant("write", p.toString()) + ")");
        }
        return p;
    }

    /** Whether {@code path} is inside one of {@code dirs}, both as written and with links resolved. */
    static boolean inside(Path path, List<Path> dirs) {
        Path p = path.toAbsolutePath().normalize();
        return under(p, dirs) && under(real(p), realAll(dirs));
    }

    /** Checks that the guest may connect to {@code host} on {@code port}. */
    public static void connect(Permissions perms, String host, int port) {
        String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        if (matchesHost(perms.denied().net(), host, port)) {
            throw new PermissionDenied("net", target, "connecting to it is denied (" + perms.denied().net() + ")");
        }
        if (matchesHost(perms.netHosts(), host, port) || perms.prompt().allow("net", target)) {
            return;
        }
        throw new PermissionDenied("net", target, (perms.netHosts().isEmpty()
                ? "the session grants no network access" : "not among the granted hosts " + perms.netHosts())
                + " (grant it with " + perms.hint().grant("net", target) + ")");
    }

    /**
     * Checks that the guest may look {@code host} up: some grant names it (on any port), and
     * no denial takes all of its ports.
     */
    public static void resolve(Permissions perms, String host) {
        if (namesHost(perms.denied().net(), host, true)) {
            throw new PermissionDenied("net", host, "looking it up is denied (" + perms.denied().net() + ")");
        }
        if (namesHost(perms.netHosts(), host, false) || perms.prompt().allow("net", host)) {
            return;
        }
        throw new PermissionDenied("net", host, (perms.netHosts().isEmpty()
                ? "the session grants no network access" : "not among the granted hosts " + perms.netHosts())
                + " (grant it with " + perms.hint().grant("net", host) + ")");
    }

    /** Whether an entry names {@code host} (or every host), on every port if {@code everyPort}. */
    private static boolean namesHost(List<String> entries, String host, boolean everyPort) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            String eh = entry.substring(0, colon).toLowerCase(Locale.ROOT);
            if (eh.startsWith("[") && eh.endsWith("]")) {
                eh = eh.substring(1, eh.length() - 1);
            }
            if ((eh.equals("*") || eh.equals(h)) && (!everyPort || entry.substring(colon + 1).equals("*"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code host:port} entry ({@code *} for any host or any port) matches. */
    private static boolean matchesHost(List<String> entries, String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String grant : entries) {
            int colon = grant.lastIndexOf(':');
            String gh = grant.substring(0, colon).toLowerCase(Locale.ROOT);
            String gp = grant.substring(colon + 1);
            if (gh.startsWith("[") && gh.endsWith("]")) {
                gh = gh.substring(1, gh.length() - 1);
            }
            if ((gh.equals("*") || gh.equals(h)) && (gp.equals("*") || gp.equals(Integer.toString(port)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that the guest may start {@code command} and returns the program to start: the
     * command found on {@code searchPath} (the session's {@code PATH}) when it is a bare name
     * (as a shell finds it), else the path as written made absolute against {@code cwd} (the
     * session's working directory); null when it is a bare name the PATH has not
     * got (then it is not started: "not on the session's PATH"). An entry matches a command written the
     * same way ({@code git}), or, written as an absolute path ({@code /usr/bin/git}), the
     * program the command resolves to (symbolic links followed), which pins a name to one
     * program; {@code *} matches any. Denies match the same way and always win.
     */
    public static Path run(Permissions perms, String command, String searchPath, Path cwd) {
        Path program = program(command, searchPath, cwd);
        if (matchesCommand(perms.denied().run(), command, program)) {
            throw new PermissionDenied("run", command, "starting it is denied (" + perms.denied().run() + ")");
        }
        if (!matchesCommand(perms.runCommands(), command, program) && !perms.prompt().allow("run", command)) {
            throw new PermissionDenied("run", command, (perms.runCommands().isEmpty()
                    ? "the session grants no process access" : "not among the granted commands " + perms.runCommands()
                    + (program != null && !program.toString().equals(command) ? " (it is " + program + ")" : ""))
                    + " (grant it with " + perms.hint().grant("run", command) + ")");
        }
        return program;
    }

    private static boolean matchesCommand(List<String> entries, String command, Path program) {
        for (String e : entries) {
            if (e.equals("*") || e.equals(command)) {
                return true;
            }
            if (program != null && e.startsWith("/")) {
                Path pin = Path.of(e).normalize();
                if (pin.equals(program) || pin.equals(real(program)) || real(pin) != null && real(pin).equals(real(program))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The program {@code command} names: looked up on {@code searchPath} (the host's
     * {@code PATH}, null: none) if it has no slash, else taken relative to {@code cwd}.
     */
    static Path program(String command, String searchPath, Path cwd) {
        if (command.isEmpty()) {
            return null;
        }
        if (command.indexOf('/') >= 0) {
            return cwd.resolve(command).normalize();
        }
        if (searchPath == null) {
            return null;
        }
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = cwd.resolve(dir).resolve(command).normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Whether the session may connect anywhere ({@code *:*} granted, no host denied): what a
     * language's raw socket access needs, since the host cannot check its connections one by
     * one.
     */
    public static boolean netUnscoped(Permissions perms) {
        return perms.netHosts().contains("*:*") && perms.denied().net().isEmpty();
    }

    /** Checks that the guest may read the environment variable {@code name} ({@code *} grants any). */
    public static void env(Permissions perms, String name) {
        if (perms.denied().env().contains(name) || perms.denied().env().contains("*")) {
            throw new PermissionDenied("env", name, "reading it is denied (" + perms.denied().env() + ")");
        }
        if (!perms.envVars().contains(name) && !perms.envVars().contains("*") && !perms.prompt().allow("env", name)) {
            throw new PermissionDenied("env", name, (perms.envVars().isEmpty()
                    ? "the session grants no environment access" : "not among the granted variables " + perms.envVars())
                    + " (grant it with " + perms.hint().grant("env", name) + ")");
        }
    }

    /**
     * Whether {@code name} is granted and not denied, without asking anyone: for reads that
     * show an ungranted variable as absent ({@code process.env}) rather than fail.
     */
    public static boolean envGranted(Permissions perms, String name) {
        boolean denied = perms.denied().env().contains(name) || perms.denied().env().contains("*");
        return !denied && (perms.envVars().contains(name) || perms.envVars().contains("*"));
    }

    private static boolean under(Path p, List<Path> grants) {
        if (p == null) {
            return false;
        }
        for (Path g : grants) {
            if (p.startsWith(g)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code p} with symbolic links resolved: the real path of its longest existing prefix
     * with the rest appended (a file about to be created has no real path of its own); null
     * if that cannot be told (a dangling link).
     */
    static Path real(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            Path r = existing.toRealPath();
            return rest == null ? r : r.resolve(rest).normalize();
        } catch (IOException e) {
            return null; // a dangling link, or no permission to look: cannot tell where it leads
        }
    }

    private static List<Path> realAll(List<Path> grants) {
        List<Path> out = new java.util.ArrayList<>(grants.size());
        for (Path g : grants) {
            Path r = real(g);
            out.add(r != null ? r : g);
        }
        return out;
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Path> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
