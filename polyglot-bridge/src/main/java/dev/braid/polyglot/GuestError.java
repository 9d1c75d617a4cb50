package dev.braid.polyglot;

/**
 * An error raised by guest code (a thrown exception or a rejected promise), as it crosses
 * into Java: the guest's message, its stack as the guest prints it, and where it happened.
 * Host exceptions that travelled through the guest keep their Java cause.
 */
public final class GuestError extends RuntimeException {
    private final String guestName;
    private final String guestStack;
    private final String file;
    private final int line;
    private final int column;

    /** For language plugins: an error as the guest described it. */
    public GuestError(String guestName, String message, String guestStack, String file, int line, int column, Throwable cause) {
        super(compose(guestName, message, file, line, column), cause);
        this.guestName = guestName;
        this.guestStack = guestStack;
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String compose(String name, String message, String file, int line, int column) {
        String head = name != null && !name.isEmpty() && (message == null || !message.startsWith(name)) ? name + ": " : "";
        String where = file != null ? " (" + file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ")" : "";
        return head + (message != null ? message : "") + where;
    }

    /** The guest error's class name, such as {@code TypeError}, or null for a non-error value. */
    public String guestName() {
        return guestName;
    }

    /** The guest stack, one frame per line, as the guest language prints it (may be empty). */
    public String guestStack() {
        return guestStack;
    }

    /** The guest source file of the innermost guest frame, or null if unknown. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 if unknown. */
    public int column() {
        return column;
    }
}
