package dev.braid.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W8 http_hello (docs/performance.md): a minimal HTTP/1.1 keep-alive responder ({@link HttpServers})
 * on Braid, on Netty (NIO and, where the native library loads, epoll) and on a
 * virtual thread per connection, each in its own child JVM, loaded by
 * {@code wrk -t2 -c100 -d10s --latency} on the same 2 cores.
 *
 * <p>All servers start first and each gets a short warm-up run of wrk; then the samples are
 * taken round-robin (braid, netty-nio, …, then netty-nio, …, braid), each after waiting for
 * the machine to be quiet (other processes under a quarter of a core, up to 20 s). A sample
 * reports requests/s, the 99th latency percentile and the server JVM's CPU time per request
 * (which a busy neighbour disturbs far less than the other two); the table gives median
 * (min–max) and the ratio against Braid.
 *
 * <pre>
 *   ./dev bench W8 [--only braid,netty-nio,netty-epoll,vt] [--samples 5] [--duration 10] [--jfr DIR]
 * </pre>
 */
final class HttpBench {
    static final List<String> SERVERS = List.of("braid", "netty-nio", "netty-epoll", "vt");
    private static final double FOREIGN_LIMIT = 0.25;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("^\\s*99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");
    private static final Pattern ERRORS = Pattern.compile("(Socket errors:.*|Non-2xx or 3xx responses:.*)");

    private HttpBench() {
    }

    static boolean wants(String[] args) {
        for (String a : args) {
            if (a.equalsIgnoreCase("W8")) {
                return true;
            }
        }
        return false;
    }

    /** One server child JVM. */
    private static final class Child {
        final String impl;
        final Process proc;
        final int port;
        final List<Double> rps = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        int disturbed;
        final List<String> errors = new ArrayList<>();

        Child(String impl, Process proc, int port) {
            this.impl = impl;
            this.proc = proc;
            this.port = port;
        }
    }

