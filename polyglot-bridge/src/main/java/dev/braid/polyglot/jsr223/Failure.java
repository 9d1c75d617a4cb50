package dev.braid.polyglot.jsr223;

import dev.braid.polyglot.Guest;
import dev.braid.polyglot.GuestError;
import dev.braid.runtime.JoinError;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

import javax.script.ScriptException;
import java.util.regex.Pattern;

/**
 * A failure on the strand, described for the caller's thread, where it becomes a
 * {@link ScriptException} (with the guest's message, file, line and column) or a
 * {@link NoSuchMethodException}, made there so that its stack trace is the caller's.
 */
final class Failure extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final boolean noSuchMethod;

    private Failure(String message, String file, int line, int column, Throwable cause, boolean noSuchMethod) {
        super(message, cause, false, false);
        this.file = file;
        this.line = line;
        this.column = column;
        this.noSuchMethod = noSuchMethod;
    }

    static Failure noSuchMethod(String message) {
        return new Failure(message, null, -1, -1, null, true);
    }

    boolean isNoSuchMethod() {
        return noSuchMethod;
    }

    ScriptException toScriptException() {
        ScriptException se = new ScriptException(getMessage(), file, line, column);
        if (getCause() != null) {
            se.initCause(getCause());
        }
        return se;
    }

    /** Describes whatever was thrown while running {@code p} (null: no script of ours ran). */
    static Failure of(Throwable t, Prepared p) {
        Throwable e = t;
        while (e instanceof JoinError je && je.isFailed() && je.getCause() != null) {
            e = je.getCause();
        }
        if (e instanceof Failure f) {
            return f;
        }
        if (e instanceof PolyglotException pe && pe.isSyntaxError()) {
            return syntax(pe, p, null); // not from a parse of ours (a guest eval): its source was not rewritten
        }
        RuntimeException host = Guest.hostError(e);
        if (host instanceof GuestError g) {
            return guest(g, p);
        }
        String msg = host.getMessage() != null ? host.getMessage() : host.toString();
        return new Failure(msg, p != null ? p.name() : null, -1, -1, host, false);
    }

    private static Failure guest(GuestError g, Prepared p) {
        String file = g.file();
        int line = g.line() > 0 ? g.line() : -1;
        int column = g.column() > 0 ? g.column() : -1;
        if (p != null && file == null) {
            file = p.name(); // a thrown non-error value: no stack, but we know which script ran
        }
        return new Failure(bareMessage(g), file, line, column, g, false);
    }

    /** The guest's "Name: message" without the position {@link GuestError} appends. */
    private static String bareMessage(GuestError g) {
        String m = g.getMessage();
        if (g.file() != null) {
            String where = " (" + g.file() + (g.line() > 0 ? ":" + g.line() + (g.column() > 0 ? ":" + g.column() : "") : "") + ")";
            if (m.endsWith(where)) {
                m = m.substring(0, m.length() - where.length());
            }
        }
        return m;
    }

    /**
     * A syntax error. Graal.js's message starts with "SyntaxError: name:line:col0 " and ends
     * with a source excerpt: both are cut, the position is the exception's own. Other
     * languages' messages are kept (after "SyntaxError: " if they do not start with it). The
     * position is the one the language's adapter gave ({@code described}), which maps it back
     * to the user's text where the plugin rewrote the script.
     */
    static Failure syntax(PolyglotException pe, Prepared p, GuestError described) {
        String msg = String.valueOf(pe.getMessage());
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        SourceSection loc = pe.getSourceLocation();
        String file = loc != null && loc.getSource() != null ? loc.getSource().getName() : (p != null ? p.name() : null);
        if (file != null) {
            msg = msg.replaceFirst("^(SyntaxError: )?" + Pattern.quote(file) + ":\\d+:\\d+ ", "SyntaxError: ");
        }
        if (!msg.startsWith("SyntaxError")) {
            msg = "SyntaxError: " + msg;
        }
        int line = -1;
        int column = -1;
        if (described != null && described.line() > 0) {
            line = described.line(); // as the user wrote it, if the plugin rewrote the script
            column = described.column() > 0 ? described.column() : -1;
        } else if (loc != null && loc.isAvailable()) {
            line = loc.getStartLine();
            column = loc.getStartColumn();
        }
        return new Failure(msg, file, line, column, pe, false);
    }
}
