package dev.braid.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Timing, waiting with a hang guard, statistics and table printing. */
final class Harness {
    /** How long one iteration may wait for its completion signal before it counts as a hang. */
    static volatile long hangTimeoutMillis = 30_000;

    private Harness() {
    }

    /** Thrown when a completion signal does not arrive within {@link #hangTimeoutMillis}. */
    static final class Hang extends RuntimeException {
        Hang(String message) {
            super(message);
        }
    }

    /** Waits for the benchmark's completion signal; a missing signal is reported, not waited out. */
    static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(hangTimeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new Hang("no completion signal after " + hangTimeoutMillis + " ms (" + done.getCount() + " signals missing)");
        }
    }

    /** One sample: the workload's figure, and the CPU time it took in the same unit. */
    record Sample(double figure, double cpu) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * Runs whole iterations until at least {@code minNanos} have passed and returns the mean
     * time per iteration in the workload's unit ({@link Workload#figure}), with the CPU time
     * of the whole process per iteration in the same unit: the runtime's threads, the
     * benchmark thread, and the JIT and GC threads alike, so a runtime that spins or keeps
     * more threads busy for the same work shows it here.
     */
    static Sample measure(Workload.Iteration it, long minNanos, Workload w) throws Exception {
        long cpu0 = OS.getProcessCpuTime();
        long start = System.nanoTime();
        long iterations = 0;
        long now;
        do {
            it.run();
            iterations++;
            now = System.nanoTime();
        } while (now - start < minNanos);
        long cpu = OS.getProcessCpuTime() - cpu0;
        return new Sample(w.figure((now - start) / (double) iterations), w.cpuFigure(cpu / (double) iterations));
    }

    /** Median, min and max of a set of samples. */
    record Stats(double median, double min, double max, int n) {
        static Stats of(List<Double> samples) {
            List<Double> s = new ArrayList<>(samples);
            s.sort(null);
            int n = s.size();
            double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
            return new Stats(median, s.get(0), s.get(n - 1), n);
        }

        /** (max − min) / median, in percent. */
        double spreadPercent() {
            return (max - min) / median * 100;
        }
    }

    /** A number with three significant digits at least and thousands separators, e.g. 1 743, 3.42. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v).replace(',', ' ');
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    /** A plain-text table with right-aligned columns except the first {@code leftColumns}. */
    static String table(List<String[]> rows, int leftColumns) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            sb.append("| ");
            for (int c = 0; c < cols; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                sb.append(c < leftColumns ? r[c] + pad : pad + r[c]).append(" | ");
            }
            sb.setLength(sb.length() - 1);
            sb.append('\n');
            if (i == 0) {
                sb.append('|');
                for (int c = 0; c < cols; c++) {
                    sb.append(c < leftColumns ? "-".repeat(width[c] + 2) : "-".repeat(width[c] + 1) + ":").append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