    static int run(String[] args) throws Exception {
        List<String> only = new ArrayList<>(SERVERS);
        int samples = 5;
        int duration = 10;
        String jfr = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equalsIgnoreCase("W8")) {
                continue;
            } else if (a.equals("--only") && i + 1 < args.length) {
                only = List.of(args[++i].split(","));
            } else if (a.equals("--samples") && i + 1 < args.length) {
                samples = Integer.parseInt(args[++i]);
            } else if (a.equals("--duration") && i + 1 < args.length) {
                duration = Integer.parseInt(args[++i]);
            } else if (a.equals("--jfr") && i + 1 < args.length) {
                jfr = args[++i];
            } else if (a.equals("--child") && i + 1 < args.length) {
                return child(args[i + 1]);
            } else {
                System.err.println("W8: unknown argument '" + a + "'\nusage: ./dev bench W8 [--only "
                        + String.join(",", SERVERS) + "] [--samples N] [--duration SECONDS] [--jfr DIR]");
                return 2;
            }
        }
        System.out.printf(Locale.ROOT, "W8 http_hello: wrk -t2 -c100 -d%ds --latency, %d samples per server round-robin, "
                + "each server in its own JVM (%s)%n", duration, samples, System.getProperty("java.vm.version"));
        System.out.println("Load average at start: " + loadAverage());
        List<Child> children = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(c -> c.proc.destroyForcibly())));
        try {
            for (String impl : only) {
                try {
                    children.add(startChild(impl, jfr));
                } catch (IllegalStateException e) {
                    skipped.put(impl, e.getMessage());
                    progress("%s: skipped (%s)", impl, e.getMessage());
                }
            }
            for (Child c : children) {
                progress("%s: warm-up (3 s)", c.impl);
                wrk(c.port, 3);
            }
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < children.size(); k++) {
                    Child c = children.get((s + k) % children.size());
                    boolean quiet = ForeignLoad.awaitQuiet(FOREIGN_LIMIT, 20_000);
                    long cpu0 = cpuNanos(c.proc.pid());
                    String out = wrk(c.port, duration);
                    double cpuUs = (cpuNanos(c.proc.pid()) - cpu0) / 1e3 / parse(REQUESTS, out, "requests in");
                    double rps = parse(RPS, out, "Requests/sec");
                    double p99 = p99Millis(out);
                    c.rps.add(rps);
                    c.p99.add(p99);
                    c.cpu.add(cpuUs);
                    if (!quiet) {
                        c.disturbed++;
                    }
                    Matcher m = ERRORS.matcher(out);
                    while (m.find()) {
                        c.errors.add(m.group(1).trim());
                    }
                    progress("%-11s sample %d: %s req/s, p99 %s ms, server CPU %s µs/req, load %s%s", c.impl, s + 1,
                            Harness.num(rps), Harness.num(p99), Harness.num(cpuUs), loadAverage(), quiet ? "" : " (machine was not quiet before it)");
                }
            }
        } finally {
            for (Child c : children) {
                stop(c);
            }
        }
        System.out.println("Load average at end: " + loadAverage());
        System.out.println();
        System.out.println("Results (median, min–max; \"÷ braid\": requests/s as a fraction of Braid's (> 1 faster), "
                + "p99 as a multiple of Braid's (> 1 slower); server CPU: the server JVM's CPU time per request, "
                + "less sensitive to a busy machine than the other two; disturbed: samples that began before the machine was quiet):");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"server", "requests/s", "min–max", "÷ braid", "p99 ms", "min–max", "÷ braid",
                "server CPU µs/req", "min–max", "disturbed"});
        Child braid = children.stream().filter(c -> c.impl.equals("braid")).findFirst().orElse(null);
        double braidRps = braid == null ? Double.NaN : Harness.Stats.of(braid.rps).median();
        double braidP99 = braid == null ? Double.NaN : Harness.Stats.of(braid.p99).median();
        for (Child c : children) {
            Harness.Stats r = Harness.Stats.of(c.rps);
            Harness.Stats p = Harness.Stats.of(c.p99);
            rows.add(new String[] {c.impl, Harness.num(r.median()), Harness.num(r.min()) + "–" + Harness.num(r.max()),
                    Harness.ratio(r.median() / braidRps), Harness.num(p.median()),
                    Harness.num(p.min()) + "–" + Harness.num(p.max()), Harness.ratio(p.median() / braidP99),
                    Harness.num(Harness.Stats.of(c.cpu).median()),
                    Harness.num(Harness.Stats.of(c.cpu).min()) + "–" + Harness.num(Harness.Stats.of(c.cpu).max()),
                    Integer.toString(c.disturbed)});
        }
        System.out.print(Harness.table(rows, 1));
        for (Child c : children) {
            if (!c.errors.isEmpty()) {
                System.out.println(c.impl + ": wrk reported " + String.join("; ", c.errors));
            }
        }
        skipped.forEach((k, v) -> System.out.println(k + ": not run (" + v + ")"));
        return 0;
    }

    private static Child startChild(String impl, String jfr) throws IOException, InterruptedException {
        if (!SERVERS.contains(impl)) {
            throw new IllegalArgumentException("unknown server '" + impl + "' (known: " + String.join(",", SERVERS) + ")");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-Djdk.virtualThreadScheduler.parallelism=2"));
        if (jfr != null) {
            Files.createDirectories(Path.of(jfr));
            cmd.add("-XX:StartFlightRecording=filename=" + Path.of(jfr, "w8-" + impl + ".jfr") + ",settings=profile");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "W8", "--child", impl));
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                progress("%s: listening on 127.0.0.1:%s (pid %d)", impl, line.substring(5), proc.pid());
                return new Child(impl, proc, Integer.parseInt(line.substring(5).trim()));
            }
            if (line.startsWith("UNAVAILABLE ")) {
                proc.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(line.substring(12));
            }
        }
        proc.destroyForcibly();
        throw new IllegalStateException("the child JVM ended without a port (exit " + proc.waitFor() + ")");
    }

    private static void stop(Child c) throws InterruptedException {
        try {
            c.proc.getOutputStream().close(); // the child serves until its stdin ends
        } catch (IOException e) {
            // already gone
        }
        if (!c.proc.waitFor(10, TimeUnit.SECONDS)) {
            c.proc.destroyForcibly();
        }
    }

    /** Runs wrk against the port and returns its output. */
    private static String wrk(int port, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t2", "-c100", "-d" + seconds + "s", "--latency",
                "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    /** User + system CPU time of a process, from /proc (Linux; 0 elsewhere, so the column reads 0). */
    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime in 1/100 s
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double parse(Pattern p, String out, String what) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no '" + what + "' in wrk's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double p99Millis(String out) {
        Matcher m = P99.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no 99% latency line in wrk's output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    // ---- the child: serve until stdin ends ---------------------------------------------------------

    private static int child(String impl) throws Exception {
        HttpServers.Running server;
        try {
            server = HttpServers.start(impl);
        } catch (UnsupportedOperationException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
            return 0;
        }
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        server.close();
        return 0;
    }

    static String loadAverage() {
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
