package dev.braid.polyglot.python;

import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.nodes.RootNode;
import dev.braid.polyglot.GuestStackInstrument;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The line a GraalPy frame is at, for stall reports. GraalPy 25's own bytecode interpreter
 * gives tools (its frames' guest objects) only the function; the frame itself keeps the
 * bytecode index it is at in a slot, written before every operation that may call out or
 * loop, which GraalPy's tracebacks read. This reads the same slot and asks the root for the
 * line ({@code bciToLine}), through reflection: it is GraalPy's implementation, not API,
 * so anything unexpected (another GraalPy, the Bytecode DSL interpreter, whose frames tell
 * their lines themselves) gives 0 and the report names the function's first line instead.
 */
final class PyFrameLines implements GuestStackInstrument.FrameLines {
    private static final String ROOT = "com.oracle.graal.python.nodes.bytecode.PBytecodeRootNode";

    /** The slot's field and the line lookup; null until the first GraalPy frame, then fixed. */
    private volatile Access access;
    private volatile boolean unavailable;

    private record Access(Field bciSlot, Method bciToLine) {
    }

    @Override
    public int line(RootNode root, Frame frame) {
        if (unavailable || !root.getClass().getName().equals(ROOT)) {
            return 0;
        }
        try {
            Access a = access;
            if (a == null) {
                Field slot = root.getClass().getDeclaredField("bcioffset");
                slot.setAccessible(true);
                a = new Access(slot, root.getClass().getMethod("bciToLine", int.class));
                access = a;
            }
            int slot = a.bciSlot().getInt(root);
            if (!frame.isInt(slot)) {
                return 0;
            }
            Object line = a.bciToLine().invoke(root, frame.getInt(slot));
            return line instanceof Integer l && l > 0 ? l : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = true; // not the GraalPy this was written for: function lines from now on
            return 0;
        }
    }
}
