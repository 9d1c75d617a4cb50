package dev.braid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each signal does to a job, without sending real signals (LauncherIT and ReplIT do). */
@Timeout(30)
class SignalsTest {
    private final AtomicInteger cancels = new AtomicInteger();
    private final List<Integer> exits = new ArrayList<>();
    private final AtomicBoolean asking = new AtomicBoolean();
    private final Signals signals = new Signals(cancels::incrementAndGet, exits::add, asking::get);

    @Test
    void theFirstCtrlC_cancelsTheJob_theSecondEndsTheProcessAtOnce() {
        signals.received("SIGINT");
        assertEquals(1, cancels.get());
        assertEquals(List.of(), exits, "the first one lets the job end by itself");
        assertEquals(JobRunner.SIGINT_EXIT, signals.interrupted());
        signals.received("SIGINT");
        assertEquals(List.of(130), exits, "the second one does not wait");
        assertEquals(1, cancels.get());
    }

    @Test
    void sigtermAfterCtrlC_endsItWith143() {
        signals.received("SIGINT");
        signals.received("SIGTERM");
        assertEquals(List.of(143), exits);
    }

    @Test
    void aScriptsHandler_runsEveryTime_insteadOfStopping() {
        AtomicInteger ran = new AtomicInteger();
        assertTrue(signals.handle("SIGINT", ran::incrementAndGet));
        signals.received("SIGINT");
        signals.received("SIGINT");
        assertEquals(2, ran.get());
        assertEquals(0, cancels.get());
        assertEquals(List.of(), exits);
        assertEquals(false, signals.handle("SIGHUP", ran::incrementAndGet), "only the signals delivered here");
    }

    @Test
    void ctrlC_whileAPermissionQuestionWaits_endsTheProcessAtOnce_evenWithAHandler() {
        signals.handle("SIGINT", () -> {
            throw new AssertionError("the script cannot run while it waits for the answer");
        });
        asking.set(true);
        signals.received("SIGINT");
        assertEquals(List.of(130), exits);
        assertEquals(0, cancels.get());
    }
}
