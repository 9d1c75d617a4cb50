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
 * @param netHosts     {@code host:port}, {@code host:*} or {@code *:*} the guest may connect to
 * @param runCommands  program names or paths the guest may start ({@code *}: any)
 * @param envVars      environment variables the guest may read ({@code *}: any)
 * @param denied       what stays refused whatever the grants say
 * @param hint         how a denial tells the user to grant what was missing
 * @param prompt       who is asked, before a denial, whether to grant what is missing
 *                     ({@link Prompt#NEVER}: nobody, the access fails at once)
 */
public record Permissions(List<Path> readPaths, List<Path> writePaths, List<String> netHosts,
                          List<String> runCommands, List<String> envVars, Denied denied, GrantHint hint, Prompt prompt) {

    public Permissions {
        readPaths = List.copyOf(readPaths);
        writePaths = List.copyOf(writePaths);
        netHosts = List.copyOf(netHosts);
        runCommands = List.copyOf(runCommands);
        envVars = List.copyOf(envVars);
        Objects.requireNonNull(denied, "denied");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(prompt, "prompt");
    }

    /**
     * Asks, while the guest code waits, whether to grant an access that nothing granted
     * (a terminal's {@code Allow? [y/n/A]}). Never asked for what a deny refuses. May block:
     * an implementation that waits for a person hands its worker's queue on first
     * ({@code Braid.blockInPlace}). It remembers its own answers.
     */
    @FunctionalInterface
    public interface Prompt {
        /** Whether to allow {@code kind} ({@code read}, {@code write}, {@code net}, {@code run}, {@code env}) access to {@code target}. */
        boolean allow(String kind, String target);

        /** Asks nobody: what is not granted is refused. */
        Prompt NEVER = (kind, target) -> false;
    }

    /** The same grants, asking {@code p} instead. */
    public Permissions withPrompt(Prompt p) {
        return new Permissions(readPaths, writePaths, netHosts, runCommands, envVars, denied, hint, p);
    }

    /** What is refused whatever is granted (a {@code --deny-*} flag wins over an {@code --allow-*}). */
    public record Denied(List<Path> read, List<Path> write, List<String> net, List<String> run, List<String> env) {
        public Denied {
            read = List.copyOf(read);
            write = List.copyOf(write);
            net = List.copyOf(net);
            run = List.copyOf(run);
            env = List.copyOf(env);
        }

        static final Denied NOTHING = new Denied(List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /**
     * How a denial says what would grant it: for the kind ({@code read}, {@code write},
     * {@code net}, {@code run}, {@code env}) and the target asked for, the grant to add, as
     * the user writes it. The default speaks of {@link Builder}; the {@code braid} command
     * names its {@code --allow-*} flags.
     */
    @FunctionalInterface
    public interface GrantHint {
        String grant(String kind, String target);

        GrantHint BUILDER = (kind, target) -> switch (kind) {
            case "read" -> "Permissions.builder().allowRead(dir)";
            case "write" -> "Permissions.builder().allowWrite(dir)";
            case "net" -> "Permissions.builder().allowNet(\"" + target + "\")";
            case "run" -> "Permissions.builder().allowRun(\"" + target + "\")";
            default -> "Permissions.builder().allowEnv(\"" + target + "\")";
        };
    }

    /** Nothing granted. */
    public static Permissions none() {
        return new Permissions(List.of(), List.of(), List.of(), List.of(), List.of(), Denied.NOTHING, GrantHint.BUILDER, Prompt.NEVER);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code p} lies inside a granted read (or write) path and no denied one. */
    public boolean mayRead(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return (readPaths.stream().anyMatch(n::startsWith) || writePaths.stream().anyMatch(n::startsWith))
                && denied.read().stream().noneMatch(n::startsWith);
    }

    public boolean mayWrite(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return writePaths.stream().anyMatch(n::startsWith) && denied.write().stream().noneMatch(n::startsWith);
    }

    /** Grants, one call per scope. */
    public static final class Builder {
        private final List<Path> read = new ArrayList<>();
        private final List<Path> write = new ArrayList<>();
        private final List<String> net = new ArrayList<>();
        private final List<String> run = new ArrayList<>();
        private final List<String> env = new ArrayList<>();
        private final List<Path> denyRead = new ArrayList<>();
        private final List<Path> denyWrite = new ArrayList<>();
        private final List<String> denyNet = new ArrayList<>();
        private final List<String> denyRun = new ArrayList<>();
        private final List<String> denyEnv = new ArrayList<>();
        private GrantHint hint = GrantHint.BUILDER;
        private Prompt prompt = Prompt.NEVER;

        public Builder allowRead(Path p) {
            read.add(p.toAbsolutePath().normalize());
            return this;
        }

        public Builder allowWrite(Path p) {
            write.add(p.toAbsolutePath().normalize());
            return this;
        }

        /** {@code host:port}, {@code host:*} for every port, or {@code *:*} for every host. */
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

        /** Refuses reading under {@code p}, whatever is granted. */
        public Builder denyRead(Path p) {
            denyRead.add(p.toAbsolutePath().normalize());
            return this;
        }

        /** Refuses writing under {@code p}, whatever is granted. */
        public Builder denyWrite(Path p) {
            denyWrite.add(p.toAbsolutePath().normalize());
            return this;
        }

        /** Refuses {@code host:port} ({@code host:*}: every port of the host; {@code *:*}: everything). */
        public Builder denyNet(String hostPort) {
            if (!Objects.requireNonNull(hostPort).contains(":")) {
                throw new IllegalArgumentException("denyNet takes host:port or host:*, got '" + hostPort + "'");
            }
            denyNet.add(hostPort);
            return this;
        }

        /** Refuses starting {@code command} ({@code *}: every command). */
        public Builder denyRun(String command) {
            denyRun.add(Objects.requireNonNull(command));
            return this;
        }

        /** Refuses reading the variable {@code name} ({@code *}: every variable). */
        public Builder denyEnv(String name) {
            denyEnv.add(Objects.requireNonNull(name));
            return this;
        }

        /** How denials say what to grant (default: this builder's methods). */
        public Builder hint(GrantHint h) {
            hint = Objects.requireNonNull(h);
            return this;
        }

        /** Who is asked before an access nothing grants is refused (default: nobody). */
        public Builder prompt(Prompt p) {
            prompt = Objects.requireNonNull(p);
            return this;
        }

        public Permissions build() {
            return new Permissions(read, write, net, run, env, new Denied(denyRead, denyWrite, denyNet, denyRun, denyEnv), hint, prompt);
        }
    }
}
