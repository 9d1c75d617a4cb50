package dev.braid.bench;

import dev.braid.future.Context;
import dev.braid.future.Future;
import dev.braid.future.Poll;
import dev.braid.future.Waker;
import dev.braid.runtime.BraidRuntime;
import dev.braid.time.Sleep;
import dev.braid.time.Time;
import io.netty.util.HashedWheelTimer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer workloads (docs/performance.md): W7 (a million concurrent sleeps: wall time over the
 * longest sleep, and peak RSS), W7b (timeout around an already-ready future) and W7c
 * (register a timer, then cancel it).
 *
 * <p>Every sample runs in a <em>fresh child JVM</em>, so that each runtime's peak RSS is its
 * own, and the runtimes take turns sample by sample. A child warms up with one full round
 * of the same work, then measures one round and prints its figure, its peak RSS
 * ({@code VmHWM}) and how much CPU other processes used meanwhile.
 *
 * <pre>
 *   ./dev bench W7 W7b W7c [--only braid,stpe,hwt] [--samples 5]
 * </pre>
 */
final class TimerBench {
    static final int N = 1_000_000;
    private static final long TEN_S_MS = 10_000;
    private static final double FOREIGN_LIMIT = 0.25;

    enum Work {
        W7("timers", "overhead ms", 2_485),
        W7B("timeout_ready", "ns/op", 139),
        W7C("timer_register_cancel", "ns/op", 194);

        final String title;
        final String unit;
        final double tokio;

        Work(String title, String unit, double tokio) {
            this.title = title;
            this.unit = unit;
            this.tokio = tokio;
        }

