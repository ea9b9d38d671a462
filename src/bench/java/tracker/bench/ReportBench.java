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
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.bson.Document;

import tracker.Tracker;
import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.spec.DefinitionParser;
import tracker.store.Database;
import tracker.store.ExperimentCreator;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;

/**
 * {@code tracker report} on an experiment of 100,000 runs (10 models x 10 datasets x 100 trials x
 * 10 replicates) on the embedded default, every run finished: the per-cell results that
 * {@code end} keeps are written directly (ending 100k runs one by one would take minutes), the
 * runs themselves stay as planned. Each view is the whole command in this JVM (parse, connect,
 * read, render), median of 5 after a warm-up.
 */
final class ReportBench {
    private ReportBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("tracker-bench-report");
        EmbeddedServer server = EmbeddedServer.start(dir, "127.0.0.1", 0, Duration.ZERO, "bench");
        try {
            Settings settings = Settings.resolve(server.info().uri(), "bench", Map.of("TRACKER_HOME", dir.toString()));
            try (Database db = Database.open(settings, Map.of())) {
                new ExperimentCreator(db).create(DefinitionParser.parse(CreateBench.definition("rep100k", 100), "bench.yaml"),
                        "bench.yaml", ExperimentCreator.Mode.CREATE);
                ExperimentRecord e = new Experiments(db).resolve("rep100k");
                SplittableRandom random = new SplittableRandom(1);
                for (String cell : e.cellIds()) {
                    String[] md = cell.substring(e.id().length() + 1).split("/");
                    Document runs = new Document();
                    for (int pos = 0; pos < 1000; pos++) {
                        double v = random.nextDouble();
                        runs.append(Integer.toString(pos), new Document("t", pos / 10).append("r", pos % 10).append("s", "completed")
                                .append("b", v).append("l", v).append("d", 60_000L + random.nextInt(60_000)));
                    }
                    db.mongo().getCollection("results").insertOne(new Document("_id", cell).append("experiment", e.id())
                            .append("model", md[0]).append("dataset", md[1]).append("runs", runs));
                }
            }
            Map<String, String> env = Map.of("TRACKER_URI", server.info().uri(), "TRACKER_DATABASE", "bench",
                    "TRACKER_HOME", dir.toString(), "NO_COLOR", "1");
            System.out.println();
            System.out.println("| view (100,000 runs) | format | p50 (ms) | max (ms) |");
            System.out.println("|---|---|---:|---:|");
            time(env, "matrix", "table");
            time(env, "matrix", "json");
            time(env, "progress", "table");
            time(env, "leaderboard", "table");
            time(env, "leaderboard", "table", "--overall", "--top", "20");
            time(env, "runs", "table", "--where", "model=m0", "--where", "dataset=d0", "--sort", "-objective", "--limit", "20");
            time(env, "runs", "csv", "--sort", "-objective", "--limit", "20");
        } finally {
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void time(Map<String, String> env, String view, String format, String... more) {
        List<String> args = new ArrayList<>(List.of("report", "-e", "rep100k", "--view", view, "-o", format));
        args.addAll(List.of(more));
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            long t0 = System.nanoTime();
            int code = Tracker.run(args.toArray(String[]::new), env, nowhere, new PrintWriter(System.err));
            if (code != 0) {
                throw new IllegalStateException("report failed: " + code);
            }
            if (i > 0) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        ms.sort(Double::compare);
        System.out.printf("| `%s` | %s | %.0f | %.0f |%n", String.join(" ", args.subList(3, args.size())), format, ms.get(ms.size() / 2),
                ms.get(ms.size() - 1));
    }
}
