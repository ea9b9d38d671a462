package tracker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import tracker.Tracker;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.testing.WorkerLoop;

/**
 * The embedded server's memory under sustained worker traffic: W worker processes
 * ({@link WorkerLoop}: next, two logs, end - each command with a connection of its own, as
 * shell-script workers make them) against one server, started as users get it (through
 * {@code target/tracker} when it has been built: the launcher's JVM with ServerManager's flags), for
 * M minutes, sampling the server's resident set (VmRSS in /proc/PID/status) every 10 s.
 * {@code mvn -Pbench verify -Dbench=soak [-Dsoak.minutes=10] [-Dsoak.workers=4]}.
 */
final class SoakBench {
    private static final Duration SAMPLE = Duration.ofSeconds(10);

    private SoakBench() {
    }

    static void run() throws Exception {
        int minutes = Integer.getInteger("soak.minutes", 10);
        int workers = Integer.getInteger("soak.workers", 4);
        Path dir = Files.createTempDirectory("tracker-bench-soak");
        Map<String, String> env = ServerProcess.env(dir.resolve("data"));
        ServerManager manager = new ServerManager(dir.resolve("data"), env);
        List<Process> loops = new ArrayList<>();
        try {
            Path def = dir.resolve("soak.yaml");
            Files.writeString(def, CreateBench.definition("soak", 50)); // 50,000 runs: more than the workers finish
            StringWriter err = new StringWriter();
            if (Tracker.run(new String[] {"create", def.toString()}, env, new PrintWriter(new StringWriter()),
                    new PrintWriter(err)) != 0) {
                throw new IllegalStateException("create failed: " + err);
            }
            ServerInfo server = manager.running().orElseThrow();
            AtomicLong done = new AtomicLong();
            for (int i = 0; i < workers; i++) {
                loops.add(worker(env, done));
            }
            System.out.printf("%n%d workers, server pid %d (%s)%n%n", workers, server.pid(),
                    env.containsKey("TRACKER_LAUNCHER") ? "started by target/tracker" : "started by this JVM's java");
            System.out.println("| minute | server RSS (MB) | runs done | runs/s |");
            System.out.println("|---:|---:|---:|---:|");
            long start = System.nanoTime();
            long lastDone = 0;
            long lastPrint = start;
            List<long[]> samples = new ArrayList<>(); // {seconds, rss kB}
            while (System.nanoTime() - start < Duration.ofMinutes(minutes).toNanos()) {
                Thread.sleep(SAMPLE.toMillis());
                long now = System.nanoTime();
                long rss = ServerProcess.statusKb(server.pid(), "VmRSS");
                samples.add(new long[] {(now - start) / 1_000_000_000L, rss});
                if (now - lastPrint >= Duration.ofSeconds(60).toNanos() - SAMPLE.toNanos() / 2) {
                    long d = done.get();
                    System.out.printf("| %.0f | %.0f | %,d | %.1f |%n", (now - start) / 6e10, rss / 1024.0, d,
                            (d - lastDone) / ((now - lastPrint) / 1e9));
                    lastDone = d;
                    lastPrint = now;
                }
                for (Process p : loops) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("a worker exited with " + p.exitValue());
                    }
                }
            }
            summarize(samples, done.get(), (System.nanoTime() - start) / 1e9);
        } finally {
            loops.forEach(Process::destroyForcibly);
            for (Process p : loops) {
                p.waitFor();
            }
            manager.stop(Duration.ofSeconds(20));
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Process worker(Map<String, String> env, AtomicLong done) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                WorkerLoop.class.getName(), "soak");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    done.incrementAndGet(); // one line per run ended
                }
            } catch (IOException e) {
                // the worker was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** RSS after the first minute, at the end, its maximum, and its slope over the second half (levelled off: ~0). */
    private static void summarize(List<long[]> samples, long runs, double seconds) {
        long max = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
        long atMinute = samples.stream().filter(s -> s[0] >= 60).findFirst().map(s -> s[1]).orElse(0L);
        List<long[]> late = samples.subList(samples.size() / 2, samples.size());
        double n = late.size();
        double mx = late.stream().mapToDouble(s -> s[0]).sum() / n;
        double my = late.stream().mapToDouble(s -> s[1]).sum() / n;
        double cov = late.stream().mapToDouble(s -> (s[0] - mx) * (s[1] - my)).sum();
        double var = late.stream().mapToDouble(s -> (s[0] - mx) * (s[0] - mx)).sum();
        double slopeMbPerMin = var == 0 ? 0 : cov / var * 60 / 1024;
        System.out.printf("%nRSS: %.0f MB after 1 min, %.0f MB at the end, %.0f MB at most; second half: %+.1f MB/min."
                + " %,d runs in %.0f s (%.1f runs/s).%n", atMinute / 1024.0, samples.get(samples.size() - 1)[1] / 1024.0,
                max / 1024.0, slopeMbPerMin, runs, seconds, runs / seconds);
    }
}
