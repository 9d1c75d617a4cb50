package dev.braid.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The command line of {@code ./dev bench}; see {@link #usage()}. */
final class Options {
    final List<Workload> workloads = new ArrayList<>();
    final Set<Peer> peers = EnumSet.noneOf(Peer.class);
    int samples = 10;
    int workers = 2;
    long warmupMs = 1_000;
    long sampleMs = 300;
    int retakes = 5;
    boolean verbose;

    private Options() {
    }

    static Options parse(String[] args) {
        Options o = new Options();
        Map<String, Workload> known = new LinkedHashMap<>();
        for (Workload w : List.of(new W1SpawnManyLocal(), new W2SpawnManyRemote(), new W3PingPong(),
                new W4YieldMany(), new W5ChainedSpawn(), new W6MpscBounded())) {
            known.put(w.id, w);
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                case "--only" -> {
                    for (String p : value(args, ++i, a).split(",")) {
                        o.peers.add(Peer.of(p));
                    }
                }
                case "--samples" -> o.samples = positive(value(args, ++i, a), a);
                case "--workers" -> o.workers = positive(value(args, ++i, a), a);
                case "--warmup-ms" -> o.warmupMs = positive(value(args, ++i, a), a);
                case "--sample-ms" -> o.sampleMs = positive(value(args, ++i, a), a);
                case "-v", "--verbose" -> o.verbose = true;
                case "--split" -> W5ChainedSpawn.split = true;
                case "--retakes" -> o.retakes = nonNegative(value(args, ++i, a), a);
                case "--park-spin-us" -> Peer.parkSpinMicros = nonNegative(value(args, ++i, a), a);
                case "--timeout-s" -> Harness.hangTimeoutMillis = positive(value(args, ++i, a), a) * 1_000L;
                default -> {
                    Workload w = known.get(a.toUpperCase(Locale.ROOT));
                    if (w == null) {
                        throw new IllegalArgumentException("unknown argument '" + a + "'");
                    }
                    if (!o.workloads.contains(w)) {
                        o.workloads.add(w);
                    }
                }
            }
        }
        if (o.workloads.isEmpty()) {
            o.workloads.addAll(known.values());
        }
        if (o.peers.isEmpty()) {
            o.peers.addAll(EnumSet.allOf(Peer.class));
            o.peers.remove(Peer.BRAID_NOMON);
            o.peers.remove(Peer.BRAID_NOSPIN);
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int nonNegative(String s, String option) {
        return s.equals("0") ? 0 : positive(s, option);
    }

    private static int positive(String s, String option) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, got '" + s + "'");
    }

    static String usage() {
        return String.join("\n",
                "usage: ./dev bench [W1 … W6] [--only braid,braid-nomon,braid-nospin,fjp,vt,abq-threads,abq-vt] [--park-spin-us N] [--samples N] [--workers N]",
                "                   [--warmup-ms MS] [--sample-ms MS] [--retakes N] [--timeout-s S] [--split] [-v]",
                "  workloads      default: all of W1–W6 (see docs/performance.md)",
                "  --only         runtimes to compare (default: all; W1–W5 run on braid, fjp, vt;",
                "                 W6 on braid, abq-threads, abq-vt; braid-nomon and braid-nospin only when named)",
                "  --park-spin-us braid's idle-spin limit, Builder.parkSpin (default: the runtime's, 50)",
                "  --samples      samples per workload and runtime (default 10)",
                "  --workers      worker threads of every runtime (default 2)",
                "  --warmup-ms    warm-up per workload and runtime (default 1000)",
                "  --sample-ms    minimum length of a sample, whole iterations (default 300)",
                "  --retakes      retake a sample disturbed by other processes (> 0.25 core) up to N times (default 5)",
                "  -v, --verbose  print every sample as it is taken",
                "  --split        W5 also reports where an iteration's time goes: hop in (outside spawn to",
                "                 first link), chain, hop out (last link's signal to the waiting thread)",
                "  --timeout-s    an iteration whose completion signal takes longer is a hang (default 30)");
    }
}
