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
        List<Path> grants = concat(perms.readPaths(), perms.writePaths());
        if (!under(p, grants) || !under(real(p), realAll(grants))) {
            throw new PermissionDenied("read", p.toString(), grants.isEmpty()
                    ? "the session grants no read access (grant it with Permissions.builder().allowRead(dir))"
                    : "not inside a readable path " + grants + " (grant it with Permissions.builder().allowRead(dir))");
        }
        return p;
    }

    /** Checks that {@code path} may be written (created, replaced) and returns it absolute and normalized. */
    public static Path write(Permissions perms, Path path) {
        Path p = path.toAbsolutePath().normalize();
        List<Path> grants = perms.writePaths();
        if (!under(p, grants) || !under(real(p), realAll(grants))) {
            throw new PermissionDenied("write", p.toString(), grants.isEmpty()
                    ? "the session grants no write access (grant it with Permissions.builder().allowWrite(dir))"
                    : "not inside a writable path " + grants + " (grant it with Permissions.builder().allowWrite(dir))");
        }
        return p;
    }

    /** Checks that the guest may connect to {@code host} on {@code port}. */
    public static void connect(Permissions perms, String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String grant : perms.netHosts()) {
            int colon = grant.lastIndexOf(':');
            String gh = grant.substring(0, colon).toLowerCase(Locale.ROOT);
            String gp = grant.substring(colon + 1);
            if (gh.startsWith("[") && gh.endsWith("]")) {
                gh = gh.substring(1, gh.length() - 1);
            }
            if (gh.equals(h) && (gp.equals("*") || gp.equals(Integer.toString(port)))) {
                return;
            }
        }
        String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        throw new PermissionDenied("net", target, perms.netHosts().isEmpty()
                ? "the session grants no network access (grant it with Permissions.builder().allowNet(\"" + target + "\"))"
                : "not among the granted hosts " + perms.netHosts() + " (grant it with Permissions.builder().allowNet(\"" + target + "\"))");
    }

    /**
     * Checks that the guest may start {@code command}. Grants match the command exactly as
     * written: granting {@code echo} allows {@code echo} (found on the PATH), not
     * {@code /tmp/echo}.
     */
    public static void run(Permissions perms, String command) {
        if (!perms.runCommands().contains(command)) {
            throw new PermissionDenied("run", command, perms.runCommands().isEmpty()
                    ? "the session grants no process access (grant it with Permissions.builder().allowRun(\"" + command + "\"))"
                    : "not among the granted commands " + perms.runCommands() + " (grant it with Permissions.builder().allowRun(\"" + command + "\"))");
        }
    }

    /** Checks that the guest may read the environment variable {@code name}. */
    public static void env(Permissions perms, String name) {
        if (!perms.envVars().contains(name)) {
            throw new PermissionDenied("env", name, perms.envVars().isEmpty()
                    ? "the session grants no environment access (grant it with Permissions.builder().allowEnv(\"" + name + "\"))"
                    : "not among the granted variables " + perms.envVars() + " (grant it with Permissions.builder().allowEnv(\"" + name + "\"))");
        }
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
