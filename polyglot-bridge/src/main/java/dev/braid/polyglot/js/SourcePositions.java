package dev.braid.polyglot.js;

import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a position in a script that Braid rewrote for top-level await ({@link AwaitRewrite})
 * is in the text the user wrote.
 *
 * <p>A rewrite never moves a line: it only inserts or replaces text within lines, and appends
 * one line of its own after the user's last. So the map is the list of those edits, each as
 * its line, its column in the rewritten text, and the lengths of the text it inserted and of
 * the user's text it replaced. It travels with the rewritten source itself, as a comment at
 * the end of that appended line: any frame or syntax error that points into the source can be
 * mapped back, however long after the evaluation, and nothing has to be kept per evaluation.
 *
 * <p>What is exact: the line always; the column of every character of the user's text,
 * including one inside a keyword replaced by text of the same length. A position inside text
 * the rewrite inserted maps to where it was inserted; one on the appended line (the call of
 * the async function) maps to the end of the user's text. Lines are counted as Graal.js
 * counts them, at {@code \n}.
 */
public final class SourcePositions {
    static final String MARKER = " // braid:positions ";

    private final int lastLine;
    private final int endColumn;
    /** Per edit: line, column (1-based, rewritten text), inserted length, removed length; by line, then column. */
    private final int[] edits;

    private SourcePositions(int lastLine, int endColumn, int[] edits) {
        this.lastLine = lastLine;
        this.endColumn = endColumn;
        this.edits = edits;
    }

    /** The map of a rewritten source, or null for a source that Braid did not rewrite. */
    public static SourcePositions of(Source source) {
        return source == null || !source.hasCharacters() ? null : of(source.getCharacters());
    }

    /** The map at the end of a rewritten text, or null if {@code text} carries none. */
    static SourcePositions of(CharSequence text) {
        int end = text.length();
        int start = end;
        while (start > 0 && text.charAt(start - 1) != '\n') {
            start--;
        }
        String last = text.subSequence(start, end).toString();
        int m = last.lastIndexOf(MARKER);
        if (m < 0) {
            return null;
        }
        try {
            String[] parts = last.substring(m + MARKER.length()).trim().split(" ");
            String[] head = parts[0].split(":");
            int[] edits = new int[(parts.length - 1) * 4];
            for (int i = 1; i < parts.length; i++) {
                String[] e = parts[i].split(":");
                for (int k = 0; k < 4; k++) {
                    edits[(i - 1) * 4 + k] = Integer.parseInt(e[k]);
                }
            }
            return new SourcePositions(Integer.parseInt(head[0]), Integer.parseInt(head[1]), edits);
        } catch (RuntimeException malformed) {
            return null; // a user's comment that only looks like ours
        }
    }

    /**
     * The start of {@code section} in the text the user wrote, as {line, column} (1-based;
     * the column is 0 if unknown): mapped back if its source was rewritten.
     */
    public static int[] userStart(SourceSection section) {
        int line = section.hasLines() ? section.getStartLine() : 0;
        int column = section.hasColumns() ? section.getStartColumn() : 0;
        SourcePositions map = of(section.getSource());
        return map == null || line <= 0 ? new int[] {line, column} : map.toUser(line, column);
    }

    /** A 1-based line and column of the rewritten text in the user's text ({line, column}; column 0 stays 0). */
    public int[] toUser(int line, int column) {
        if (line > lastLine) {
            return new int[] {lastLine, endColumn};
        }
        if (column <= 0) {
            return new int[] {line, column};
        }
        int delta = 0; // rewritten minus user columns, before the current edit
        for (int i = 0; i < edits.length; i += 4) {
            int l = edits[i];
            if (l < line) {
                continue;
            }
            int col = edits[i + 1];
            if (l > line || column < col) {
                break;
            }
            int inserted = edits[i + 2];
            int removed = edits[i + 3];
            if (column < col + inserted) {
                // inside the edit's text: a same-length replacement maps character by character
                return new int[] {line, inserted == removed ? column - delta : col - delta};
            }
            delta += inserted - removed;
        }
        return new int[] {line, column - delta};
    }

    /**
     * Graal.js's message about a syntax error in the rewritten source {@code name}, in the
     * user's terms: each error's {@code name:line:column} (a 0-based column) mapped back, and
     * the excerpts of rewritten lines under them left out.
     */
    String userMessage(String message, String name) {
        Pattern at = Pattern.compile(Pattern.quote(name) + ":(\\d+):(\\d+)");
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            Matcher m = at.matcher(line);
            if (!m.find()) {
                continue; // an excerpt of the rewritten text, or the caret under it
            }
            int[] user = toUser(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1);
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line, 0, m.start()).append(name).append(':').append(user[0]).append(':').append(Math.max(user[1] - 1, 0))
                    .append(line, m.end(), line.length());
        }
        return out.isEmpty() ? message : out.toString();
    }

    /** {@link #userMessage} for a syntax error at {@code location}, or the message unchanged if its source was not rewritten. */
    public static String userMessage(String message, SourceSection location) {
        SourcePositions map = location == null ? null : of(location.getSource());
        return map == null || message == null ? message : map.userMessage(message, location.getSource().getName());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourcePositions p && p.lastLine == lastLine && p.endColumn == endColumn && Arrays.equals(p.edits, edits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(edits) * 31 + lastLine;
    }

    /**
     * The comment that carries the map, for a rewritten text whose edits start at
     * {@code starts} (offsets into {@code rewritten}) with these lengths; the user's text had
     * {@code lastLine} lines, the last ending before {@code endColumn}.
     */
    static String comment(CharSequence rewritten, List<int[]> starts, int lastLine, int endColumn) {
        StringBuilder b = new StringBuilder(MARKER).append(lastLine).append(':').append(endColumn);
        int line = 1;
        int lineStart = 0;
        int scanned = 0;
        for (int[] e : starts) {
            for (; scanned < e[0]; scanned++) {
                if (rewritten.charAt(scanned) == '\n') {
                    line++;
                    lineStart = scanned + 1;
                }
            }
            b.append(' ').append(line).append(':').append(e[0] - lineStart + 1).append(':').append(e[1]).append(':').append(e[2]);
        }
        return b.toString();
    }
}
