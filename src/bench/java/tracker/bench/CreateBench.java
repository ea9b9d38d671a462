package tracker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.plan.Plan;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.store.Database;
import tracker.store.ExperimentCreator;

/**
 * {@code tracker create} of experiments of 1k, 10k and 100k runs on the embedded default (the
 * durable H2 server over TCP, as every command uses it), and the reconnect that follows.
 */
final class CreateBench {
    private CreateBench() {
    }

    static String definition(String name, int trials) {
        StringBuilder sb = new StringBuilder("name: " + name + "\nobjective: {metric: acc, goal: maximize}\n");
        sb.append("datasets: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]\nmodels:\n");
        for (int m = 0; m < 10; m++) {
            sb.append("  m").append(m).append(": {datasets: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9], params: ")
                    .append("{lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}, depth: [1, 2, 3], epochs: 20}}\n");
        }
        sb.append("search: {trials: ").append(trials).append(", replicates: 10, seed: 1}\n");
        return sb.toString();
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("tracker-bench-create");
        EmbeddedServer server = EmbeddedServer.start(dir, "127.0.0.1", 0, Duration.ZERO, "bench");
        System.out.println();
        System.out.println("| runs | plan (s) | create (s) | runs/s | reconnect (s) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        try {
            Settings settings = Settings.resolve(server.clientUri(), "bench", Map.of("TRACKER_HOME", dir.toString()));
            try (Database db = Database.open(settings, Map.of())) {
                ExperimentCreator creator = new ExperimentCreator(db);
                for (int trials : new int[] {1, 10, 100}) {
                    Definition d = DefinitionParser.parse(definition("bench" + trials, trials), "bench.yaml");
                    long t0 = System.nanoTime();
                    int runs = Plan.of(d).runs().size();
                    double plan = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    creator.create(d, "bench.yaml", ExperimentCreator.Mode.CREATE);
                    double create = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    creator.create(d, "bench.yaml", ExperimentCreator.Mode.CREATE);
                    double reconnect = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("| %,d | %.2f | %.1f | %,.0f | %.2f |%n", runs, plan, create, runs / create, reconnect);
                }
            }
        } finally {
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
