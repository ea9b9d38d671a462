package tracker.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.config.Settings;
import tracker.json.Json;
import tracker.serve.Api;
import tracker.serve.HttpServer;
import tracker.store.ApiKeys;
import tracker.store.Database;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;
import tracker.testing.TrackerProcess;

/**
 * The CLI's remote mode against a real tracker serve (its API in this JVM, over the test database):
 * each worker and read command gives, through the server, the stdout, stderr and exit code it
 * gives on the database directly, for the same data.
 */
class RemoteModeTest {
    static final String TRAINER = Path.of("src/test/resources/trainer/scripted-trainer.sh").toAbsolutePath().toString();

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static Database db;
    static HttpServer server;
    static String url;
    static String adminKey;
    static String readerKey;

    @TempDir
    Path tmp;

    String name;

    @BeforeAll
    static void serve() throws InterruptedException {
        db = Database.open(Settings.resolve(DB.uri(), DB.name(), Map.of()), Map.of());
        adminKey = new ApiKeys(db).create(ApiKeys.Role.admin, List.of(), null, "remote mode test").secretText();
        readerKey = new ApiKeys(db).create(ApiKeys.Role.reader, List.of(), null, "remote mode test").secretText();
        server = HttpServer.start("127.0.0.1", 0, null, 8, new Api(db), line -> { });
        url = "http://127.0.0.1:" + server.port() + "/";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void uniqueName(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
    }

    CliRun local() {
        return CliRun.in(tmp).database(DB);
    }

    CliRun remote() {
        return CliRun.in(tmp).env("TRACKER_URL", url).env("TRACKER_API_KEY", adminKey);
    }

    /** Two models on two datasets, one setting each: four runs. */
    void create() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1, d2]
                models:
                  a: {datasets: [d1, d2], params: {mode: [ok]}}
                  b: {datasets: [d1, d2], params: {mode: [ok], lr: [0.001]}}
                search: {method: grid}
                runs: {lease: 30s}
                """.formatted(name));
        CliRun.Result r = local().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    /** Claims a run (through whichever mode), logs two epochs and ends it completed. */
    void finishOne(CliRun via) {
        Map<String, Object> claim = Json.parseObject(ok(via.run("next", "-e", name, "-o", "json")).out());
        CliRun worker = via.env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));
        ok(worker.run("log", "--epoch", "1", "train.loss=0.5", "val.acc=0.7"));
        ok(worker.run("log", "--epoch", "2", "train.loss=0.25", "val.acc=0.875", "test.acc=0.75"));
        ok(worker.run("end", "--status", "completed"));
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    static void same(CliRun.Result remote, CliRun.Result local) {
        assertThat(remote.code()).as("remote:\n" + remote + "\nlocal:\n" + local).isEqualTo(local.code());
        assertThat(remote.out()).as("remote:\n" + remote + "\nlocal:\n" + local).isEqualTo(local.out());
        assertThat(remote.err()).as("remote:\n" + remote + "\nlocal:\n" + local).isEqualTo(local.err());
    }

    /** The same command through the server and on the database. */
    void sameBothWays(String... args) {
        same(remote().run(args), local().run(args));
    }

    @Test
    void reads_print_what_they_print_on_the_database() throws IOException {
        create();
        finishOne(local());
        finishOne(remote());
        sameBothWays("report", "-e", name);
        sameBothWays("report", "-e", name, "--width", "60");
        sameBothWays("report", "-e", name, "-o", "json");
        sameBothWays("report", "-e", name, "--view", "progress");
        sameBothWays("report", "-e", name, "--view", "leaderboard", "--metric", "test.acc", "-o", "csv");
        sameBothWays("report", "-e", name, "--view", "runs", "--where", "model=b", "--sort", "-objective", "--limit", "1");
        sameBothWays("report", "-e", name, "-e", name + "@1", "--view", "significance");
        sameBothWays("report", "-e", name, "--view", "curves", "--dataset", "d1", "-o", "csv");
        sameBothWays("status", "-e", name);
        sameBothWays("status", "-e", name, "-o", "json");
        sameBothWays("export", "-e", name);
        sameBothWays("export", "-e", name, "--epochs", "--wide", "-o", "jsonl");
        sameBothWays("export", "-e", name, "--metric", "test.acc", "-o", "json");
        sameBothWays("list", "-o", "json");
        sameBothWays("list");
        sameBothWays("list", "-o", "names");
        sameBothWays("show", name, "-o", "json");
        sameBothWays("show", name);
        sameBothWays("show", name, "-o", "yaml");
        sameBothWays("show", name + "@1/a/d1/0", "-o", "json");
    }

    @Test
    void admin_commands_go_through_the_api_with_an_admin_key() throws IOException {
        create();
        Path f = tmp.resolve(name + ".yaml");
        sameBothWays("create", f.toString());
        sameBothWays("create", f.toString(), "-o", "json");
        // A definition built from parts is resolved by the client, which has the files, and sent whole.
        Files.createDirectories(tmp.resolve("parts"));
        Files.writeString(tmp.resolve("parts/" + name + ".yaml"), Files.readString(f).replace("name: " + name + "\n", ""));
        Path layered = tmp.resolve(name + "-layered.yaml");
        Files.writeString(layered, "include: parts/" + name + ".yaml\nname: " + name + "-layered\n");
        CliRun.Result viaServe = ok(remote().run("create", layered.toString(), "--set", "search.replicates=3", "-o", "json"));
        assertThat(Json.parseObject(viaServe.out())).containsEntry("id", name + "-layered@1").containsEntry("action", "created");
        assertThat(local().run("show", name + "-layered", "-o", "yaml").out()).contains("replicates: 3");
        CliRun.Result cancelled = ok(remote().run("cancel", "-e", name, "--model", "a"));
        assertThat(cancelled.out()).isEqualTo("2\n");
        assertThat(cancelled.err()).isEqualTo("tracker: cancelled 2 pending runs of " + name + "@1\n");
        sameBothWays("cancel", "-e", name, "--model", "a"); // nothing left to cancel there, either way
        CliRun.Result requeued = ok(remote().run("requeue", "-e", name, "--status", "cancelled", "-o", "json"));
        assertThat(Json.parseObject(requeued.out())).isEqualTo(Map.of("experiment", name + "@1", "requeued", 2L));
        assertThat(requeued.err()).isEqualTo("tracker: requeued 2 runs of " + name + "@1\n");
        sameBothWays("requeue", "-e", name, "--status", "cancelled", "-o", "json");
        CliRun.Result raised = ok(remote().run("priority", "-e", name, "--model", "b", "3"));
        assertThat(raised.out()).isEqualTo("b/d1  0 -> 3\nb/d2  0 -> 3\n");
        assertThat(raised.err()).isEqualTo("tracker: priority 3 for 2 cells of " + name + "@1\n");
        sameBothWays("priority", "-e", name, "--model", "b", "3", "-o", "json"); // nothing left to change, either way
        CliRun.Result lowered = ok(remote().run("priority", "-e", name, "--dataset", "d2", "-1", "-o", "json"));
        assertThat(Json.parseObject(lowered.out())).containsEntry("unchanged", 0L).containsEntry("priority", -1L);
        CliRun.Result refused = remote().env("TRACKER_API_KEY", readerKey).run("requeue", "-e", name);
        assertThat(refused.code()).isEqualTo(5);
        assertThat(refused.err()).contains("a reader key may not do this");
    }

    @Test
    void a_run_through_the_server_is_recorded_as_on_the_database() throws IOException {
        create();
        Map<String, Object> claim = Json.parseObject(ok(remote().run("next", "-e", name, "-o", "json", "--worker", "w1")).out());
        assertThat(claim).containsEntry("claimed", true).containsKeys("run", "token", "params", "leaseUntil");
        String run = (String) claim.get("run");
        CliRun worker = remote().env("TRACKER_RUN", run).env("TRACKER_TOKEN", (String) claim.get("token"));
        CliRun.Result logged = worker.run("log", "--epoch", "1", "val.acc=0.5", "train.loss=NaN", "--note", "first", "-o", "json");
        assertThat(ok(logged).out()).isEqualTo("{\"run\":\"" + run + "\",\"lines\":1,\"values\":2,\"rejected\":0}\n");
        ok(worker.run("heartbeat"));
        CliRun.Result ended = ok(worker.run("end", "--status", "completed", "-o", "json"));
        assertThat(ended.out()).isEqualTo("{\"run\":\"" + run + "\",\"status\":\"completed\",\"changed\":true,\"noObjective\":false}\n");

        Document stored = DB.mongo().getCollection("runs").find(Filters.eq("_id", run)).first();
        assertThat(stored.getString("status")).isEqualTo("completed");
        assertThat(stored.getString("worker")).isEqualTo("w1");
        assertThat(stored.get("notes").toString()).contains("first");
        Document epoch = DB.mongo().getCollection("metrics").find(Filters.eq("run", run)).first();
        assertThat(epoch.toJson()).contains("NaN");
    }

    @Test
    void stdin_is_logged_in_batches_and_bad_lines_fail_as_on_the_database() throws IOException {
        create();
        String lines = "starting\n{\"epoch\": 1, \"val\": {\"acc\": 0.5}}\nepoch=2 val.acc=x\nepoch=3 val.acc=0.75 train.loss=inf\n";
        CliRun.Result[] results = new CliRun.Result[2];
        int i = 0;
        for (CliRun via : List.of(local(), remote())) {
            Map<String, Object> claim = Json.parseObject(ok(via.run("next", "-e", name, "-o", "json")).out());
            CliRun worker = via.env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));
            java.io.InputStream before = System.in;
            System.setIn(new java.io.ByteArrayInputStream(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            try {
                results[i++] = worker.run("log", "--stdin", "-o", "json");
            } finally {
                System.setIn(before);
            }
        }
        assertThat(results[1].code()).isEqualTo(9);
        assertThat(results[1].out().replaceAll("@1/[ab]/d[12]/0", "@1/RUN")).isEqualTo(results[0].out().replaceAll("@1/[ab]/d[12]/0", "@1/RUN"));
        assertThat(results[1].err()).isEqualTo(results[0].err());
    }

    @Test
    void a_lease_lost_in_the_middle_of_log_stdin_is_exit_6_as_on_the_database() throws Exception {
        create();
        CliRun.Result[] results = new CliRun.Result[2];
        int i = 0;
        for (CliRun via : List.of(local(), remote())) {
            Map<String, Object> claim = Json.parseObject(ok(via.run("next", "-e", name, "-o", "json")).out());
            String run = (String) claim.get("run");
            CliRun worker = via.env("TRACKER_RUN", run).env("TRACKER_TOKEN", (String) claim.get("token"));
            java.io.PipedOutputStream trainer = new java.io.PipedOutputStream();
            java.io.InputStream before = System.in;
            System.setIn(new java.io.PipedInputStream(trainer));
            java.util.concurrent.CompletableFuture<CliRun.Result> log;
            try {
                log = java.util.concurrent.CompletableFuture.supplyAsync(() -> worker.run("log", "--stdin"));
                trainer.write("{\"epoch\": 1, \"val\": {\"acc\": 0.5}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                trainer.flush();
                long deadline = System.nanoTime() + 10_000_000_000L; // the first batch goes out within a second
                while (DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", run)) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                ok(local().run("cancel", "-e", name, "--run", run, "--running")); // the run is taken away
                trainer.write("{\"epoch\": 2, \"val\": {\"acc\": 0.6}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                trainer.close();
                results[i++] = log.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                System.setIn(before);
            }
        }
        assertThat(results[1].code()).as(results[1].toString()).isEqualTo(6).isEqualTo(results[0].code());
        assertThat(results[1].err().replaceAll("@1/[ab]/d[12]/0", "@1/RUN")).isEqualTo(results[0].err().replaceAll("@1/[ab]/d[12]/0", "@1/RUN"))
                .contains("1 line logged before this");
    }

    @Test
    void worker_exit_codes_are_the_databases() throws IOException {
        create();
        // usage (2) before any request: no run given
        sameBothWays("heartbeat");
        sameBothWays("log", "val.acc=1");
        // not found (7)
        sameBothWays("next", "-e", "no-such-experiment");
        sameBothWays("report", "-e", "no-such-experiment");
        sameBothWays("export", "-e", "no-such-experiment", "-o", "json");
        // a usage error the server finds (2)
        sameBothWays("next", "-e", name, "--model", "c");
        // lease lost (6): a token that is not the run's
        String run = name + "@1/a/d1/0";
        sameBothWays("heartbeat", "--run", run, "--token", "stale");
        sameBothWays("log", "--run", run, "--token", "stale", "--epoch", "1", "val.acc=1");
        sameBothWays("end", "--run", run, "--token", "stale", "--status", "failed", "-o", "json");
    }

    @Test
    void a_log_that_early_stopping_prunes_is_exit_10_through_the_server_too() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1]
                models:
                  a: {datasets: [d1], params: {x: [1, 2, 3]}}
                search: {method: grid, early_stopping: {method: asha, min_epochs: 1, eta: 3}}
                """.formatted(name));
        ok(local().run("create", f.toString()));
        Map<String, Object> first = Json.parseObject(ok(remote().run("next", "-e", name, "-o", "json")).out());
        Map<String, Object> second = Json.parseObject(ok(remote().run("next", "-e", name, "-o", "json")).out());
        CliRun ahead = remote().env("TRACKER_RUN", (String) first.get("run")).env("TRACKER_TOKEN", (String) first.get("token"));
        CliRun behind = remote().env("TRACKER_RUN", (String) second.get("run")).env("TRACKER_TOKEN", (String) second.get("token"));
        ok(ahead.run("log", "--epoch", "1", "val.acc=0.9"));
        CliRun.Result pruned = behind.run("log", "--epoch", "1", "val.acc=0.5", "-o", "json");
        assertThat(pruned.code()).as(pruned.toString()).isEqualTo(10);
        assertThat(pruned.err()).contains("pruned at rung epoch 1: 0.500000 against 2 runs").contains("stop training it");
        assertThat(Json.parseObject(pruned.out())).containsEntry("pruned", true);
        CliRun.Result again = behind.run("log", "--epoch", "2", "val.acc=0.6");
        assertThat(again.code()).as("a later log hears it again, not lease lost: " + again).isEqualTo(10);
        CliRun.Result end = behind.run("end", "--status", "completed");
        assertThat(end.code()).as(end.toString()).isZero();
        assertThat(end.err()).contains("was ended pruned by early stopping; it stays pruned");
    }

    @Test
    void nothing_now_and_nothing_left_as_on_the_database() throws IOException {
        create();
        for (int n = 0; n < 4; n++) {
            ok(remote().run("next", "-e", name, "-o", "json", "--worker", "w" + n));
        }
        for (String format : List.of("json", "env", "yaml")) {
            CliRun.Result remote = remote().run("next", "-e", name, "-o", format);
            CliRun.Result local = local().run("next", "-e", name, "-o", format);
            assertThat(remote.code()).as(remote.toString()).isEqualTo(4).isEqualTo(local.code());
            assertThat(remote.out()).isEqualTo(local.out());
            assertThat(remote.err()).startsWith("tracker: nothing claimable now in " + name + "@1: 4 runs in flight");
        }
        long t0 = System.nanoTime();
        CliRun.Result waited = remote().run("next", "-e", name, "--wait", "1s");
        assertThat(waited.code()).as(waited.toString()).isEqualTo(4);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);

        List<Document> running = DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).into(new java.util.ArrayList<>());
        for (Document r : running) {
            ok(remote().run("end", "--run", r.getString("_id"), "--token", r.getString("token"), "--status", "failed"));
        }
        for (String format : List.of("json", "env", "args")) {
            sameBothWays("next", "-e", name, "-o", format);
        }
        assertThat(remote().run("next", "-e", name).code()).isEqualTo(3);
        // ended again the same way: nothing changes (exit 0); another way: a conflict (exit 8)
        Document one = running.get(0);
        sameBothWays("end", "--run", one.getString("_id"), "--token", one.getString("token"), "--status", "failed", "-o", "json");
        sameBothWays("end", "--run", one.getString("_id"), "--token", one.getString("token"), "--status", "completed");
    }

    @Test
    void a_refused_key_is_exit_5_in_one_line_without_the_key() throws IOException {
        create();
        String wrong = "trk_notakey_" + "x".repeat(40);
        CliRun.Result r = remote().env("TRACKER_API_KEY", wrong).run("status", "-e", name);
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.err()).startsWith("tracker: error: the API key was refused by tracker serve at 127.0.0.1:" + server.port())
                .doesNotContain(wrong).hasLineCount(1);
        assertThat(r.out()).isEmpty();

        // a reader key may read, not claim: refused by role, still exit 5 and one line
        CliRun reader = remote().env("TRACKER_API_KEY", readerKey);
        ok(reader.run("status", "-e", name));
        CliRun.Result claim = reader.run("next", "-e", name);
        assertThat(claim.code()).as(claim.toString()).isEqualTo(5);
        assertThat(claim.err()).contains("refused: a reader key may not do this").doesNotContain(readerKey).hasLineCount(1);
    }

    @Test
    void a_server_that_is_down_is_exit_5_in_one_line() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        CliRun.Result r = remote().env("TRACKER_URL", "http://127.0.0.1:" + port).run("next", "-e", "x");
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.err()).isEqualTo("tracker: error: cannot reach tracker serve at 127.0.0.1:" + port
                + " (connection refused); hint: is 'tracker serve' running there? the URL is from TRACKER_URL\n");
        CliRun.Result json = remote().env("TRACKER_URL", "http://127.0.0.1:" + port).run("status", "-e", "x", "-o", "json");
        assertThat(Json.parseObject(json.err().strip())).containsKey("error");
    }

    @Test
    void a_uri_and_a_url_together_are_a_usage_error_naming_both() throws IOException {
        CliRun.Result r = remote().env("TRACKER_URI", DB.uri()).run("status", "-e", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("TRACKER_URI").contains("TRACKER_URL");
        CliRun.Result opt = local().run("status", "-e", "x", "--url", url);
        assertThat(opt.code()).isEqualTo(2);
        assertThat(opt.err()).contains("TRACKER_URI").contains("--url");
        CliRun.Result noKey = CliRun.in(tmp).env("TRACKER_URL", url).run("status", "-e", "x");
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("no API key").contains("TRACKER_API_KEY");
    }

    @Test
    void the_config_file_names_the_url_and_a_file_with_the_key() throws IOException {
        create();
        Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, adminKey + "\n");
        CliRun configured = CliRun.in(tmp);
        configured.config("url: " + url + "\napi_key_file: " + keyFile + "\n");
        same(configured.run("status", "-e", name), local().run("status", "-e", name));

        configured.config("url: " + url + "\napi_key: " + adminKey + "\n");
        CliRun.Result inline = configured.run("status", "-e", name);
        assertThat(inline.code()).isEqualTo(9);
        assertThat(inline.err()).contains("api_key_file").doesNotContain(adminKey);
    }

    @Test
    void sigterm_preempts_a_run_through_the_server_and_the_next_worker_resumes_it_from_its_checkpoint() throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1]
                models:
                  m: {datasets: [d1], params: {mode: [resumable]}}
                runs: {lease: 30s}
                """.formatted(name));
        ok(local().run("create", f.toString()));
        String workerKey = new ApiKeys(db).create(ApiKeys.Role.worker, List.of(name), null, "a worker").secretText();
        Path checkpoints = tmp.resolve("ckpt");
        Process p = new TrackerProcess(tmp, Map.of("TRACKER_URL", url, "TRACKER_API_KEY", workerKey))
                .start("run", "-e", name, "--checkpoint-dir", checkpoints.toString(), "--", TRAINER, "{args}", "--epochs=15");
        try {
            waitFor(() -> {
                Document r = DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).first();
                return r.getString("checkpoint") != null
                        && DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", r.getString("_id"))) >= 3;
            });
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
            CliRun.Result stopped = TrackerProcess.finish(p, java.time.Duration.ofSeconds(30));
            assertThat(stopped.code()).as(stopped.toString()).isEqualTo(143);
            assertThat(stopped.err()).contains("1 preempted").doesNotContain(workerKey);
        } finally {
            p.destroyForcibly();
        }
        Document preempted = DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).first();
        assertThat(preempted.getString("status")).isEqualTo("pending");
        int reached = Integer.parseInt(Files.readString(Path.of(preempted.getString("checkpoint"))).strip());

        CliRun.Result resumed = remote().env("TRACKER_API_KEY", workerKey)
                .run("run", "-e", name, "--checkpoint-dir", checkpoints.toString(), "--", TRAINER, "{args}", "--epochs=15");
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed from epoch " + reached);
        Document done = DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).first();
        assertThat(done.getList("history", Document.class)).extracting(h -> h.getString("how")).containsExactly("preempted", "completed");
    }

    @Test
    void ping_says_which_server_and_key() {
        CliRun.Result r = ok(remote().env("TRACKER_API_KEY", readerKey).run("ping", "-o", "json"));
        Map<String, Object> m = Json.parseObject(r.out());
        assertThat(m).containsEntry("url", url).containsEntry("api", "v1");
        assertThat(((Map<?, ?>) m.get("key")).get("role")).isEqualTo("reader");
        assertThat(r.out()).doesNotContain(readerKey);
    }

    @Test
    void a_self_signed_server_is_trusted_through_its_certificate_only() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Path pem = tmp.resolve("server.pem");
        keytool("-genkeypair", "-alias", "serve", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "secret1", "-keypass", "secret1");
        keytool("-exportcert", "-rfc", "-alias", "serve", "-keystore", keystore.toString(), "-storepass", "secret1", "-file", pem.toString());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret1".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret1".toCharArray());
        HttpServer tls = HttpServer.start("127.0.0.1", 0, io.netty.handler.ssl.SslContextBuilder.forServer(kmf).build(), 2, new Api(db), line -> { });
        try {
            CliRun https = remote().env("TRACKER_URL", "https://127.0.0.1:" + tls.port() + "/");
            CliRun.Result untrusted = https.run("ping");
            assertThat(untrusted.code()).as(untrusted.toString()).isEqualTo(5);
            assertThat(untrusted.err()).startsWith("tracker: error: cannot make a TLS connection to tracker serve at 127.0.0.1:" + tls.port())
                    .contains("TRACKER_CA_FILE").hasLineCount(1);
            CliRun.Result trusted = ok(https.env("TRACKER_CA_FILE", pem.toString()).run("ping", "-o", "json"));
            assertThat(Json.parseObject(trusted.out())).containsEntry("api", "v1");
        } finally {
            tls.close();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void commands_without_an_endpoint_say_they_need_the_database() {
        CliRun.Result r = remote().run("keys", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'tracker keys list' works on the database itself").contains("TRACKER_URL");
    }

    @Test
    void run_through_the_server_finishes_runs_with_their_output_and_command() throws IOException {
        create();
        String workerKey = new ApiKeys(db).create(ApiKeys.Role.worker, List.of(name), null, "a worker").secretText();
        CliRun.Result r = remote().env("TRACKER_API_KEY", workerKey)
                .run("run", "-e", name, "--parallel", "2", "-o", "json", "--", "bash", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> summary = Json.parseObject(r.out());
        assertThat(summary).containsEntry("reason", "nothing_left").containsEntry("runs", 4L);
        List<Document> runs = DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).into(new java.util.ArrayList<>());
        assertThat(runs).hasSize(4).allSatisfy(d -> {
            assertThat(d.getString("status")).isEqualTo("completed");
            assertThat(d.getList("commandLine", String.class)).startsWith("bash", TRAINER);
            assertThat(d.get("output", Document.class).getString("tail")).contains("finished");
        });
        CliRun.Result report = ok(remote().run("report", "-e", name, "-o", "json"));
        assertThat(report.out()).isEqualTo(local().run("report", "-e", name, "-o", "json").out());
    }
}
