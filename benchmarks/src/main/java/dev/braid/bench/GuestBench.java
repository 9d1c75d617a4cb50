package dev.braid.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P1 js_spawn_many and P2 js_timers: one JavaScript file, run by Braid (Graal.js in
 * optimizing mode, in a child JVM) and by Node on this machine. The script takes its own
 * samples after a warm-up, so both JITs are warm; the figures are per iteration.
 *
 * <p>Peers: {@code braid} (the script on Braid's {@code braid} global), {@code graaljs} (the
 * same child JVM and engine, but bare Graal.js: plain promises, no Braid; it separates the
 * engine's cost from the bridge's) and {@code node}.
 *
 * <pre>./dev bench P1 P2 [--samples N] [--only braid,graaljs,node]</pre>
 */
final class GuestBench {
    private GuestBench() {
    }

    static boolean wants(String[] args) {
        for (String a : args) {
            if (a.equalsIgnoreCase("P1") || a.equalsIgnoreCase("P2")) {
                return true;
            }
        }
        return false;
    }

    /** The workloads, written once for both runtimes: only the primitives differ. */
    static final String SCRIPT = """
            const hasBraid = typeof braid !== 'undefined';
            const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
            const spawn = hasBraid ? braid.spawn : (fn, ...a) => fn(...a);
            const joinAll = hasBraid ? (xs) => braid.join(xs) : (xs) => Promise.all(xs);
            const sleep = hasBraid ? braid.sleep : (ms) => new Promise((r) => setTimeout(r, ms));
            async function p1() {
              let counter = 0;
              const hs = [];
              for (let i = 0; i < 100000; i++) hs.push(spawn(async () => { counter++; }));
              await joinAll(hs);
              if (counter !== 100000) throw new Error('lost tasks: ' + counter);
            }
            async function p2() {
              const xs = [];
              let seed = 1;
              for (let i = 0; i < 100000; i++) {
                seed = (seed * 1103515245 + 12345) & 0x7fffffff;
                xs.push(sleep(1 + (seed % 100)));
              }
              await joinAll(xs);
            }
            (async () => {
              const fn = BENCH === 'P1' ? p1 : p2;
              for (let i = 0; i < WARMUP; i++) await fn();
              const out = [];
              for (let i = 0; i < SAMPLES; i++) {
                const t0 = now();
                await fn();
                out.push(now() - t0);
              }
              console.log('samples ' + out.map((x) => x.toFixed(2)).join(' '));
            })();
            """;

    static int run(String[] args) throws Exception {
        int samples = 7;
        List<String> only = List.of("braid", "graaljs", "node");
        List<String> work = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> work.add(args[i].toUpperCase(Locale.ROOT));
            }
        }
        Path jar = Path.of(GuestBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = jar.getParent();
        List<String[]> rows = new ArrayList<>();
        List<String> allNotes = new ArrayList<>();
        rows.add(new String[] {"workload", "runtime", "median ms", "min–max", "samples", "÷ node"});
        for (String w : work) {
            if (!w.equals("P1") && !w.equals("P2")) {
                continue;
            }
            Path script = Files.createTempFile("braid-" + w, ".js");
            Files.writeString(script, "const BENCH = '" + w + "', WARMUP = 5, SAMPLES = " + samples + ";\n" + SCRIPT);
            Double nodeMedian = null;
            List<String[]> wrows = new ArrayList<>();
            List<Double> medians = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (String runtime : only) {
                if (!List.of("braid", "graaljs", "node").contains(runtime)) {
                    throw new IllegalArgumentException("--only: unknown runtime '" + runtime + "' (braid, graaljs, node)");
                }
                if (runtime.equals("graaljs") && w.equals("P2")) {
                    notes.add("P2 graaljs: skipped, bare Graal.js has no setTimeout (timers are Braid's or Node's)");
                    continue;
                }
                List<String> cmd = new ArrayList<>();
                if (runtime.equals("node")) {
                    cmd.addAll(List.of("node", script.toString()));
                } else {
                    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                    cmd.addAll(List.of(java, "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                            "--upgrade-module-path=" + target.resolve("graal-compiler"),
                            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                            "-cp", target.resolve("guest-libs") + File.separator + "*" + File.pathSeparator + jar,
                            "dev.braid.bench.GuestBenchChild"));
                    if (runtime.equals("graaljs")) {
                        cmd.add("--plain");
                    }
                    cmd.add(script.toString());
                }
                Harness.Stats st = Harness.Stats.of(runChild(cmd, w + " " + runtime));
                if (runtime.equals("node")) {
                    nodeMedian = st.median();
                }
                medians.add(st.median());
                wrows.add(new String[] {w + (w.equals("P1") ? " js_spawn_many" : " js_timers"), runtime,
                        Harness.num(st.median()), Harness.num(st.min()) + "–" + Harness.num(st.max()),
                        Integer.toString(st.n()), ""});
            }
            for (int i = 0; i < wrows.size(); i++) {
                if (nodeMedian != null) {
                    wrows.get(i)[5] = Harness.ratio(medians.get(i) / nodeMedian);
                }
                rows.add(wrows.get(i));
            }
            allNotes.addAll(notes);
            Files.deleteIfExists(script);
        }
        System.out.println(Harness.table(rows, 2));
        for (String n : allNotes) {
            System.out.println(n);
        }
        return 0;
    }

    private static List<Double> runChild(List<String> cmd, String label) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Double> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("samples ")) {
                    for (String s : line.substring(8).trim().split(" ")) {
                        out.add(Double.parseDouble(s));
                    }
                } else {
                    System.err.println("  [" + label + "] " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || out.isEmpty()) {
            throw new IllegalStateException(label + " failed (exit " + rc + ")");
        }
        return out;
    }
}
