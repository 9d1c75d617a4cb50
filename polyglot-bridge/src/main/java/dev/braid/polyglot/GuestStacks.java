package dev.braid.polyglot;

import com.oracle.truffle.tools.profiler.CPUSampler;
import com.oracle.truffle.tools.profiler.StackTraceEntry;
import dev.braid.runtime.StallListener;
import dev.braid.runtime.TaskInfo;
import org.graalvm.polyglot.Engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds the guest stack to the runtime's report of a worker stalled in guest code (a
 * {@code while (true) {}}). The polyglot API has no way to look at another thread's guest
 * stack: the JVM stack shows only interpreter frames, and a guest context may be entered by
 * one thread at a time. The CPU sampler instrument can: it asks the stalled thread, at its
 * next guest safepoint (every loop iteration and call polls one), to walk its own guest
 * frames. The sample waits at most {@link #TIMEOUT_MS}; a thread blocked in host code
 * reaches no safepoint and gets no guest stack. The sampler records the root of each frame,
 * so a frame shows its function's name and the line where that function starts, not the
 * line running in it.
 *
 * <p>Cost: nothing until the first stall report. The sampler is made then, once per engine,
 * and from then on holds a small record (under a kilobyte) of every context the engine has
 * had, closed ones too: the instrument never forgets a context. A host that stalls and keeps
 * creating sessions for a long time can switch this off with
 * {@link ScriptHost.Builder#guestStacksInStallReports(boolean)}.
 */
final class GuestStacks implements StallListener {
    static final long TIMEOUT_MS = 100;
    private static final int MAX_FRAMES = 30;
    private final Engine engine;
    private CPUSampler sampler;

    private final boolean javaFrames;

    GuestStacks(Engine engine, boolean javaFrames) {
        this.engine = engine;
        this.javaFrames = javaFrames;
    }

    @Override
    public boolean replacesJavaStack() {
        return !javaFrames;
    }

    @Override
    public String describe(Thread thread, TaskInfo task, Duration ran) {
        List<StackTraceEntry> stack = sample(thread);
        if (stack == null) {
            return null;
        }
        StringBuilder b = new StringBuilder("Guest stack of '").append(thread.getName())
                .append("' (each function with the line it starts on):");
        int shown = 0;
        for (StackTraceEntry e : stack) {
            if (e.getSourceSection() == null || e.getSourceSection().getSource().isInternal()) {
                continue; // the language's own entry roots, synthetic frames, the bridge's helpers
            }
            if (shown++ == MAX_FRAMES) {
                b.append("\n\t...");
                break;
            }
            var src = e.getSourceSection();
            String name = e.getRootName();
            b.append("\n\tat ").append(name == null || name.isEmpty() || name.startsWith(":") ? "<top level>" : name)
                    .append(" (").append(src.getSource().getName()).append(':').append(src.getStartLine()).append(')');
        }
        return shown == 0 ? null : b.toString();
    }

    /** The guest frames {@code thread} is in, innermost first; null if it runs no guest code. */
    private List<StackTraceEntry> sample(Thread thread) {
        CPUSampler s;
        synchronized (this) {
            if (sampler == null) {
                sampler = CPUSampler.find(engine);
            }
            s = sampler;
        }
        if (s == null) {
            return null; // the instrument is not on the class path
        }
        Map<Thread, List<StackTraceEntry>> all = s.takeSample(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return all.get(thread);
    }
}
