package tracker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.bson.Document;

import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.protocol.MetricValues;
import tracker.spec.DefinitionParser;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentCreator;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Metrics;
import tracker.store.RunWrites;

/**
 * The claim path and metric logging on the embedded default: latency of one claim as the
 * experiment grows, claims per second with concurrent workers (each with its own connection, as
 * separate processes would have), and metric values per second through the log path.
 */
final class ClaimBench {
    private ClaimBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("tracker-bench-claims");
        EmbeddedServer server = EmbeddedServer.start(dir, "127.0.0.1", 0, Duration.ZERO, "bench");
        try {
            Settings settings = Settings.resolve(server.clientUri(), "bench", Map.of("TRACKER_HOME", dir.toString()));
            latency(settings);
            throughput(settings);
            logging(settings);
        } finally {
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static ExperimentRecord create(Database db, String name, int trials) {
        new ExperimentCreator(db).create(DefinitionParser.parse(CreateBench.definition(name, trials), "bench.yaml"), "bench.yaml",
                ExperimentCreator.Mode.CREATE);
        return new Experiments(db).resolve(name);
    }

    static void latency(Settings settings) {
        System.out.println();
        System.out.println("| runs in experiment | claims | p50 (ms) | p95 (ms) | max (ms) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        try (Database db = Database.open(settings, Map.of())) {
            for (int trials : new int[] {1, 10, 100}) {
                ExperimentRecord e = create(db, "lat" + trials, trials);
                Claims claims = new Claims(db);
                int n = 300;
                double[] ms = new double[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    ClaimOutcome o = claims.next(e, new Claims.Filter(Set.of(), Set.of()), "bench", null, new Document());
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    if (!(o instanceof ClaimOutcome.Claimed)) {
                        throw new IllegalStateException("no claim: " + o);
                    }
                }
                Arrays.sort(ms);
                System.out.printf("| %,d | %d | %.2f | %.2f | %.2f |%n", e.total(), n, ms[n / 2], ms[n * 95 / 100], ms[n - 1]);
            }
        }
    }

    static void throughput(Settings settings) throws Exception {
        System.out.println();
        System.out.println("| workers | each claim also ended | claims | seconds | claims/s | duplicates |");
        System.out.println("|---:|:---:|---:|---:|---:|---:|");
        for (boolean withEnd : new boolean[] {false, true}) {
        for (int workers : new int[] {1, 4, 16}) {
            ExperimentRecord e;
            try (Database db = Database.open(settings, Map.of())) {
                e = create(db, "tp" + workers + withEnd, 10); // 10,000 runs
            }
            int total = 2000;
            AtomicInteger left = new AtomicInteger(total);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                String worker = "w" + w;
                Thread t = new Thread(() -> {
                    try (Database db = Database.open(settings, Map.of())) {
                        Claims claims = new Claims(db);
                        RunWrites writes = new RunWrites(db);
                        while (left.getAndDecrement() > 0) {
                            ClaimOutcome o = claims.next(e, new Claims.Filter(Set.of(), Set.of()), worker, null, new Document());
                            if (o instanceof ClaimOutcome.Claimed c) {
                                if (!seen.add(c.claim().run())) {
                                    duplicates.incrementAndGet();
                                }
                                if (withEnd) {
                                    writes.end(c.claim().run(), c.claim().token(), RunWrites.End.completed, 0, null);
                                }
                            }
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("| %d | %s | %,d | %.1f | %.0f | %d |%n", workers, withEnd ? "yes" : "no", total, s, total / s,
                    duplicates.get());
        }
        }
    }

    static void logging(Settings settings) {
        System.out.println();
        System.out.println("| lines per batch | values per line | values | seconds | values/s |");
        System.out.println("|---:|---:|---:|---:|---:|");
        try (Database db = Database.open(settings, Map.of())) {
            ExperimentRecord e = create(db, "log", 1);
            Claims claims = new Claims(db);
            Metrics metrics = new Metrics(db);
            ClaimOutcome.Claimed c = (ClaimOutcome.Claimed) claims.next(e, new Claims.Filter(Set.of(), Set.of()), "b", null, new Document());
            int lines = 20_000;
            int batch = 1000;
            long t0 = System.nanoTime();
            for (int start = 0; start < lines; start += batch) {
                List<MetricValues> b = new ArrayList<>();
                for (int i = start; i < start + batch; i++) {
                    b.add(MetricValues.ofEpoch(i, Map.of("train", Map.of("loss", 1.0 / (i + 1), "acc", 0.5),
                            "val", Map.of("loss", 0.9, "acc", 0.6))));
                }
                metrics.write(c.claim().run(), c.claim().token(), b, Metrics.Extras.NONE);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("| %d | 4 | %,d | %.1f | %,.0f |%n", batch, lines * 4, s, lines * 4 / s);
        }
    }
}
