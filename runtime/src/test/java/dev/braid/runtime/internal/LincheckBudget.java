package dev.braid.runtime.internal;

/**
 * Lincheck effort. The defaults keep each Lincheck class to seconds, and the runtime's whole
 * set to under two minutes on a 2-core machine; {@code -Dbraid.stress=long} multiplies the
 * invocations by 20, which takes minutes per class.
 */
final class LincheckBudget {
    private LincheckBudget() {
    }

    static int invocations(int shortRun) {
        return "long".equals(System.getProperty("braid.stress")) ? shortRun * 20 : shortRun;
    }
}
