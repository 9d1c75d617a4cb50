package dev.braid.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the time of one W5 iteration goes, for {@code --split}: the hop in (the benchmark
 * thread's spawn until the first link runs on a worker), the chain itself (first link to
 * the last), and the hop out (the last link's signal until the benchmark thread runs again).
 * The links stamp the clock, so this is only recorded when asked for; the headline figure
 * is taken without it.
 */
final class HopSplit {
    private static final int CAP = 1 << 18;
    private final long[] in = new long[CAP];
    private final long[] chain = new long[CAP];
    private final long[] out = new long[CAP];
    private int n;
    /** Stamped by the first link and the last one; read by the benchmark thread after the signal. */
    volatile long firstRan;
    volatile long lastRan;

    /** Records one iteration: {@code spawned} before the spawn, {@code resumed} after the wait. */
    void record(long spawned, long resumed) {
        if (n < CAP) {
            in[n] = firstRan - spawned;
            chain[n] = lastRan - firstRan;
            out[n] = resumed - lastRan;
            n++;
        }
    }

    /** Forgets what was recorded (the warm-up). */
    void reset() {
        n = 0;
    }

    /** Medians and means in µs of everything recorded so far, e.g. after warm-up and samples. */
    String report() {
        if (n == 0) {
            return "no iterations recorded";
        }
        return String.format(Locale.ROOT, "hop in %s, chain %s, hop out %s (µs, median / mean of %d iterations)",
                part(in), part(chain), part(out), n);
    }

    private String part(long[] xs) {
        long[] s = Arrays.copyOf(xs, n);
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format(Locale.ROOT, "%.1f / %.1f", s[n / 2] / 1e3, mean / 1e3);
    }
}
