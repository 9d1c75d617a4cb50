package dev.braid.sync;

/**
 * Lincheck effort for the sync tests, like the runtime's: {@code -Dbraid.stress=long}
 * multiplies the invocations by 20.
 */
final class LincheckBudget {
    private LincheckBudget() {
    }

    static int invocations(int shortRun) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRun * 20 : shortRun;
    }
}
