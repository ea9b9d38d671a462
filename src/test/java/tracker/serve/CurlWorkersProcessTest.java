package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

/**
 * The worker loop of docs/api.md, read from the document itself, run by four concurrent POSIX
 * shells (dash) that have only curl, cat, rm and sleep on their PATH — no tracker, no java —
 * against {@code tracker serve} as a real process: the sweep finishes, every run exactly once.
 */
class CurlWorkersProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final int WORKERS = 4;

    /**
     * What the test puts before the documented loop: a guard that no tracker and no java are
     * reachable, and {@code train}, a stand-in training script that records what this worker
     * trained and prints three epochs of trainer lines (val.acc ends at 0.X for --x=X), pausing
     * after the first so that the loop's background heartbeat fires.
     */
    static final String PRELUDE = """
            if command -v java >/dev/null 2>&1 || command -v tracker >/dev/null 2>&1; then
              echo "java or tracker is on the PATH" >&2; exit 97
            fi
            train() {
              echo "$TRACKER_RUN" >> "claimed.$WORKER"
              x=${1#--x=}
              echo "training $TRACKER_MODEL on $TRACKER_DATASET with $*"
              echo "epoch=1 train.loss=0.9 val.acc=0.0$x"
              sleep 0.4
              echo "{\\"epoch\\": 2, \\"train\\": {\\"loss\\": 0.5}, \\"val\\": {\\"acc\\": 0.0$x}}"
              echo "epoch=3 train.loss=0.25 val.acc=0.$x"
            }
            """;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The block between the curl-worker-loop markers of docs/api.md, without its code fence. */
    static String documentedLoop() throws IOException {
        String doc = Files.readString(Path.of("docs/api.md"));
        int from = doc.indexOf("<!-- curl-worker-loop -->");
        int to = doc.indexOf("<!-- /curl-worker-loop -->");
        assertThat(from).as("docs/api.md marks the loop").isPositive();
        String block = doc.substring(from, to);
        block = block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));
        assertThat(block).contains("curl").contains("next?format=env").contains("/log?").contains("/heartbeat?").contains("/end?");
        return block;
    }

    @Test
    void four_curl_only_shell_workers_finish_a_sweep_each_run_once() throws Exception {
        String curlMissing = DebianPackages.ensure(Path.of("/usr/bin/curl"), "curl");
        assumeTrue(curlMissing == null, "curl could not be installed: " + curlMissing);
        CliRun cli = CliRun.in(tmp).database(DB);
        Path def = tmp.resolve("sweep.yaml");
        Files.writeString(def, "name: sweep\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [iris, wine]\n"
                + "models:\n  mlp: {datasets: [iris, wine], params: {x: [1, 2, 3, 4, 5, 6, 7, 8, 9]}}\n"
                + "  knn: {datasets: [iris, wine], params: {x: [1, 2, 3, 4, 5, 6, 7, 8, 9]}}\n"
                + "search: {method: grid, seed: 3}\nruns: {lease: 2m, max_attempts: 3}\n");
        ok(cli.run("create", def.toString()));
        String workerKey = ok(cli.run("keys", "create", "--role", "worker", "-e", "sweep")).out().strip();
        String readerKey = ok(cli.run("keys", "create", "--role", "reader")).out().strip();

        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        Process serve = tracker.start("serve", "--port", "0", "--threads", "8");
        started.add(serve);
        StringBuffer serveLog = new StringBuffer();
        BufferedReader serveOut = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String url = CompletableFuture.supplyAsync(() -> {
            try {
                return serveOut.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        Thread drain = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    serveLog.append(line).append('\n');
                }
            } catch (IOException e) {
                // serve ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        assertThat(url).as("serve's URL").startsWith("http://127.0.0.1:");

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("sh", "curl", "cat", "rm", "sleep")) {
            Path real = Path.of("/usr/bin", tool).toRealPath();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        String script = PRELUDE + documentedLoop();
        List<Process> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            ProcessBuilder pb = new ProcessBuilder(bin.resolve("sh").toString(), "-c", script).directory(tmp.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", bin.toString());
            env.put("HOME", tmp.toString());
            env.put("TMPDIR", tmp.toString());
            env.put("TRACKER_URL", url.substring(0, url.length() - 1));
            env.put("TRACKER_API_KEY", workerKey);
            env.put("EXPERIMENT", "sweep");
            env.put("WORKER", Integer.toString(w));
            env.put("TRACKER_HEARTBEAT", "0.2");
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            started.add(p);
            workers.add(p);
        }
        for (int w = 0; w < WORKERS; w++) {
            CliRun.Result r = TrackerProcess.finish(workers.get(w), Duration.ofMinutes(3));
            assertThat(r.code()).as("worker " + w + "\n" + r + "\nserve:\n" + serveLog).isZero();
            assertThat(r.err()).as("worker " + w).doesNotContain("could not end").doesNotContain("curl:");
        }

        try (var left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("the loop cleans up after itself")
                    .noneMatch(f -> f.startsWith("tracker-worker."));
        }
        List<String> claimed = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Path f = tmp.resolve("claimed." + w);
            if (Files.exists(f)) {
                claimed.addAll(Files.readAllLines(f));
            }
        }
        assertThat(claimed).as("runs trained, over all workers").hasSize(36).doesNotHaveDuplicates();
        Set<String> ids = new HashSet<>();
        for (Document run : DB.mongo().getCollection("runs").find(Filters.eq("experiment", "sweep@1"))) {
            ids.add(run.getString("_id"));
            assertThat(run.getString("status")).as(run.toJson()).isEqualTo("completed");
            assertThat(run.getInteger("attempt")).as("claimed once: " + run.getString("_id")).isEqualTo(1);
            double x = ((Number) run.get("params", Document.class).get("x")).doubleValue();
            assertThat(run.get("summary", Document.class).get("objective", Document.class).getDouble("best")).isEqualTo(x / 10);
        }
        assertThat(ids).hasSize(36).containsExactlyInAnyOrderElementsOf(claimed);
        assertThat(serveLog.toString()).as("the loop's heartbeat reached the server")
                .containsPattern("POST /api/v1/runs/sweep@1/\\S+/heartbeat 200");
        assertThat(serveLog.toString()).doesNotContain(workerKey.substring(17));

        HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/v1/experiments/sweep/report"))
                .header("Authorization", "Bearer " + readerKey).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body().trim()).isEqualTo(ok(cli.run("report", "-e", "sweep", "-o", "json")).out().trim());
        assertThat(report.body()).contains("0.9");
    }

    private static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }
}
