package dev.braid.runtime.internal;

/**
 * Lincheck effort. The defaults are tuned to keep the whole Lincheck set under a minute on a
 * 2-core machine; {@code -Dbraid.stress=long} multiplies the invocations by 20 for long runs.
 */
final class LincheckBudget {
    private LincheckBudget() {
    }

    static int invocations(int shortRun) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRun * 20 : shortRun;
    }
}
