package dev.braid.process;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/**
 * Where one of a child's standard streams goes: {@link #inherit()} (this JVM's own stream),
 * {@link #piped()} (a pipe this process reads or writes through {@link Child#stdin()},
 * {@link Child#stdout()}, {@link Child#stderr()}), or {@link #nullDevice()} (the operating
 * system's null device: reads see end of file at once, writes are discarded).
 */
public final class Stdio {
    private static final Stdio INHERIT = new Stdio(Kind.INHERIT);
    private static final Stdio PIPED = new Stdio(Kind.PIPED);
    private static final Stdio NULL_DEVICE = new Stdio(Kind.NULL_DEVICE);
    private static final File NULL_FILE =
            new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");

    enum Kind { INHERIT, PIPED, NULL_DEVICE }

    private final Kind kind;

    private Stdio(Kind kind) {
        this.kind = kind;
    }

    /** The child uses this JVM's stream. The default of {@link Command#spawn()}. */
    public static Stdio inherit() {
        return INHERIT;
    }

    /** A pipe between the child and this process, read or written asynchronously. */
    public static Stdio piped() {
        return PIPED;
    }

    /** The null device: the child reads end of file at once, and what it writes is discarded. */
    public static Stdio nullDevice() {
        return NULL_DEVICE;
    }

    boolean isPiped() {
        return kind == Kind.PIPED;
    }

    Redirect forInput() {
        return switch (kind) {
            case INHERIT -> Redirect.INHERIT;
            case PIPED -> Redirect.PIPE;
            case NULL_DEVICE -> Redirect.from(NULL_FILE);
        };
    }

    Redirect forOutput() {
        return switch (kind) {
            case INHERIT -> Redirect.INHERIT;
            case PIPED -> Redirect.PIPE;
            case NULL_DEVICE -> Redirect.DISCARD;
        };
    }

    @Override
    public String toString() {
        return "Stdio." + switch (kind) {
            case INHERIT -> "inherit()";
            case PIPED -> "piped()";
            case NULL_DEVICE -> "nullDevice()";
        };
    }
}
