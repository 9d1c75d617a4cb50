package dev.braid.net;

import dev.braid.runtime.internal.IoDriver;
import dev.braid.runtime.internal.Scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;

/** What the socket types share: finding the runtime's I/O driver and phrasing errors. */
final class Net {
    private Net() {
    }

    static IoDriver driver(String what) {
        Scheduler s = Scheduler.current();
        if (s == null) {
            throw new IllegalStateException(what + " needs a Braid runtime: call it from a task or inside blockOn");
        }
        return s.io();
    }

    /**
     * True if the task's budget is spent: the task has been woken and the caller returns
     * pending before it takes anything (so a forced yield holds no connection or bytes).
     */
    static boolean mustYield(dev.braid.future.Context cx) {
        return cx.remainingBudget() <= 0 && !cx.pollProceed();
    }

    /** The real error, with the operation and the address in the message. */
    static UncheckedIOException error(String op, SocketAddress addr, IOException e) {
        String reason = e.getMessage() != null ? e.getMessage()
                : e instanceof java.net.PortUnreachableException
                        ? "port unreachable (the peer answered with ICMP: nothing listens on that port)"
                        : e.getClass().getSimpleName();
        return new UncheckedIOException(op + (addr != null ? " " + addr : "") + ": " + reason, e);
    }
}
