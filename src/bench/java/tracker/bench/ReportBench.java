package tracker.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tracker.Tracker;
import tracker.config.Settings;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.spec.DefinitionParser;
import tracker.store.Database;
import tracker.store.ExperimentCreator;
import tracker.store.FinishedRuns;

/**
 * {@code tracker report} (matrix, progress, leaderboard, runs) and {@code export} over an experiment of 100,000
 * finished runs with 20 epochs each (2,000,000 metric documents) on the embedded default, its server a
 * process of its own as tracker starts it: the command in this JVM (warm, median of 5) and as a fresh
 * {@code target/tracker} process; then the server's resident memory.
 */
final class ReportBench {
    private ReportBench() {
    }

    static void run() throws Exception {
        // -Dbench.keep=DIR: build the data there and keep it, to try commands on it afterwards with
        // TRACKER_HOME=DIR TRACKER_DATABASE=bench target/tracker report -e report
        String keep = System.getProperty("bench.keep", "").isBlank() ? null : System.getProperty("bench.keep");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : Files.createTempDirectory("tracker-bench-report");
        // The server in a process of its own, as tracker starts it: with its own JVM flags, which must
        // carry this much data (the heap holds the store's cache and each command's working set).
        ServerManager manager = new ServerManager(dir, ServerProcess.env(dir));
        ServerInfo server = manager.ensureRunning(ServerManager.StartOptions.defaults(0, Duration.ZERO));
        try {
            String uri = manager.uriWithCredentials(server);
            Settings settings = Settings.resolve(uri, "bench", Map.of("TRACKER_HOME", dir.toString()));
            long t0 = System.nanoTime();
            long runs;
            try (Database db = Database.open(settings, Map.of())) {
                new ExperimentCreator(db).create(DefinitionParser.parse(CreateBench.definition("report", 100), "bench.yaml"),
                        "bench.yaml", ExperimentCreator.Mode.CREATE);
                double create = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                runs = FinishedRuns.fill(db, "report@1", 20, 1);
                System.out.printf("%nsetup: %,d runs created in %.1f s, finished with 20 epochs each in %.1f s%n", runs, create,
                        (System.nanoTime() - t0) / 1e9);
            }
            Map<String, String> env = Map.of("TRACKER_URI", uri, "TRACKER_DATABASE", "bench", "TRACKER_HOME", dir.toString(),
                    "NO_COLOR", "1", "HOME", dir.toString());
            System.out.println();
            System.out.println("| command (100,000 runs, 20 epochs each) | in-process, warm (ms) | new process (ms) |");
            System.out.println("|---|---:|---:|");
            List<List<String>> commands = List.of(
                    List.of("report", "-e", "report"),
                    List.of("report", "-e", "report", "-o", "json"),
                    List.of("report", "-e", "report", "--metric", "test.acc"),
                    List.of("report", "-e", "report", "--view", "significance"),
                    List.of("report", "-e", "report", "--view", "progress"),
                    List.of("report", "-e", "report", "--view", "leaderboard"),
                    List.of("report", "-e", "report", "--view", "runs", "--where", "model=m0", "--sort=-objective", "--limit", "20"),
                    List.of("export", "-e", "report", "-o", "csv"));
            for (List<String> args : commands) {
                String[] a = args.toArray(String[]::new);
                List<Double> warm = new ArrayList<>();
                int reps = args.get(0).equals("export") ? 3 : 6; // an export of 100k runs takes seconds
                for (int i = 0; i < reps; i++) {
                    long s = System.nanoTime();
                    int code = Tracker.run(a, env, new PrintWriter(Writer.nullWriter()), new PrintWriter(System.err));
                    if (code != 0) {
                        throw new IllegalStateException(String.join(" ", args) + " exited " + code);
                    }
                    if (i > 0) { // the first warms the JVM up
                        warm.add((System.nanoTime() - s) / 1e6);
                    }
                }
                System.out.printf("| `tracker %s` | %.0f | %s |%n", String.join(" ", args), median(warm), process(args, env));
            }
            System.out.printf("%nThe server (pid %d): %.0f MB resident at the end, %.0f MB at most.%n", server.pid(),
                    ServerProcess.statusKb(server.pid(), "VmRSS") / 1024.0, ServerProcess.statusKb(server.pid(), "VmHWM") / 1024.0);
        } finally {
            manager.stop(Duration.ofSeconds(30));
            if (keep != null) {
                return;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Median wall time of 3 runs of target/tracker, or "-" when it has not been built. */
    static String process(List<String> args, Map<String, String> env) throws Exception {
        Path launcher = Path.of("target/tracker");
        if (!Files.isExecutable(launcher)) {
            return "-";
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(env);
            long s = System.nanoTime();
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
            }
            times.add((System.nanoTime() - s) / 1e6);
        }
        return String.format("%.0f", median(times));
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
