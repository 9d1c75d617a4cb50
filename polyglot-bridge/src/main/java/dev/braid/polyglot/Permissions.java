package dev.braid.polyglot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a guest job may touch beyond its own computation. Least privilege by default:
 * {@link #none()} grants nothing (no files beyond the job's own sources, no network, no
 * processes, no environment variables, and never host class lookup). Each grant is scoped.
 * Guests never get raw host access; these grants are enforced by Braid's own host API.
 *
 * @param readPaths    directories or files the guest may read (and import modules from)
 * @param writePaths   directories or files the guest may write
 * @param netHosts     {@code host:port} (or {@code host:*}) the guest may connect to
 * @param runCommands  program names or paths the guest may start
 * @param envVars      environment variables the guest may read
 */
public record Permissions(List<Path> readPaths, List<Path> writePaths, List<String> netHosts,
                          List<String> runCommands, List<String> envVars) {

    public Permissions {
        readPaths = List.copyOf(readPaths);
        writePaths = List.copyOf(writePaths);
        netHosts = List.copyOf(netHosts);
        runCommands = List.copyOf(runCommands);
        envVars = List.copyOf(envVars);
    }

    /** Nothing granted. */
    public static Permissions none() {
        return new Permissions(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code p} lies inside a granted read (or write) path. */
    public boolean mayRead(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return readPaths.stream().anyMatch(r -> n.startsWith(r)) || mayWrite(n);
    }

    public boolean mayWrite(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return writePaths.stream().anyMatch(n::startsWith);
    }

    /** Grants, one call per scope. */
    public static final class Builder {
        private final List<Path> read = new ArrayList<>();
        private final List<Path> write = new ArrayList<>();
        private final List<String> net = new ArrayList<>();
        private final List<String> run = new ArrayList<>();
        private final List<String> env = new ArrayList<>();

        public Builder allowRead(Path p) {
            read.add(p.toAbsolutePath().normalize());
            return this;
        }

        public Builder allowWrite(Path p) {
            write.add(p.toAbsolutePath().normalize());
            return this;
        }

        /** {@code host:port}, or {@code host:*} for every port. */
        public Builder allowNet(String hostPort) {
            if (!Objects.requireNonNull(hostPort).contains(":")) {
                throw new IllegalArgumentException("allowNet takes host:port or host:*, got '" + hostPort + "'");
            }
            net.add(hostPort);
            return this;
        }

        public Builder allowRun(String command) {
            run.add(Objects.requireNonNull(command));
            return this;
        }

        public Builder allowEnv(String name) {
            env.add(Objects.requireNonNull(name));
            return this;
        }

        public Permissions build() {
            return new Permissions(read, write, net, run, env);
        }
    }
}
