package dev.braid.polyglot.js;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JS error value was raised (file, line, column), and its stack text with the
 * positions of rewritten scripts mapped back to the user's text ({@link SourcePositions}).
 *
 * <p>Two descriptions of the stack exist, and neither is enough alone:
 * <ul>
 *   <li>the error's {@code stack} text is what the guest sees and what is shown: it has the
 *       async frames ({@code at async f (...)}) and honours {@code Error.captureStackTrace}
 *       hiding frames, but a frame is one line of text, {@code at f (path:3:7)}, from which a
 *       path with a space or a parenthesis cannot be told apart reliably;
 *   <li>the engine's structured frames (the error thrown as a {@link PolyglotException})
 *       give each frame's {@link Source} and position exactly, and the source carries the
 *       rewrite's position map, but they lack async frames and ignore the hiding.
 * </ul>
 * So the position is that of the first structured guest frame that <em>is</em> the first
 * positioned frame of the text: same line and column, and the text before {@code :line:col}
 * ends with that frame's source name. No such frame (a stack the guest rewrote, or a value
 * that is not an exception) falls back to reading the text alone, where a path with a
 * space or a parenthesis is lost.
 *
 * <p>In the text, every frame of a rewritten source gets the user's line and column: one that
 * matches a structured frame through that frame's source; another (an async frame) through
 * the only rewritten source of its name among the structured frames, if there is one.
 */
final class ErrorPosition {
    /** A frame line's position at its end: {@code at f (file.js:3:22)} or {@code at file.js:3:22}. */
    private static final Pattern FRAME_END = Pattern.compile("^(\\s*at .*):(\\d+):(\\d+)(\\)?)\\s*$");
    /** The text-only reading: a file without spaces or parentheses. */
    private static final Pattern FRAME = Pattern.compile("at (?:.*?\\()?([^()\\s]+?):(\\d+):(\\d+)\\)?\\s*$", Pattern.MULTILINE);

    final String file;
    final int line;
    final int column;
    final String stack;

    private ErrorPosition(String file, int line, int column, String stack) {
        this.file = file;
        this.line = line;
        this.column = column;
        this.stack = stack;
    }

    /** One frame of the stack text that ends with a position. */
    private record TextFrame(int index, String location, int line, int column, String close) {
        boolean is(SourceSection s) {
            return s.getStartLine() == line && s.getStartColumn() == column && location.endsWith(s.getSource().getName());
        }
    }

    /** {@code error}'s position; {@code stack} is its stack text ("" if it has none). */
    static ErrorPosition of(Value error, String stack) {
        String[] lines = stack.split("\n", -1);
        List<TextFrame> text = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = FRAME_END.matcher(lines[i]);
            if (m.matches()) {
                text.add(new TextFrame(i, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4)));
            }
        }
        if (text.isEmpty()) {
            return new ErrorPosition(null, 0, 0, stack);
        }
        List<SourceSection> frames = structuredFrames(error);
        String file = null;
        int line = 0;
        int column = 0;
        for (SourceSection s : frames) {
            if (text.get(0).is(s)) {
                file = s.getSource().getName();
                int[] at = SourcePositions.userStart(s);
                line = at[0];
                column = at[1];
                break;
            }
        }
        String shown = mapped(lines, text, frames, stack);
        if (file == null) {
            Matcher m = FRAME.matcher(shown); // the text with the user's positions, where a rewrite moved them
            if (m.find()) {
                file = m.group(1);
                line = Integer.parseInt(m.group(2));
                column = Integer.parseInt(m.group(3));
            }
        }
        return new ErrorPosition(file, line, column, shown);
    }

    /** The guest frames of {@code error} with a position, innermost first (none if it is no exception). */
    private static List<SourceSection> structuredFrames(Value error) {
        List<SourceSection> out = new ArrayList<>();
        if (error == null || !error.isException()) {
            return out;
        }
        try {
            throw error.throwException();
        } catch (PolyglotException pe) {
            for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
                SourceSection s = f.isGuestFrame() ? f.getSourceLocation() : null;
                if (s != null && s.getSource() != null && s.hasLines() && s.hasColumns()) {
                    out.add(s);
                }
            }
        } catch (RuntimeException e) {
            // the context is closing: the text alone must do
        }
        return out;
    }

    /**
     * The stack text with the frames of rewritten sources at the user's positions: a frame
     * that matches a structured one is mapped with its source's map; another (an async
     * frame) with the map of the only rewritten source of that name among the structured
     * frames, if there is exactly one.
     */
    private static String mapped(String[] lines, List<TextFrame> text, List<SourceSection> frames, String stack) {
        Map<String, SourcePositions> byName = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (SourceSection s : frames) {
            SourcePositions map = SourcePositions.of(s.getSource());
            if (map != null) {
                SourcePositions other = byName.putIfAbsent(s.getSource().getName(), map);
                if (other != null && !other.equals(map)) {
                    ambiguous.add(s.getSource().getName());
                }
            }
        }
        if (byName.isEmpty()) {
            return stack;
        }
        for (TextFrame t : text) {
            SourcePositions map = null;
            for (SourceSection s : frames) {
                if (t.is(s)) {
                    map = SourcePositions.of(s.getSource());
                    break;
                }
            }
            if (map == null) {
                for (Map.Entry<String, SourcePositions> e : byName.entrySet()) {
                    if (t.location.endsWith(e.getKey()) && !ambiguous.contains(e.getKey())) {
                        map = e.getValue();
                    }
                }
            }
            if (map != null) {
                int[] at = map.toUser(t.line, t.column);
                lines[t.index] = t.location + ":" + at[0] + ":" + at[1] + t.close;
            }
        }
        return String.join("\n", lines);
    }
}
