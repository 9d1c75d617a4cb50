package dev.braid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the runtime workloads W1–W6 (docs/performance.md) on Braid and its JVM peers in one process
 * and prints median (min–max) tables. The timer workloads W7, W7b and W7c run in child JVMs
 * instead (peak RSS is per process): see {@link TimerBench}; so do the HTTP servers of W8,
 * loaded by {@code wrk}: see {@link HttpBench}.
 *
 * <pre>
 *   ./dev bench                               all workloads, all runtimes
 *   ./dev bench W1 W3 --only braid,fjp --samples 7 --workers 2
 * </pre>
 *
 * For each workload every selected runtime is started fresh and warmed up; then the samples
 * are taken round-robin across the runtimes (braid, fjp, vt, then fjp, vt, braid, …), so
 * that a noisy neighbour on the shared machine hits them all alike. A sample runs whole
 * iterations for at least {@code --sample-ms} and is their mean. A sample during which
 * other processes used more than a quarter of a core ({@link ForeignLoad}) is retaken, after
 * waiting (up to 20 s) for them to calm down, up to {@code --retakes} times in a row; the
 * table says how many samples were retaken, and how many were kept although disturbed.
 */
public final class Main {
    private static final double SPREAD_LIMIT = 30;
    /** A sample during which other processes used more than this many cores is retaken. */
    private static final double FOREIGN_LIMIT = 0.25;
    /** Before a retake, wait up to this long for the other processes to calm down. */
    private static final long QUIET_WAIT_MS = 20_000;

    private Main() {
    }

    /** One (workload, runtime) pair: its samples, or why it has none. */
    static final class Cell {
        final Workload workload;
        final Peer peer;
        Peer.Running running;
        final List<Double> samples = new ArrayList<>();
        /** CPU time of the whole process per unit, one per kept sample. */
        final List<Double> cpu = new ArrayList<>();
        /** Samples thrown away because another process was busy, and kept though disturbed. */
        int retaken;
        int disturbed;
        String failure;
        /** W5's time split with --split (recorded after the warm-up), else null. */
        HopSplit split;

        Cell(Workload workload, Peer peer) {
            this.workload = workload;
            this.peer = peer;
        }
    }

