package dev.braid.polyglot;

import org.graalvm.polyglot.Value;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * An error raised by guest code (a thrown exception or a rejected promise), as it crosses
 * into Java: the guest's message, its stack as the guest prints it, and where it happened.
 * Host exceptions that travelled through the guest keep their Java cause.
 *
 * <p>Printed ({@link #printStackTrace()}, and so in logs), it shows the guest frames first,
 * each as {@code at <js> fn (file.js:3:11)}, then the Java frames of the place it crossed.
 */
public final class GuestError extends RuntimeException {
    private final String guestName;
    private final String guestStack;
    private final String file;
    private final int line;
    private final int column;
    /**
     * For a rejection on its way through Java ({@link Guest#rejection}): the guest's own
     * error value, handed back to guest code that awaits the same failure, so that it gets
     * the very object that was thrown. Null for other errors. Set once, before the error is
     * thrown; it keeps the guest value (and its context) alive as long as the error lives.
     */
    transient Value guestValue;
    /** The language's short name in printed frames ({@code js}, {@code python}). */
    private String language = "guest";
    /** The guest frames, innermost first, each as {@code function (file:line:column)}. */
    private List<String> frames = List.of();

    /** For language plugins: an error as the guest described it. */
    public GuestError(String guestName, String message, String guestStack, String file, int line, int column, Throwable cause) {
        super(compose(guestName, message, file, line, column), cause);
        this.guestName = guestName;
        this.guestStack = guestStack;
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /**
     * For language plugins: the guest frames, innermost first, each as
     * {@code function (file:line:column)}, printed before the Java frames as
     * {@code at <language> function (file:line:column)}. Returns this error.
     */
    public GuestError withFrames(String language, List<String> frames) {
        this.language = language;
        this.frames = List.copyOf(frames);
        return this;
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

    @Override
    public void printStackTrace(PrintStream s) {
        s.print(withGuestFrames());
    }

    @Override
    public void printStackTrace(PrintWriter s) {
        s.print(withGuestFrames());
    }

    /** Java's rendering, with the guest frames inserted after its heading (this error's toString). */
    private String withGuestFrames() {
        StringWriter java = new StringWriter();
        super.printStackTrace(new PrintWriter(java));
        String text = java.toString();
        String head = this + System.lineSeparator();
        String frames = guestFrames();
        if (frames.isEmpty() || !text.startsWith(head)) {
            return text;
        }
        return head + frames + text.substring(head.length());
    }

    /** The guest frames as lines {@code at <js> fn (file.js:3:11)}. */
    private String guestFrames() {
        StringBuilder b = new StringBuilder();
        for (String f : frames) {
            b.append("\tat <").append(language).append("> ").append(f).append(System.lineSeparator());
        }
        return b.toString();
    }
}
