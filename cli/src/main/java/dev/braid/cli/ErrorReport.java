package dev.braid.cli;

import dev.braid.polyglot.GuestError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the command shows a guest error: the message, where it happened, the line of source
 * with a caret under the column, and the guest stack; Java frames only when verbose.
 * <pre>
 * error: TypeError: boom
 *   --&gt; job.js:3:9
 *    |
 *  3 |   throw new TypeError('boom');
 *    |         ^
 *     at work (job.js:3:9)
 * </pre>
 */
final class ErrorReport {
    private ErrorReport() {
    }

    static String format(GuestError e, String code, String name, boolean verbose) {
        StringBuilder b = new StringBuilder("error: ");
        String head = e.guestName() != null && !e.guestName().isEmpty() ? e.guestName() + ": " : "";
        String message = e.getMessage();
        int where = message.lastIndexOf(" (");
        if (where > 0 && e.file() != null && message.endsWith(")")) {
            message = message.substring(0, where); // the position is shown below
        }
        b.append(message.startsWith(head) ? message : head + message).append('\n');
        if (e.file() != null && e.line() > 0) {
            b.append("  --> ").append(e.file()).append(':').append(e.line());
            if (e.column() > 0) {
                b.append(':').append(e.column());
            }
            b.append('\n');
            String line = sourceLine(e.file(), e.line(), code, name);
            if (line != null) {
                String no = Integer.toString(e.line());
                String pad = " ".repeat(no.length());
                b.append(' ').append(pad).append(" |\n");
                b.append(' ').append(no).append(" | ").append(line).append('\n');
                if (e.column() > 0 && e.column() <= line.length() + 1) {
                    b.append(' ').append(pad).append(" | ").append(caretIndent(line, e.column())).append("^\n");
                }
            }
        }
        String stack = e.guestStack() == null ? "" : e.guestStack().stripTrailing();
        String summary = null; // the last line that names an exception (of a chain's earlier link)
        for (String l : stack.split("\n")) {
            String t = l.strip();
            if (t.startsWith("at ") || t.startsWith("File ")) {
                b.append("    ").append(t).append('\n');
            } else if (t.startsWith("The above exception was") || t.startsWith("During handling of the above exception")) {
                // Python's exception chain: the exception this one was raised from, or while handling
                if (summary != null) {
                    b.append("  ").append(summary).append('\n');
                }
                b.append("  ").append(t).append('\n');
                summary = null;
            } else if (!t.isEmpty() && !t.startsWith("Traceback (most recent call last)")) {
                summary = t;
            }
        }
        if (verbose) {
            java.io.StringWriter java = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(java));
            b.append(java);
        }
        return b.toString();
    }

    /** Line {@code n} of the file the error names: the job's own code if it is that file, else read from disk. */
    private static String sourceLine(String file, int n, String code, String name) {
        List<String> lines;
        if (file.equals(name)) {
            lines = code.lines().toList();
        } else {
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException | RuntimeException e) {
                return null; // a module the job cannot read, or no file at all: no excerpt
            }
        }
        return n <= lines.size() ? lines.get(n - 1) : null;
    }

    /** Spaces up to {@code column} (1-based), keeping the line's tabs so the caret lines up. */
    private static String caretIndent(String line, int column) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < column - 1 && i < line.length(); i++) {
            b.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return b.toString();
    }
}
