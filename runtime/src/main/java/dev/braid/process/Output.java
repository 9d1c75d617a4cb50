package dev.braid.process;

import java.nio.charset.StandardCharsets;

/**
 * What {@link Child#output()} and {@link Command#output()} collect: the exit status and
 * everything the child wrote to its piped stdout and stderr (empty for a stream that was not
 * piped). The arrays are the collected buffers themselves, not copies.
 */
public final class Output {
    private final ExitStatus status;
    private final byte[] stdout;
    private final byte[] stderr;

    Output(ExitStatus status, byte[] stdout, byte[] stderr) {
        this.status = status;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public ExitStatus status() {
        return status;
    }

    public byte[] stdout() {
        return stdout;
    }

    public byte[] stderr() {
        return stderr;
    }

    /** {@link #stdout()} decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** {@link #stderr()} decoded as UTF-8. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Output[" + status + ", " + stdout.length + " bytes of stdout, " + stderr.length + " bytes of stderr]";
    }
}
