package dev.braid.runtime;

/** Sizes for randomized stress tests: {@code -Dbraid.stress=long} multiplies the rounds. */
final class Stress {
    private Stress() {
    }

    static boolean isLong() {
        return "long".equals(System.getProperty("braid.stress"));
    }

    static int rounds(int shortRounds) {
        return isLong() ? shortRounds * 20 : shortRounds;
    }

    static long seed() {
        String s = System.getProperty("braid.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }
}
