package dev.braid.polyglot;

/**
 * Guest code ended its whole context with an exit status (Python's {@code sys.exit(3)},
 * which GraalPy turns into an exit of the context): an evaluation that ran it fails with
 * this, and the session cannot run code any more. A job runner ends the job with
 * {@link #status()}.
 */
public final class GuestExit extends RuntimeException {
    private final int status;

    public GuestExit(int status, Throwable cause) {
        super("the guest code exited with status " + status, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
