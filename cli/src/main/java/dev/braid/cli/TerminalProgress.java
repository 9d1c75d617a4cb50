package dev.braid.cli;

import dev.braid.polyglot.ProgressDisplay;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress bars on a terminal, drawn by JLine's {@link Status}: the running bars stay at the
 * bottom, one line each, redrawn in place (at most every {@value #REDRAW_MS} ms) while other
 * output scrolls above them; a finished bar is printed once more above and leaves the bottom.
 * A line shows the label, the bar, done/total, the percentage, the rate and the time left.
 */
final class TerminalProgress implements ProgressDisplay, AutoCloseable {
    static final long REDRAW_MS = 100;
    private static final int BAR = 24;
    private final Terminal terminal;
    private final boolean ownsTerminal;
    private final Consumer<String> above;
    private final Status status;
    private final List<Line> running = new ArrayList<>();
    private long lastDraw;

    private TerminalProgress(Terminal terminal, boolean ownsTerminal, Consumer<String> above) {
        this.terminal = terminal;
        this.ownsTerminal = ownsTerminal;
        this.above = above;
        this.status = Status.getStatus(terminal);
    }

    /** Bars on the process's standard error (a terminal: the launcher said so). */
    static TerminalProgress onStandardError() throws IOException {
        Terminal t = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysErr)
                .name("braid-progress").build();
        return new TerminalProgress(t, true, line -> {
            t.writer().println(line);
            t.flush();
        });
    }

    /** Bars on a terminal a line editor owns; finished bars go {@code above} its prompt. */
    static TerminalProgress on(Terminal terminal, Consumer<String> above) {
        return new TerminalProgress(terminal, false, above);
    }

    @Override
    public synchronized Bar open(String label, long total) {
        Line l = new Line(label, total, System.nanoTime());
        running.add(l);
        draw(true);
        return l;
    }

    private void draw(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastDraw < REDRAW_MS * 1_000_000) {
            return;
        }
        lastDraw = t;
        List<AttributedString> lines = new ArrayList<>();
        for (Line l : running) {
            lines.add(new AttributedString(render(l.label, l.done, l.total, t - l.started, terminal.getWidth())));
        }
        status.update(lines);
        terminal.flush();
    }

    @Override
    public synchronized void close() {
        status.update(List.of());
        if (ownsTerminal) {
            status.close();
            try {
                terminal.close();
            } catch (IOException e) {
                // the terminal is going away with the process
            }
        }
    }

    private final class Line implements Bar {
        final String label;
        final long total;
        final long started;
        long done;

        Line(String label, long total, long started) {
            this.label = label;
            this.total = total;
            this.started = started;
        }

        @Override
        public void update(long d) {
            synchronized (TerminalProgress.this) {
                if (running.contains(this)) {
                    done = d;
                    draw(false);
                }
            }
        }

        @Override
        public void done() {
            synchronized (TerminalProgress.this) {
                if (running.remove(this)) {
                    draw(true);
                    above.accept(render(label, done, total, System.nanoTime() - started, terminal.getWidth()));
                }
            }
        }
    }

    /** One bar's line, at most {@code width} characters: label [=====>    ] 45/100 45% 12.3/s 4s left. */
    static String render(String label, long done, long total, long elapsedNanos, int width) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = done / seconds;
        StringBuilder b = new StringBuilder();
        if (!label.isEmpty()) {
            b.append(label).append(' ');
        }
        if (total > 0) {
            long shown = Math.min(done, total);
            int filled = (int) (BAR * shown / total);
            b.append('[').append("=".repeat(filled)).append(filled < BAR ? ">" : "").append(" ".repeat(Math.max(0, BAR - filled - 1)))
                    .append("] ").append(done).append('/').append(total).append(' ').append(100 * shown / total).append('%');
        } else {
            b.append(done);
        }
        b.append(' ').append(String.format(Locale.ROOT, "%.1f/s", rate));
        if (total > 0 && done < total && rate > 0) {
            b.append(' ').append(duration((total - done) / rate)).append(" left");
        } else if (total > 0 && done >= total) {
            b.append(" in ").append(duration(seconds));
        }
        String s = b.toString();
        return width > 10 && s.length() > width - 1 ? s.substring(0, width - 1) : s;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
