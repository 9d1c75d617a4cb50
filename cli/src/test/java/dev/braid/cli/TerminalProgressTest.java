package dev.braid.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A progress bar's line. */
@Timeout(10)
class TerminalProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBarWithItsRateAndTimeLeft_thenFinished() {
        assertEquals("download [======>                 ] 25/100 25% 5.0/s 15s left",
                TerminalProgress.render("download", 25, 100, 5 * SECOND, 120));
        assertEquals("[========================] 100/100 100% 20.0/s in 5s", TerminalProgress.render("", 100, 100, 5 * SECOND, 120));
        assertEquals("items 42 4.2/s", TerminalProgress.render("items", 42, 0, 10 * SECOND, 120), "an unknown total: a count");
        assertEquals("download [======>   ", TerminalProgress.render("download", 25, 100, 5 * SECOND, 21), "cut to the terminal's width");
        assertEquals("1h1m", TerminalProgress.duration(3661));
        assertEquals("2m5s", TerminalProgress.duration(125));
    }
}
