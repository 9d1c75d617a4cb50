package dev.braid.polyglot.js;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JS error value was raised: file, line and column.
 *
 * <p>Two descriptions of the stack exist, and neither is enough alone:
 * <ul>
 *   <li>the error's {@code stack} text is what the guest sees and what is shown: it has the
 *       async frames ({@code at async f (...)}) and honours {@code Error.captureStackTrace}
 *       hiding frames, but a frame is one line of text, {@code at f (path:3:7)}, from which a
 *       path with a space or a parenthesis cannot be told apart reliably;
 *   <li>the engine's structured frames (the error thrown as a {@link PolyglotException})
 *       give each frame's {@link Source} and position exactly, but they lack async frames
 *       and ignore the hiding.
 * </ul>
 * So the position is that of the first structured guest frame that <em>is</em> the first
 * positioned frame of the text: same line and column, and the text before {@code :line:col}
 * ends with that frame's source name. No such frame (a stack the guest rewrote, or a value
 * that is not an exception) falls back to reading the text alone, where a path with a
 * space or a parenthesis is lost.
 */
final class ErrorPosition {
    /** A frame line's position at its end: {@code at f (file.js:3:22)} or {@code at file.js:3:22}. */
    private static final Pattern FRAME_END = Pattern.compile("^(\\s*at .*):(\\d+):(\\d+)(\\)?)\\s*$");
    /** The text-only reading: a file without spaces or parentheses. */
    private static final Pattern FRAME = Pattern.compile("at (?:.*?\\()?([^()\\s]+?):(\\d+):(\\d+)\\)?\\s*$", Pattern.MULTILINE);

    final String file;
    final int line;
    final int column;

    private ErrorPosition(String file, int line, int column) {
        this.file = file;
        this.line = line;
        this.column = column;
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
            return new ErrorPosition(null, 0, 0);
        }
        List<SourceSection> frames = structuredFrames(error);
        String file = null;
        int line = 0;
        int column = 0;
        for (SourceSection s : frames) {
            if (text.get(0).is(s)) {
                file = s.getSource().getName();
                line = s.getStartLine();
                column = s.getStartColumn();
                break;
            }
        }
        if (file == null) {
            Matcher m = FRAME.matcher(stack);
            if (m.find()) {
                file = m.group(1);
                line = Integer.parseInt(m.group(2));
                column = Integer.parseInt(m.group(3));
            }
        }
        return new ErrorPosition(file, line, column);
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
}