        String id() {
            return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    enum Impl {
        BRAID, FJP, VT, STPE, HWT;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean supports(Work w) {
            return this != VT || w == Work.W7; // a virtual thread has no timer to register or cancel
        }
    }

    private TimerBench() {
    }

    static boolean wants(String[] args) {
        for (String a : args) {
            if (parseWork(a) != null) {
                return true;
            }
        }
        return false;
    }

    private static Work parseWork(String a) {
        for (Work w : Work.values()) {
            if (w.name().equalsIgnoreCase(a)) {
                return w;
            }
        }
        return null;
    }

    // ---- the parent: schedules children and prints the table -----------------------------------

    static int run(String[] args) throws Exception {
        List<Work> works = new ArrayList<>();
        Set<Impl> impls = EnumSet.noneOf(Impl.class);
        int samples = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            Work w = parseWork(a);
            if (w != null) {
                works.add(w);
            } else if (a.equals("--only") && i + 1 < args.length) {
                for (String k : args[++i].split(",")) {
                    impls.add(Impl.valueOf(k.trim().toUpperCase(Locale.ROOT)));
                }
            } else if (a.equals("--samples") && i + 1 < args.length) {
                samples = Integer.parseInt(args[++i]);
            } else if (a.equals("--child") && i + 2 < args.length) {
                return child(parseWork(args[i + 1]), Impl.valueOf(args[i + 2].toUpperCase(Locale.ROOT)));
            } else {
                System.err.println("timer benchmarks: unknown argument '" + a + "'\n"
                        + "usage: ./dev bench W7 W7b W7c [--only braid,fjp,vt,stpe,hwt] [--samples N]");
                return 2;
            }
        }
        if (impls.isEmpty()) {
            impls = EnumSet.allOf(Impl.class);
        }
        System.out.printf(Locale.ROOT, "Timer benchmarks %s: %d samples per runtime, each in a fresh JVM (%s)%n",
                works, samples, System.getProperty("java.vm.version"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "runtime", "median", "min–max", "spread", "peak RSS MB", "÷ braid",
                "disturbed", "Tokio"});
        for (Work w : works) {
            List<Impl> order = impls.stream().filter(p -> p.supports(w)).toList();
            Map<Impl, List<Double>> values = new EnumMap<>(Impl.class);
            Map<Impl, List<Double>> rss = new EnumMap<>(Impl.class);
            Map<Impl, Integer> disturbed = new EnumMap<>(Impl.class);
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < order.size(); k++) {
                    Impl p = order.get((s + k) % order.size());
                    double[] r = spawnChild(w, p);
                    values.computeIfAbsent(p, x -> new ArrayList<>()).add(r[0]);
                    rss.computeIfAbsent(p, x -> new ArrayList<>()).add(r[1]);
                    if (r[2] > FOREIGN_LIMIT) {
                        disturbed.merge(p, 1, Integer::sum);
                    }
                    System.err.printf(Locale.ROOT, "  [bench] %s %-5s sample %d: %s %s, peak RSS %.0f MB%s%n", w.id(),
                            p.key(), s + 1, Harness.num(r[0]), w.unit, r[1],
                            r[2] > FOREIGN_LIMIT ? String.format(Locale.ROOT, " (disturbed: %.2f cores)", r[2]) : "");
                }
            }
            double braid = values.containsKey(Impl.BRAID) ? Harness.Stats.of(values.get(Impl.BRAID)).median() : Double.NaN;
            for (Impl p : order) {
                Harness.Stats st = Harness.Stats.of(values.get(p));
                rows.add(new String[] {w.id() + " " + w.title, p.key(), Harness.num(st.median()) + " " + w.unit,
                        Harness.num(st.min()) + "–" + Harness.num(st.max()),
                        String.format(Locale.ROOT, "%.0f %%", st.spreadPercent()),
                        Harness.num(Harness.Stats.of(rss.get(p)).median()),
                        Harness.ratio(st.median() / braid), Integer.toString(disturbed.getOrDefault(p, 0)),
                        p == Impl.BRAID ? Harness.num(w.tokio) : ""});
            }
        }
        System.out.println();
        System.out.println("Results (median, min–max; \"÷ braid\" > 1 means slower than Braid; disturbed: samples during "
                + "which other processes used > " + FOREIGN_LIMIT + " core; Tokio: the figure in docs/performance.md, not this run):");
        System.out.print(Harness.table(rows, 2));
        return 0;
    }

    /** Runs one sample in a child JVM; returns {value, peak RSS MB, foreign cores}. */
    private static double[] spawnChild(Work w, Impl p) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                "-Djdk.virtualThreadScheduler.parallelism=2", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--child", w.name(), p.name()));
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!proc.waitFor(5, TimeUnit.MINUTES) || proc.exitValue() != 0 || result == null) {
            proc.destroyForcibly();
            throw new IllegalStateException(w.id() + "/" + p.key() + ": the child JVM failed (exit "
                    + (proc.isAlive() ? "none" : proc.exitValue()) + ")");
        }
        String[] f = result.split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
    }

    // ---- the child: one warm-up round, one measured round ---------------------------------------

    private static int child(Work w, Impl p) throws Exception {
        int[] durations = new int[N];
        Random rnd = new Random(42);
        for (int i = 0; i < N; i++) {
            durations[i] = 1 + rnd.nextInt(1000);
        }
        try (Subject s = Subject.start(p)) {
            round(w, s, durations); // warm-up
            ForeignLoad before = ForeignLoad.now();
            double v = round(w, s, durations);
            double foreign = before.coresSince();
            System.out.printf(Locale.ROOT, "RESULT %.3f %.1f %.3f%n", v, peakRssMb(), foreign);
        }
        return 0;
    }

    private static double round(Work w, Subject s, int[] durations) throws Exception {
        return switch (w) {
            case W7 -> {
                long t0 = System.nanoTime();
                s.sleeps(durations);
                yield (System.nanoTime() - t0) / 1e6 - 1000;
            }
            case W7B -> {
                long t0 = System.nanoTime();
                s.timeoutReady();
                yield (System.nanoTime() - t0) / (double) N;
            }
            case W7C -> {
                long t0 = System.nanoTime();
                s.registerCancel();
                yield (System.nanoTime() - t0) / (double) N;
            }
        };
    }

    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** One runtime under test. */
    abstract static class Subject implements AutoCloseable {
        /** Starts one timer per duration (ms) and returns when all have fired. */
        abstract void sleeps(int[] durations) throws Exception;

        /** N times: a 10 s timeout around a future that is already complete. */
        abstract void timeoutReady() throws Exception;

        /** N times: register a 10 s timer, then cancel it. */
        abstract void registerCancel() throws Exception;

        @Override
        public abstract void close() throws Exception;

        static Subject start(Impl p) {
            return switch (p) {
                case BRAID -> new BraidSubject();
                case FJP -> new FjpSubject();
                case VT -> new VtSubject();
                case STPE -> new StpeSubject();
                case HWT -> new HwtSubject();
            };
        }
    }

    static final class BraidSubject extends Subject {
        private final BraidRuntime rt = BraidRuntime.builder().workerThreads(2).threadNamePrefix("bench-timers").build();

        @Override
        void sleeps(int[] durations) throws Exception {
            AtomicInteger left = new AtomicInteger(durations.length);
            CountDownLatch done = new CountDownLatch(1);
            rt.spawn(Future.lazy(() -> {
                for (int d : durations) {
                    rt.spawn(Time.sleep(Duration.ofMillis(d)).map(v -> {
                        if (left.decrementAndGet() == 0) {
                            done.countDown();
                        }
                        return null;
                    }));
                }
                return null;
            }));
            Harness.await(done);
        }

        @Override
        void timeoutReady() {
            Duration tenS = Duration.ofMillis(TEN_S_MS);
            long sum = rt.blockOn(Future.lazy(() -> {
                Context cx = new Context(Waker.NOOP);
                long acc = 0;
                for (int i = 0; i < N; i++) {
                    Poll<Integer> p = Time.timeout(tenS, Future.ready(i)).poll(cx);
                    acc += p.value();
                }
                return acc;
            }));
            check(sum == (long) N * (N - 1) / 2);
        }

        @Override
        void registerCancel() {
            Duration tenS = Duration.ofMillis(TEN_S_MS);
            rt.blockOn(Future.lazy(() -> {
                Context cx = new Context(Waker.NOOP);
                for (int i = 0; i < N; i++) {
                    Sleep s = Time.sleep(tenS);
                    check(!s.poll(cx).isReady()); // registers
                    s.drop();                     // cancels
                }
                return null;
            }));
            check(rt.metrics().registeredTimers() == 0);
        }

        @Override
        public void close() {
            rt.shutdown(Duration.ofSeconds(5));
        }
    }

    /** CompletableFuture's own timers (its delayer thread) with a 2-worker ForkJoinPool. */
    static final class FjpSubject extends Subject {
        private final ForkJoinPool pool = new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);

        @Override
        void sleeps(int[] durations) throws Exception {
            AtomicInteger left = new AtomicInteger(durations.length);
            CountDownLatch done = new CountDownLatch(1);
            Runnable fired = () -> {
                if (left.decrementAndGet() == 0) {
                    done.countDown();
                }
            };
            for (int d : durations) {
                CompletableFuture.delayedExecutor(d, TimeUnit.MILLISECONDS, pool).execute(fired);
            }
            Harness.await(done);
        }

        @Override
        void timeoutReady() {
            long acc = 0;
            for (int i = 0; i < N; i++) {
                acc += CompletableFuture.completedFuture(i).orTimeout(TEN_S_MS, TimeUnit.MILLISECONDS).join();
            }
            check(acc == (long) N * (N - 1) / 2);
        }

        @Override
        void registerCancel() {
            for (int i = 0; i < N; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                f.orTimeout(TEN_S_MS, TimeUnit.MILLISECONDS); // arms the delayer
                f.complete(i);                                // cancels it
            }
        }

        @Override
        public void close() throws Exception {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One virtual thread per sleep. */
    static final class VtSubject extends Subject {
        @Override
        void sleeps(int[] durations) throws Exception {
            AtomicInteger left = new AtomicInteger(durations.length);
            CountDownLatch done = new CountDownLatch(1);
            for (int d : durations) {
                Thread.startVirtualThread(() -> {
                    try {
                        Thread.sleep(d);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (left.decrementAndGet() == 0) {
                        done.countDown();
                    }
                });
            }
            Harness.await(done);
        }

        @Override
        void timeoutReady() {
            throw new UnsupportedOperationException();
        }

        @Override
        void registerCancel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** A 2-thread ScheduledThreadPoolExecutor; cancelled tasks are removed from its queue. */
    static final class StpeSubject extends Subject {
        private final ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(2);

        StpeSubject() {
            stpe.setRemoveOnCancelPolicy(true);
        }

        @Override
        void sleeps(int[] durations) throws Exception {
            AtomicInteger left = new AtomicInteger(durations.length);
            CountDownLatch done = new CountDownLatch(1);
            Runnable fired = () -> {
                if (left.decrementAndGet() == 0) {
                    done.countDown();
                }
            };
            for (int d : durations) {
                stpe.schedule(fired, d, TimeUnit.MILLISECONDS);
            }
            Harness.await(done);
        }

        @Override
        void timeoutReady() {
            registerCancel(); // the future is already done, but the executor cannot know: arm, then cancel
        }

        @Override
        void registerCancel() {
            Runnable noop = () -> { };
            for (int i = 0; i < N; i++) {
                ScheduledFuture<?> f = stpe.schedule(noop, TEN_S_MS, TimeUnit.MILLISECONDS);
                f.cancel(false);
            }
            check(stpe.getQueue().isEmpty());
        }

        @Override
        public void close() throws Exception {
            stpe.shutdownNow();
            stpe.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Netty's HashedWheelTimer with a 1 ms tick. */
    static final class HwtSubject extends Subject {
        private final HashedWheelTimer hwt = new HashedWheelTimer(r -> {
            Thread t = new Thread(r, "hwt");
            t.setDaemon(true);
            return t;
        }, 1, TimeUnit.MILLISECONDS, 512);

        @Override
        void sleeps(int[] durations) throws Exception {
            AtomicInteger left = new AtomicInteger(durations.length);
            CountDownLatch done = new CountDownLatch(1);
            for (int d : durations) {
                hwt.newTimeout(t -> {
                    if (left.decrementAndGet() == 0) {
                        done.countDown();
                    }
                }, d, TimeUnit.MILLISECONDS);
            }
            Harness.await(done);
        }

        @Override
        void timeoutReady() {
            registerCancel(); // as for STPE: arm, then cancel
        }

        @Override
        void registerCancel() {
            for (int i = 0; i < N; i++) {
                io.netty.util.Timeout t = hwt.newTimeout(x -> { }, TEN_S_MS, TimeUnit.MILLISECONDS);
                t.cancel();
            }
        }

        @Override
        public void close() {
            hwt.stop();
        }
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed");
        }
    }
}
