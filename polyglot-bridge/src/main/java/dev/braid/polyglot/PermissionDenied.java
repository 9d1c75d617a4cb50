package dev.braid.polyglot;

/**
 * A guest asked for something its session's {@link Permissions} do not grant. Guests see it
 * as an error named {@code PermissionDenied} whose message names what was asked for, which
 * permission is missing and how to grant it.
 */
public final class PermissionDenied extends SecurityException {
    private final String kind;
    private final String target;

    /**
     * @param kind   {@code read}, {@code write}, {@code net}, {@code run} or {@code env}
     * @param target the path, {@code host:port}, command or variable asked for
     * @param detail why, and how to grant it
     */
    public PermissionDenied(String kind, String target, String detail) {
        super(kind + " access to " + target + " denied: " + detail);
        this.kind = kind;
        this.target = target;
    }

    /** {@code read}, {@code write}, {@code net}, {@code run} or {@code env}. */
    public String kind() {
        return kind;
    }

    /** The path, {@code host:port}, command or variable that was asked for. */
    public String target() {
        return target;
    }
}
