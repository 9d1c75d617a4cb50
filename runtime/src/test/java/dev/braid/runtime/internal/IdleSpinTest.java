package dev.braid.runtime.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The adaptive idle spin of a worker (Core.spinBudget): it spins only after short waits. */
class IdleSpinTest {
    private static final long LIMIT = 50_000;

    @Test
    void aFreshWorker_doesNotSpin() {
        assertEquals(0, new Core(0, 1).spinBudget(LIMIT));
    }

    @Test
    void afterMostlyShortWaits_spinsTwiceTheRecentLongest_withinTheLimit() {
        Core c = new Core(0, 1);
        for (int i = 0; i < 4; i++) {
            c.learnWait(3_000, LIMIT);
        }
        assertEquals(0, c.spinBudget(LIMIT), "4 of the last 8 waits short: not yet");
        c.learnWait(8_000, LIMIT);
        assertEquals(16_000, c.spinBudget(LIMIT), "5 of 8 short, the longest 8 µs");
        c.learnWait(40_000, LIMIT);
        assertEquals(LIMIT, c.spinBudget(LIMIT), "twice 40 µs is past the limit");
        assertEquals(0, c.spinBudget(0), "no limit, no spin");
    }

    @Test
    void waitsPastTheLimit_stopTheSpinning() {
        Core c = new Core(0, 1);
        for (int i = 0; i < 8; i++) {
            c.learnWait(1_000, LIMIT);
        }
        assertEquals(2_000, c.spinBudget(LIMIT), "at least the minimum spin");
        for (int i = 0; i < 3; i++) {
            c.learnWait(200_000, LIMIT);
        }
        assertEquals(2_000, c.spinBudget(LIMIT), "5 of 8 still short");
        c.learnWait(200_000, LIMIT);
        assertEquals(0, c.spinBudget(LIMIT), "4 long waits of 8: a trickle of work, no spinning");
    }

    @Test
    void theRecentLongestShortWait_decays() {
        Core c = new Core(0, 1);
        c.learnWait(16_000, LIMIT);
        for (int i = 0; i < 7; i++) {
            c.learnWait(0, LIMIT);
        }
        // 16 µs less an eighth per later wait: 16 000 · (7/8)^7, rounded down at each step.
        long m = 16_000;
        for (int i = 0; i < 7; i++) {
            m -= m >> 3;
        }
        assertEquals(2 * m, c.spinBudget(LIMIT));
    }
}
