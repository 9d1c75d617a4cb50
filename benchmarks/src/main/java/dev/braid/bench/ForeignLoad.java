package dev.braid.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes used while a sample ran, so that the harness can retake a
 * sample that a neighbour on the shared machine disturbed. Linux only: the machine's busy
 * time comes from {@code /proc/stat}, this process's from the JVM; elsewhere it reports 0.
 */
final class ForeignLoad {
    private static final Path STAT = Path.of("/proc/stat");
    /** USER_HZ: /proc/stat counts in hundredths of a second on every Linux we run on. */
    private static final long NANOS_PER_TICK = 10_000_000;
    private static final com.sun.management.OperatingSystemMXBean OS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;

    private final long machineBusy;
    private final long ownCpu;
    private final long wall;

    private ForeignLoad(long machineBusy, long ownCpu, long wall) {
        this.machineBusy = machineBusy;
        this.ownCpu = ownCpu;
        this.wall = wall;
    }

    static ForeignLoad now() {
        return new ForeignLoad(machineBusyNanos(), OS == null ? -1 : OS.getProcessCpuTime(), System.nanoTime());
    }

    /** CPU used by other processes since {@code this}, in cores (0.5 = half a core busy on average). */
    double coresSince() {
        ForeignLoad end = now();
        if (machineBusy < 0 || end.machineBusy < 0 || ownCpu < 0) {
            return 0;
        }
        long foreign = (end.machineBusy - machineBusy) - (end.ownCpu - ownCpu);
        return Math.max(0, foreign) / (double) Math.max(1, end.wall - wall);
    }

    /**
     * Sleeps in quarter-second steps until other processes use at most {@code limit} cores
     * over one step, or {@code maxMillis} have passed. Returns whether it got quiet.
     */
    static boolean awaitQuiet(double limit, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        do {
            ForeignLoad start = now();
            Thread.sleep(250);
            if (start.coresSince() <= limit) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** user + nice + system + irq + softirq + steal of the "cpu" line, in ns; -1 if unknown. */
    private static long machineBusyNanos() {
        try {
            String first = Files.readAllLines(STAT).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        } catch (Exception e) {
            return -1;
        }
    }
}
