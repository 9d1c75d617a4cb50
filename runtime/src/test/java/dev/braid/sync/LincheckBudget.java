package dev.braid.sync;

/**
 * Lincheck effort for the channel tests, as in the runtime's own Lincheck tests: short by
 * default, {@code -Dbraid.stress=long} multiplies the invocations by 20.
 */
final class LincheckBudget {
    private LincheckBudget() {
    }

    static int invocations(int shortRun) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRun * 20 : shortRun;
    }
}
