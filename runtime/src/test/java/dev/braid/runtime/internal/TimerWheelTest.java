package dev.braid.runtime.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wheel against a plain model (a set of live entries): random inserts, removes and polls,
 * with deadlines near and far (past the wheel's span, across its 2^36 boundary), seeded.
 */
class TimerWheelTest {

    @Test
    void firesEverythingDueInDeadlineOrderAndNothingEarly() {
        for (long seed = 1; seed <= 40; seed++) {
            runModel(seed, 0);
            runModel(seed, TimerWheel.SPAN - 5_000); // start just before the 2^36 boundary
        }
    }

    private static void runModel(long seed, long start) {
        Random rnd = new Random(seed);
        TimerWheel w = new TimerWheel();
        if (start > 0) {
            assertEquals(null, w.poll(start));
        }
        Set<TimerEntry> live = new HashSet<>();
        List<TimerEntry> all = new ArrayList<>();
        long now = w.elapsed();
        for (int step = 0; step < 3_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                TimerEntry e = new TimerEntry();
                e.tick = now + deadlineOffset(rnd);
                if (w.insert(e)) {
                    live.add(e);
                    all.add(e);
                } else {
                    assertTrue(e.tick <= w.elapsed(), "refused an entry that was not due");
                }
            } else if (op < 7 && !live.isEmpty()) {
                TimerEntry e = all.get(rnd.nextInt(all.size()));
                if (live.remove(e)) {
                    w.remove(e);
                    assertFalse(e.isLinked());
                }
            } else {
                long expected = live.stream().mapToLong(e -> e.tick).min().orElse(Long.MAX_VALUE);
                long next = w.nextExpiration();
                assertTrue(next <= expected, "next expiration " + next + " is after the earliest deadline " + expected);
                assertTrue(next > w.elapsed(), "next expiration " + next + " is not in the future");
                now += 1 + (rnd.nextBoolean() ? rnd.nextInt(100) : rnd.nextInt(1 << 20));
                long prevTick = Long.MIN_VALUE;
                for (TimerEntry e = w.poll(now); e != null; e = e.fireNext) {
                    assertTrue(e.tick <= now, "fired early: " + e.tick + " > " + now);
                    assertTrue(e.tick >= prevTick, "fired out of deadline order");
                    prevTick = e.tick;
                    assertTrue(live.remove(e), "fired an entry that was not live");
                }
                for (TimerEntry e : live) {
                    assertTrue(e.tick > now, "entry due at " + e.tick + " not fired by " + now);
                }
            }
            assertEquals(live.size(), w.size());
        }
        // Drain: jumping to each next expiration eventually fires everything.
        int guard = 0;
        while (w.size() > 0) {
            long next = w.nextExpiration();
            for (TimerEntry e = w.poll(next); e != null; e = e.fireNext) {
                assertTrue(e.tick <= next);
                assertTrue(live.remove(e));
            }
            assertTrue(++guard < 100_000, "the wheel does not drain");
        }
        assertTrue(live.isEmpty());
    }

    private static long deadlineOffset(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt(64);
            case 1 -> rnd.nextInt(5_000);
            case 2 -> rnd.nextInt(1 << 24);
            case 3 -> (long) (rnd.nextDouble() * TimerWheel.SPAN);
            case 4 -> TimerWheel.SPAN + rnd.nextInt(1 << 20); // past the span
            default -> 1 + rnd.nextInt(3);
        };
    }

    @Test
    void removingTheLastEntryOfASlotClearsItsBit() {
        TimerWheel w = new TimerWheel();
        TimerEntry a = entry(100);
        TimerEntry b = entry(100);
        assertTrue(w.insert(a));
        assertTrue(w.insert(b));
        assertEquals(64, w.nextExpiration()); // level 1, the slot starting at tick 64
        w.remove(a);
        assertEquals(64, w.nextExpiration());
        w.remove(b);
        assertEquals(Long.MAX_VALUE, w.nextExpiration());
        assertEquals(0, w.size());
    }

    @Test
    void aDueEntryIsRefused() {
        TimerWheel w = new TimerWheel();
        w.poll(1_000);
        assertFalse(w.insert(entry(1_000)));
        assertFalse(w.insert(entry(3)));
        assertTrue(w.insert(entry(1_001)));
        assertEquals(1_001, w.nextExpiration());
    }

    private static TimerEntry entry(long tick) {
        TimerEntry e = new TimerEntry();
        e.tick = tick;
        return e;
    }
}
