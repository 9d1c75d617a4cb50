package dev.braid.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The result tables: every runtime side by side, and Braid against the Tokio figures of docs/performance.md. */
final class Report {
    private Report() {
    }

    static String resultTable(List<Main.Cell> cells) {
        Map<Workload, Double> braidMedian = new LinkedHashMap<>();
        Map<Workload, Double> braidCpu = new LinkedHashMap<>();
        for (Main.Cell c : cells) {
            if (c.peer == Peer.BRAID && c.failure == null) {
                braidMedian.put(c.workload, Harness.Stats.of(c.samples).median());
                braidCpu.put(c.workload, Harness.Stats.of(c.cpu).median());
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "runtime", "unit", "median", "min–max", "spread", "samples", "retaken", "disturbed",
                "÷ braid", "CPU (unit)", "CPU ÷ braid"});
        for (Main.Cell c : cells) {
            Workload w = c.workload;
            if (c.failure != null) {
                rows.add(new String[] {w.label(), c.peer.key, w.unit, c.failure.startsWith("HANG") ? "HANG" : "ERROR",
                        "", "", "", "", "", "", "", ""});
                continue;
            }
            Harness.Stats st = Harness.Stats.of(c.samples);
            Double b = braidMedian.get(w);
            double cpu = Harness.Stats.of(c.cpu).median();
            Double bc = braidCpu.get(w);
            rows.add(new String[] {w.label(), c.peer.key, w.unit, Harness.num(st.median()),
                    Harness.num(st.min()) + "–" + Harness.num(st.max()),
                    String.format(Locale.ROOT, "%.0f %%", st.spreadPercent()), Integer.toString(st.n()),
                    Integer.toString(c.retaken), Integer.toString(c.disturbed), b == null ? "–" : Harness.ratio(w.higherIsBetter() ? b / st.median() : st.median() / b),
                    Harness.num(cpu) + " " + w.cpuUnit(), bc == null ? "–" : Harness.ratio(cpu / bc)});
        }
        return Harness.table(rows, 3);
    }

    static String tokioTable(List<Main.Cell> cells) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "unit", "Braid median (min–max)", "Tokio MT", "Braid ÷ Tokio MT",
                "Tokio single-thread", "Braid ÷ Tokio ST"});
        for (Main.Cell c : cells) {
            if (c.peer != Peer.BRAID) {
                continue;
            }
            Workload w = c.workload;
            if (c.failure != null) {
                rows.add(new String[] {w.label(), w.unit, "HANG/ERROR", Harness.num(w.tokio), "–", Harness.num(w.tokioSingle), "–"});
                continue;
            }
            Harness.Stats st = Harness.Stats.of(c.samples);
            rows.add(new String[] {w.label(), w.unit,
                    Harness.num(st.median()) + " (" + Harness.num(st.min()) + "–" + Harness.num(st.max()) + ")",
                    Harness.num(w.tokio), Harness.ratio(st.median() / w.tokio),
                    Harness.num(w.tokioSingle), Harness.ratio(st.median() / w.tokioSingle)});
        }
        return Harness.table(rows, 2);
    }
}
