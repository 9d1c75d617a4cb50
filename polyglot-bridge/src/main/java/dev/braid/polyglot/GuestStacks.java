package dev.braid.polyglot;

import dev.braid.runtime.StallListener;
import dev.braid.runtime.TaskInfo;
import org.graalvm.polyglot.Engine;

import java.time.Duration;
import java.util.List;

/**
 * Adds the guest stack to the runtime's report of a worker stalled in guest code (a
 * {@code while (true) {}}): each frame with the line it is at, asked of the stalled thread
 * itself through {@link GuestStackInstrument}. The wait is at most {@link #TIMEOUT_MS}; a
 * thread blocked in host code reaches no guest safepoint and gets no guest stack.
 *
 * <p>Cost: the instrument is made with the engine and keeps, per thread, the contexts it is
 * initialized in; a stall report costs one thread-local action per such context.
 */
final class GuestStacks implements StallListener {
    static final long TIMEOUT_MS = 100;
    private static final int MAX_FRAMES = 30;
    private final GuestStackInstrument.Sampler sampler;
    private final boolean javaFrames;
    private final List<GuestStackInstrument.FrameLines> lines;

    private final java.util.function.Function<Thread, Guest.Activity> activity;

    GuestStacks(Engine engine, boolean javaFrames, List<GuestStackInstrument.FrameLines> lines,
                java.util.function.Function<Thread, Guest.Activity> activity) {
        this.lines = List.copyOf(lines);
        this.activity = activity;
        org.graalvm.polyglot.Instrument instrument = engine.getInstruments().get(GuestStackInstrument.ID);
        if (instrument == null) {
            throw new IllegalStateException("the Truffle instrument '" + GuestStackInstrument.ID + "' is not registered: "
                    + "META-INF/services/com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider is missing from the class path");
        }
        this.sampler = instrument.lookup(GuestStackInstrument.Sampler.class);
        this.javaFrames = javaFrames;
    }

    @Override
    public boolean replacesJavaStack() {
        return !javaFrames;
    }

    @Override
    public String advice() {
        return "The script computed without awaiting, and its session runs one task at a time: yield"
                + " between pieces of work (JavaScript: await braid.yieldNow()) so that its other tasks run.";
    }

    @Override
    public String describe(Thread thread, TaskInfo task, Duration ran) {
        List<GuestStackInstrument.Frame> stack = sampler.stackOf(thread, TIMEOUT_MS, lines);
        if (stack == null || stack.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        Guest.Activity running = activity.apply(thread);
        if (running != null && stack.stream().anyMatch(f -> f.name().equals(running.frame()))) {
            b.append("Running ").append(running.label()).append('\n');
        }
        b.append("Guest stack of '").append(thread.getName()).append("':");
        int shown = 0;
        GuestStackInstrument.Frame previous = null;
        for (GuestStackInstrument.Frame f : stack) {
            String name = displayName(f);
            if (previous != null && f.atItsStart() && name.equals(displayName(previous)) && f.source().equals(previous.source())) {
                continue; // the entry frame of the function (or module) the previous frame runs the body of: one frame to the reader
            }
            previous = f;
            if (shown++ == MAX_FRAMES) {
                b.append("\n\t...");
                break;
            }
            b.append("\n\tat ").append(name).append(" (").append(f.source()).append(':').append(f.line());
            if (f.atItsStart()) {
                // Neither the language nor its plugin tells a position inside the function.
                b.append(", the function's first line");
            } else if (f.column() > 0) {
                b.append(':').append(f.column());
            }
            b.append(')');
        }
        return b.toString();
    }

    /** The frame's function, or {@code <top level>} for a script's or module's own code. */
    private static String displayName(GuestStackInstrument.Frame f) {
        return f.name().isEmpty() || f.name().startsWith(":") ? "<top level>" : f.name();
    }
}
