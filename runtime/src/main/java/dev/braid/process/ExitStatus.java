package dev.braid.process;

import java.util.OptionalInt;

/**
 * How a child process ended.
 *
 * <p>{@link #code()} is exactly what the JDK reports. On Linux and macOS a process killed by
 * signal N is reported as code {@code 128 + N}, which the JDK does not tell apart from a
 * process that called {@code exit(128 + N)}. {@link #signal()} is therefore only known when
 * this {@link Child} sent the signal itself ({@link Child#kill()}, {@link Child#terminate()})
 * and the code is the one that signal produces.
 */
public final class ExitStatus {
    private final int code;
    private final int signal;

    ExitStatus(int code, int signal) {
        this.code = code;
        this.signal = signal;
    }

    /** The exit code as the JDK reports it ({@code 128 + N} for a death by signal N on Unix). */
    public int code() {
        return code;
    }

    /** True if the process exited by itself with code 0. */
    public boolean success() {
        return code == 0 && signal == 0;
    }

    /** The signal that ended the process, when known (see the class comment). */
    public OptionalInt signal() {
        return signal == 0 ? OptionalInt.empty() : OptionalInt.of(signal);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitStatus s && s.code == code && s.signal == signal;
    }

    @Override
    public int hashCode() {
        return code * 31 + signal;
    }

    @Override
    public String toString() {
        return signal != 0 ? "killed by signal " + signal + " (exit code " + code + ")" : "exit code " + code;
    }
}
