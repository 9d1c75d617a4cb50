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
    /** A coroutine's or generator's frames: a root of their own around the function's. */
    private static final String GENERATOR_ROOT = "com.oracle.graal.python.nodes.bytecode.PBytecodeGeneratorRootNode";

    /** The slot's field and the line lookup; null until the first GraalPy frame, then fixed. */
    private volatile Access access;
    private volatile Method generatorsRoot;
    private volatile boolean unavailable;

    private record Access(Field bciSlot, Method bciToLine) {
    }

    @Override
    public int line(RootNode frameRoot, Frame frame) {
        if (unavailable) {
            return 0;
        }
        String kind = frameRoot.getClass().getName();
        if (!kind.equals(ROOT) && !kind.equals(GENERATOR_ROOT)) {
            return 0;
        }
        try {
            Object root = frameRoot;
            if (kind.equals(GENERATOR_ROOT)) {
                Method m = generatorsRoot;
                if (m == null) {
                    m = frameRoot.getClass().getMethod("getBytecodeRootNode");
                    generatorsRoot = m;
                }
                root = m.invoke(frameRoot);
            }
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
