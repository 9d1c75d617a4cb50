package dev.braid.sync;

/**
 * Sizes for the sync stress tests: {@code -Dbraid.stress=long} multiplies the rounds by 20,
 * as the runtime's own stress tests do.
 */
final class SyncStress {
    private SyncStress() {
    }

    static int rounds(int shortRounds) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRounds * 20 : shortRounds;
    }

    static long seed() {
        String s = System.getProperty("braid.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }
}