    public static void main(String[] args) throws Exception {
        if (TimerBench.wants(args)) { // W7, W7b, W7c: one child JVM per sample
            System.exit(TimerBench.run(args));
        }
        if (GuestBench.wants(args)) { // P1, P2: JavaScript on Braid (optimizing Graal.js) and on Node
            System.exit(GuestBench.run(args));
        }
        if (IdleBench.wants(args)) { // parkSpin's trade-off: idle workers' CPU against hand-off latency
            System.exit(IdleBench.run(args));
        }
        if (HttpBench.wants(args)) { // W8: one child JVM per server, loaded by wrk
            System.exit(HttpBench.run(args));
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.usage());
            System.exit(2);
            return;
        }
        // Must happen before the first virtual thread exists: the scheduler reads it once.
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(o.workers));

        System.out.printf(Locale.ROOT, "Braid benchmarks: %s, %d workers per runtime, %d samples of >= %d ms after %d ms warm-up%n",
                o.workloads.stream().map(w -> w.id).toList(), o.workers, o.samples, o.sampleMs, o.warmupMs);
        System.out.printf(Locale.ROOT, "JVM %s (%s), %d available processors, max heap %d MB%n%n",
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("Load average at start: " + loadAverage());

        List<Cell> all = new ArrayList<>();
        for (Workload w : o.workloads) {
            all.addAll(run(w, o));
        }
        System.out.println("Load average at end: " + loadAverage() + " (other processes share these cores)");
        System.out.println();
        System.out.println("Results (median of the samples, min–max, spread = (max − min) / median; retaken: samples "
                + "redone because other processes used > " + FOREIGN_LIMIT + " core, disturbed: kept anyway after "
                + o.retakes + " retakes; \"÷ braid\" > 1 means slower than Braid):");
        System.out.print(Report.resultTable(all));
        if (o.peers.contains(Peer.BRAID)) {
            System.out.println();
            System.out.println("Braid against the Tokio 1.24.2 figures of docs/performance.md (measured on this machine on "
                    + "2026-11-22, not in this run; differences under ~1.5× are noise there):");
            System.out.print(Report.tokioTable(all));
        }
        List<String> wide = all.stream().filter(c -> c.failure == null
                && Harness.Stats.of(c.samples).spreadPercent() > SPREAD_LIMIT)
                .map(c -> c.workload.id + "/" + c.peer.key).toList();
        if (!wide.isEmpty()) {
            System.out.println();
            System.out.println("Spread over " + (int) SPREAD_LIMIT + " % (rerun these): " + String.join(", ", wide));
        }
        List<String> failed = all.stream().filter(c -> c.failure != null).map(c -> c.workload.id + "/" + c.peer.key).toList();
        if (!failed.isEmpty()) {
            System.out.println();
            System.out.println("FAILED: " + String.join(", ", failed) + " (details above on stderr)");
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    private static List<Cell> run(Workload w, Options o) {
        List<Cell> cells = new ArrayList<>();
        for (Peer p : o.peers) {
            if (w.peers().contains(p)) {
                cells.add(new Cell(w, p));
            }
        }
        progress("%s: load average %s", w.label(), loadAverage());
        for (Cell c : cells) {
            c.running = c.peer.start(w, o.workers);
            progress("%s %s: warm-up", w.label(), c.peer.key);
            sample(c, o.warmupMs, -1);
            if (c.running.iteration() instanceof W5ChainedSpawn.SplitIteration si) {
                c.split = si.split;
                c.split.reset();
            }
        }
        for (int s = 0; s < o.samples; s++) {
            for (int k = 0; k < cells.size(); k++) {
                Cell c = cells.get((s + k) % cells.size());
                sample(c, o.sampleMs, o.retakes);
                if (o.verbose && c.failure == null) {
                    progress("%s %-5s sample %d: %s %s, CPU %s %s", w.label(), c.peer.key, s + 1,
                            Harness.num(c.samples.get(c.samples.size() - 1)), w.unit,
                            Harness.num(c.cpu.get(c.cpu.size() - 1)), w.cpuUnit());
                }
            }
        }
        for (Cell c : cells) {
            if (c.peer == Peer.BRAID && o.verbose) {
                progress("%s braid metrics: %s", w.label(), c.running.state().get());
            }
            if (!c.running.stop()) {
                progress("%s %s: runtime threads did not all end within 5 s of shutdown", w.label(), c.peer.key);
            }
            c.running = null;
            if (c.failure == null && c.split != null) {
                progress("%s %-5s %s", w.label(), c.peer.key, c.split.report());
            }
            if (c.failure == null) {
                Harness.Stats st = Harness.Stats.of(c.samples);
                progress("%s %-5s %s %s (%s–%s) spread %.0f %%, %d retaken, %d disturbed", w.label(), c.peer.key,
                        Harness.num(st.median()), w.unit, Harness.num(st.min()), Harness.num(st.max()),
                        st.spreadPercent(), c.retaken, c.disturbed);
            }
        }
        return cells;
    }

    /**
     * Takes one sample, retaking it up to {@code retakes} times while other processes disturb
     * it; {@code retakes < 0} warms up (nothing is kept). Skips a cell that already failed; a
     * failure is recorded, not thrown.
     */
    private static void sample(Cell c, long minMs, int retakes) {
        if (c.failure != null) {
            return;
        }
        try {
            for (int attempt = 0; ; attempt++) {
                ForeignLoad before = ForeignLoad.now();
                Harness.Sample v = Harness.measure(c.running.iteration(), minMs * 1_000_000, c.workload);
                double foreign = before.coresSince();
                if (retakes < 0) {
                    return;
                }
                if (foreign <= FOREIGN_LIMIT || attempt >= retakes) {
                    c.samples.add(v.figure());
                    c.cpu.add(v.cpu());
                    if (foreign > FOREIGN_LIMIT) {
                        c.disturbed++;
                    }
                    return;
                }
                c.retaken++;
                ForeignLoad.awaitQuiet(FOREIGN_LIMIT, QUIET_WAIT_MS);
            }
        } catch (Harness.Hang e) {
            c.failure = "HANG: " + e.getMessage();
            progress("%s %s: %s%n  state: %s", c.workload.label(), c.peer.key, c.failure, c.running.state().get());
        } catch (Throwable e) {
            c.failure = "ERROR: " + e;
            progress("%s %s: %s", c.workload.label(), c.peer.key, c.failure);
            e.printStackTrace();
        }
    }

    /** The 1, 5 and 15 minute load averages, where Linux reports them. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "  [bench] " + format + "%n", args);
        System.err.flush();
    }
}
