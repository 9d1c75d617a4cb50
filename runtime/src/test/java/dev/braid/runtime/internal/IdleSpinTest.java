package dev.braid.runtime.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The adaptive idle spin of a worker (Core.spinBudget): it spins only after short waits, and
 * only as long as it has been busy.
 */
class IdleSpinTest {
    private static final long LIMIT = 50_000;

    /** A core with enough spin credit for any budget: busy for a long stretch once. */
    private static Core busyCore() {
        Core c = new Core(0, 1);
        c.endIdle(1_000);
        c.beginIdle(1_000 + 10 * LIMIT, LIMIT);
        return c;
    }

    @Test
    void aFreshWorker_doesNotSpin() {
        assertEquals(0, busyCore().spinBudget(LIMIT));
    }

    @Test
    void spinning_isPaidForWithBusyTime() {
        Core c = new Core(0, 1);
        for (int i = 0; i < 8; i++) {
            c.learnWait(10_000, LIMIT);
        }
        assertEquals(0, c.spinBudget(LIMIT), "never busy yet: no credit");
        c.endIdle(100_000);
        c.beginIdle(115_000, LIMIT);
        assertEquals(0, c.spinBudget(LIMIT), "15 µs busy does not pay for a 20 µs spin");
        c.endIdle(200_000);
        c.beginIdle(205_000, LIMIT);
        assertEquals(20_000, c.spinBudget(LIMIT), "5 µs more does");
        c.spent(20_000);
        assertEquals(0, c.spinBudget(LIMIT), "and the spin used it up");
        c.endIdle(300_000);
        c.beginIdle(300_000 + 100 * LIMIT, LIMIT);
        for (int i = 0; i < 4; i++) {
            assertEquals(20_000, c.spinBudget(LIMIT), "a long busy stretch pays for a few spins");
            c.spent(LIMIT); // a spin that ran to the limit
        }
        assertEquals(0, c.spinBudget(LIMIT), "not for more: the credit is capped at 4 limits");
    }

    @Test
    void afterMostlyShortWaits_spinsTwiceTheRecentLongest_withinTheLimit() {
        Core c = busyCore();
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
        Core c = busyCore();
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
        Core c = busyCore();
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
