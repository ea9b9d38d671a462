package tracker.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import tracker.Tracker;
import tracker.config.Settings;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.serve.Api;
import tracker.serve.HttpServer;
import tracker.spec.DefinitionParser;
import tracker.store.ApiKeys;
import tracker.store.Database;
import tracker.store.ExperimentCreator;
import tracker.store.FinishedRuns;

/**
 * {@code tracker serve}: claims through the API by concurrent shell workers that use only curl (a
 * new curl process per call, as such a worker runs), one claim's wall time as a new process beside
 * {@code tracker next} and {@code optuna ask}, and the dashboard's experiment page (the four API
 * calls it makes at once) over 100,000 finished runs. The database is the embedded default in a
 * process of its own; the API runs in this JVM, as {@code tracker serve} would.
 */
final class ApiBench {
    private ApiBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("tracker-bench-api");
        ServerManager manager = new ServerManager(dir, ServerProcess.env(dir));
        ServerInfo server = manager.ensureRunning(ServerManager.StartOptions.defaults(0, Duration.ZERO));
        try {
            String uri = manager.uriWithCredentials(server);
            Settings settings = Settings.resolve(uri, "bench", Map.of("TRACKER_HOME", dir.toString()));
            try (Database db = Database.open(settings, Map.of());
                                  // one heavy read at a time, as tracker serve does on the embedded default (this connection is by URI)
                 HttpServer http = HttpServer.start("127.0.0.1", 0, null, 32, new Api(db, 1), line -> { })) {
                String url = "http://127.0.0.1:" + http.port() + "/api/v1/";
                String worker = new ApiKeys(db).create(ApiKeys.Role.worker, List.of(), null, "bench").secretText();
                String reader = new ApiKeys(db).create(ApiKeys.Role.reader, List.of(), null, "bench").secretText();
                Map<String, String> env = Map.of("TRACKER_URI", uri, "TRACKER_DATABASE", "bench", "TRACKER_HOME", dir.toString(),
                        "NO_COLOR", "1", "HOME", dir.toString());
                curlWorkers(db, url, worker, dir);
                oneClaim(db, url, worker, dir, env);
                page(db, url, reader);
            }
        } finally {
            manager.stop(Duration.ofSeconds(30));
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The documented curl loop without training: claim, end, until 410. */
    private static final String LOOP = """
            n=0
            while :; do
              code=$(curl -s -o "$D/claim.$W" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" "${URL}experiments/$EXP/next?format=env&worker=$W")
              case "$code" in
                200) ;;
                410) break ;;
                503) sleep 0.2; continue ;;
                *) echo "claim: HTTP $code" >&2; cat "$D/claim.$W" >&2; exit 1 ;;
              esac
              . "$D/claim.$W"
              echo "$TRACKER_RUN" >> "$D/claimed.$W"
              curl -s -f -o /dev/null -X POST -H "Authorization: Bearer $KEY" "${URL}runs/$TRACKER_RUN/end" \\
                --data-urlencode "token=$TRACKER_TOKEN" -d status=completed || exit 1
            done
            """;

    static void curlWorkers(Database db, String url, String key, Path dir) throws Exception {
        System.out.println();
        System.out.println("| curl workers | runs (claim + end) | seconds | claims/s | duplicates |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int workers : new int[] {1, 4, 16}) {
            String exp = "curl" + workers;
            int runs = 400;
            new ExperimentCreator(db).create(DefinitionParser.parse("name: " + exp + "\nobjective: {metric: acc, goal: maximize}\n"
                    + "datasets: [d0, d1]\nmodels:\n  m: {datasets: [d0, d1], params: {x: {distribution: uniform, min: 0, max: 1}}}\n"
                    + "search: {method: random, trials: " + runs / 2 + ", seed: 1}\n", "bench.yaml"), "bench.yaml", ExperimentCreator.Mode.CREATE);
            Path d = Files.createDirectories(dir.resolve(exp));
            List<Process> ps = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                ProcessBuilder pb = new ProcessBuilder("sh", "-c", LOOP).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().putAll(Map.of("URL", url, "KEY", key, "EXP", exp, "W", "w" + w, "D", d.toString()));
                ps.add(pb.start());
            }
            for (Process p : ps) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("a curl worker failed");
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            List<String> claimed = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Path f = d.resolve("claimed.w" + w);
                if (Files.exists(f)) {
                    claimed.addAll(Files.readAllLines(f));
                }
            }
            long distinct = claimed.stream().distinct().count();
            if (distinct != runs) {
                throw new IllegalStateException(exp + ": " + distinct + " distinct runs claimed of " + runs);
            }
            System.out.printf("| %d | %d | %.1f | %.0f | %d |%n", workers, runs, s, runs / s, claimed.size() - distinct);
        }
    }

    /** One claim as a new process: curl against the API, tracker next on the database, optuna ask on SQLite. */
    static void oneClaim(Database db, String url, String key, Path dir, Map<String, String> env) throws Exception {
        new ExperimentCreator(db).create(DefinitionParser.parse("name: one\nobjective: {metric: acc, goal: maximize}\n"
                + "datasets: [d0]\nmodels:\n  m: {datasets: [d0], params: {x: {distribution: uniform, min: 0, max: 1}}}\n"
                + "search: {method: random, trials: 1000, seed: 1}\n", "bench.yaml"), "bench.yaml", ExperimentCreator.Mode.CREATE);
        System.out.println();
        System.out.println("| one claim, as a new process | median (ms) | min (ms) | max (ms) |");
        System.out.println("|---|---:|---:|---:|");
        times("`curl -X POST …/api/v1/experiments/one/next` (tracker serve)",
                List.of("curl", "-s", "-f", "-o", "/dev/null", "-X", "POST", "-H", "Authorization: Bearer " + key, url + "experiments/one/next"),
                Map.of());
        if (Files.isExecutable(Path.of("target/tracker"))) {
            times("`tracker next -e one` (embedded database)", List.of("target/tracker", "next", "-e", "one"), env);
        }
        Path python = Path.of("/usr/bin/python3");
        Path optuna = Path.of("/usr/bin/optuna"); // Debian's python3-optuna
        if (Files.isExecutable(optuna)) {
            String storage = "sqlite:///" + dir.resolve("optuna.db");
            run(List.of(python.toString(), "-c", "import optuna; optuna.create_study(study_name='one', storage='" + storage + "')"));
            times("`optuna ask` (Optuna " + optunaVersion(python) + ", SQLite)", List.of(optuna.toString(), "ask", "-q",
                    "--storage", storage, "--study-name", "one", "--search-space", "{\"x\": {\"name\": \"FloatDistribution\", "
                            + "\"attributes\": {\"low\": 0.0, \"high\": 1.0}}}"), Map.of());
        } else {
            System.out.println("| `optuna ask` | - (apt-get install python3-optuna) | | |");
        }
    }

    static void page(Database db, String url, String key) throws Exception {
        long t0 = System.nanoTime();
        new ExperimentCreator(db).create(DefinitionParser.parse(CreateBench.definition("page", 100), "bench.yaml"), "bench.yaml",
                ExperimentCreator.Mode.CREATE);
        long runs = FinishedRuns.fill(db, "page@1", 20, 1);
        System.out.printf("%nsetup: %,d finished runs with 20 epochs each in %.0f s%n", runs, (System.nanoTime() - t0) / 1e9);
        HttpClient client = HttpClient.newHttpClient();
        List<String> calls = List.of("experiments/page", "experiments/page/report", "experiments/page/status",
                "experiments/page/report?view=progress", "experiments/page/report?view=leaderboard&top=3",
                "experiments/page/runs?page=1&per_page=50&where=model%3Dm0&where=dataset%3Dd0&sort=-objective",
                "experiments/page/runs?page=1&per_page=50&sort=-objective");
        System.out.println();
        System.out.println("| dashboard call (100,000 runs) | warm median (ms) |");
        System.out.println("|---|---:|");
        for (String c : calls) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long s = System.nanoTime();
                get(client, url + c, key);
                if (i > 0) {
                    ms.add((System.nanoTime() - s) / 1e6);
                }
            }
            System.out.printf("| `GET /api/v1/%s` | %.0f |%n", c, median(ms));
        }
        // The experiment page's first paint: the definition and the matrix, asked at once (experiment.js)
        List<Double> page = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long s = System.nanoTime();
            CompletableFuture.allOf(calls.subList(0, 2).stream().map(c -> CompletableFuture.runAsync(() -> get(client, url + c, key)))
                    .toArray(CompletableFuture[]::new)).join();
            if (i > 0) {
                page.add((System.nanoTime() - s) / 1e6);
            }
        }
        System.out.printf("| the experiment page's matrix (definition and report at once, as the page asks) | %.0f |%n", median(page));
    }

    private static void get(HttpClient client, String url, String key) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void times(String label, List<String> cmd, Map<String, String> env) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(env);
            long s = System.nanoTime();
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " exited " + code);
            }
            if (i > 0) {
                ms.add((System.nanoTime() - s) / 1e6);
            }
        }
        List<Double> sorted = ms.stream().sorted().toList();
        System.out.printf("| %s | %.0f | %.0f | %.0f |%n", label, median(ms), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static String optunaVersion(Path python) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c", "import optuna; print(optuna.__version__)").start();
        String v = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return v;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
