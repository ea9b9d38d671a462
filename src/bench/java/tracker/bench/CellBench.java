package tracker.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bson.Document;

import tracker.Tracker;
import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.protocol.MetricValues;
import tracker.spec.DefinitionParser;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentCreator;
import tracker.store.Experiments;
import tracker.store.FinishedRuns;
import tracker.store.Metrics;
import tracker.store.RunWrites;
import tracker.store.StoreStats;

/**
 * One cell of 10,000, 100,000 and 1,000,000 runs, all but 100 of them finished (one epoch each,
 * through the real summary and results code): what an {@code end} costs, what a report costs, what
 * {@code show RUN} costs with a million other runs' metrics in the database - and the largest
 * document of every collection, which must stay small (MongoDB refuses documents over 16 MiB; the
 * per-cell results document of earlier versions reached it at about 220,000 finished runs).
 * {@code -Dbench.cells=10000,100000} picks the sizes.
 */
final class CellBench {
    private static final int LEFT = 100;
    /** Far below MongoDB's 16 MiB; a results page of 1,000 entries is about 90 KB. */
    private static final long LARGEST_ALLOWED = 1 << 20;

    private CellBench() {
    }

    static String definition(String name, int runs) {
        return """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [d]
                models:
                  m: {datasets: [d], params: {x: {distribution: uniform, min: 0, max: 1}}}
                search: {method: random, trials: %d, replicates: 1, seed: 1}
                """.formatted(name, runs);
    }

    static void run() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.cells", "10000,100000,1000000").split(",")) {
            sizes.add(Integer.parseInt(s.strip()));
        }
        List<String> rows = new ArrayList<>();
        for (int size : sizes) {
            rows.add(one(size));
        }
        System.out.println();
        System.out.println("| runs in the cell | setup (s) | `end` p50 (ms) | `end` p95 (ms) | report, in-process (ms) | report, new process (ms) "
                + "| `show RUN` (ms) | largest document (bytes, collection) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    private static String one(int size) throws Exception {
        Path dir = Files.createTempDirectory("tracker-bench-cell");
        EmbeddedServer server = EmbeddedServer.start(dir, "127.0.0.1", 0, Duration.ZERO, "bench");
        try {
            String uri = server.clientUri();
            Settings settings = Settings.resolve(uri, "bench", Map.of("TRACKER_HOME", dir.toString()));
            Map<String, String> env = Map.of("TRACKER_URI", uri, "TRACKER_DATABASE", "bench", "TRACKER_HOME", dir.toString(),
                    "NO_COLOR", "1", "HOME", dir.toString());
            long t0 = System.nanoTime();
            List<Double> ends = new ArrayList<>();
            String largest;
            try (Database db = Database.open(settings, Map.of())) {
                new ExperimentCreator(db).create(DefinitionParser.parse(definition("cell", size), "cell.yaml"), "cell.yaml",
                        ExperimentCreator.Mode.CREATE);
                FinishedRuns.fill(db, "cell@1", 1, 1, size - LEFT);
                System.out.printf("%nsetup of %,d runs: %.0f s%n", size, (System.nanoTime() - t0) / 1e9);
                Claims claims = new Claims(db);
                Metrics metrics = new Metrics(db);
                RunWrites writes = new RunWrites(db);
                var exp = new Experiments(db).byId("cell@1").orElseThrow();
                for (int i = 0; i < LEFT; i++) {
                    var claim = ((ClaimOutcome.Claimed) claims.next(exp, new Claims.Filter(java.util.Set.of(), java.util.Set.of()),
                            "bench", null, new Document())).claim();
                    metrics.write(claim.run(), claim.token(), List.of(MetricValues.ofEpoch(1, Map.of("val", Map.of("acc", 0.5)))),
                            Metrics.Extras.NONE);
                    long s = System.nanoTime();
                    writes.end(claim.run(), claim.token(), RunWrites.End.completed, 0, null);
                    ends.add((System.nanoTime() - s) / 1e6);
                }
                largest = largest(StoreStats.largestDocuments(db));
            }
            double setup = (System.nanoTime() - t0) / 1e9;
            double report = warm(env, "report", "-e", "cell");
            String process = ReportBench.process(List.of("report", "-e", "cell"), env);
            double show = warm(env, "show", "cell@1/m/d/" + (size / 2));
            ends.sort(Comparator.naturalOrder());
            return String.format("| %,d | %.0f | %.1f | %.1f | %.0f | %s | %.0f | %s |", size, setup, ends.get(ends.size() / 2),
                    ends.get(ends.size() * 95 / 100), report, process, show, largest);
        } finally {
            server.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The largest of all, checked against the bound; the bench fails if any document grew past it. */
    private static String largest(Map<String, Long> byCollection) {
        Map.Entry<String, Long> max = byCollection.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        if (max.getValue() > LARGEST_ALLOWED) {
            throw new IllegalStateException("a document of " + max.getKey() + " has " + max.getValue() + " bytes: " + byCollection);
        }
        Map<String, Long> shown = new LinkedHashMap<>(byCollection);
        return String.format("%,d (%s); all: %s", max.getValue(), max.getKey(), shown);
    }

    /** Median of 3 warm runs in this JVM (after one to warm up). */
    private static double warm(Map<String, String> env, String... args) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long s = System.nanoTime();
            int code = Tracker.run(args, env, new PrintWriter(Writer.nullWriter()), new PrintWriter(System.err));
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", args) + " exited " + code);
            }
            if (i > 0) {
                times.add((System.nanoTime() - s) / 1e6);
            }
        }
        times.sort(Comparator.naturalOrder());
        return times.get(1);
    }
}
