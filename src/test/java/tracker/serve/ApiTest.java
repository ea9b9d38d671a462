package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static tracker.serve.TestServer.error;
import static tracker.serve.TestServer.json;
import static tracker.serve.TestServer.show;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;
import tracker.json.Json;
import tracker.store.ApiKeys.Role;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * Every endpoint of the HTTP API (docs/api.md) and its errors, in-process: the server over the
 * test database, a plain HTTP client, and the CLI on the same database to say what each read
 * endpoint must return ({@code tracker CMD -o json}, byte for byte).
 *
 * <p>{@code demo}: mlp and softmax × iris and wine × lr 0.1, 0.01 (8 runs); six are completed
 * with val.acc = 0.5 + (mlp 0.2) + (wine 0.1) + (lr 0.01: 0.05), two stay pending.
 */
class ApiTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    static TestServer api;
    static CliRun cli;
    static String admin;
    static String reader;
    static String worker;

    @BeforeAll
    static void setUp() throws Exception {
        api = new TestServer(DB);
        cli = CliRun.in(tmp).database(DB);
        create("demo", "models:\n  mlp: {datasets: [iris, wine], params: {lr: [0.1, 0.01]}}\n"
                + "  softmax: {datasets: [iris, wine], params: {lr: [0.1, 0.01]}}\nsearch: {method: grid, seed: 1}\n");
        for (String name : List.of("other", "solo", "work", "ops", "lapse", "race", "prio")) {
            String xs = switch (name) {
                case "solo" -> "[1]";
                case "work" -> "[1, 2, 3, 4, 5, 6, 7, 8]";
                case "race" -> "[" + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 64).mapToObj(Integer::toString).toList()) + "]";
                default -> "[1, 2]";
            };
            create(name, "models:\n  m: {datasets: [iris], params: {x: " + xs + "}}\nsearch: {method: grid, seed: 1}\n");
        }
        create("prune", "models:\n  m: {datasets: [iris], params: {x: [1, 2, 3]}}\n"
                + "search: {method: grid, seed: 1, early_stopping: {method: asha, min_epochs: 1, eta: 3}}\n");
        for (int i = 0; i < 6; i++) {
            CliRun.Result next = cli.run("next", "-e", "demo", "-o", "json");
            assertThat(next.code()).as(next.toString()).isZero();
            Map<String, Object> claim = Json.parseObject(next.out());
            @SuppressWarnings("unchecked")
            double lr = ((Number) ((Map<String, Object>) claim.get("params")).get("lr")).doubleValue();
            double acc = 0.5 + (claim.get("model").equals("mlp") ? 0.2 : 0) + (claim.get("dataset").equals("wine") ? 0.1 : 0)
                    + (lr < 0.05 ? 0.05 : 0);
            String run = (String) claim.get("run");
            String token = (String) claim.get("token");
            ok(cli.run("log", "--run", run, "--token", token, "--epoch", "1", "train.loss=0.9", "val.acc=" + (acc - 0.1)));
            ok(cli.run("log", "--run", run, "--token", token, "--epoch", "2", "train.loss=0.5", "val.acc=" + acc, "test.acc=" + (acc - 0.02)));
            ok(cli.run("end", "--run", run, "--token", token, "--status", "completed"));
        }
        admin = api.key(Role.admin);
        reader = api.key(Role.reader);
        worker = api.key(Role.worker);
    }

    @AfterAll
    static void tearDown() {
        if (api != null) {
            api.close();
        }
    }

    static void create(String name, String rest) throws Exception {
        Path def = tmp.resolve(name + ".yaml");
        Files.writeString(def, "name: " + name + "\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [iris, wine]\n" + rest);
        ok(cli.run("create", def.toString()));
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    static HttpResponse<String> status(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(show(r)).isEqualTo(status);
        return r;
    }

    // --- reads: the same bytes as the CLI ---

    @Test
    void health_answers_without_a_key_and_says_nothing_else() {
        HttpResponse<String> r = status(api.get(null, "/api/v1/health"), 200);
        assertThat(json(r)).isEqualTo(Map.of("ok", true));
    }

    @Test
    void the_root_says_which_key_is_calling() {
        String scoped = api.key(Role.reader, "other");
        Map<String, Object> m = json(status(api.get(scoped, "/api/v1"), 200));
        assertThat(m).containsEntry("api", "v1").containsKey("version");
        assertThat(m.get("key")).asString().contains("role=reader").contains("experiments=[other]");
        assertThat(api.get(scoped, "/api/v1").body()).doesNotContain(scoped.substring(17));
    }

    @Test
    void experiments_lists_what_list_prints_and_a_scoped_key_sees_only_its_own() {
        HttpResponse<String> all = status(api.get(reader, "/api/v1/experiments"), 200);
        assertThat(all.body().trim()).isEqualTo(ok(cli.run("list", "-o", "json")).out().trim());
        String scoped = api.key(Role.reader, "other", "solo@1");
        List<?> seen = (List<?>) Json.parse(status(api.get(scoped, "/api/v1/experiments"), 200).body());
        assertThat(seen.stream().map(e -> (Object) ((Map<?, ?>) e).get("id")).toList()).containsExactly("other@1", "solo@1");
    }

    @Test
    void show_status_report_and_export_are_the_commands_output_byte_for_byte() {
        Map<String, List<String>> same = new LinkedHashMap<>();
        same.put("/api/v1/experiments/demo", List.of("show", "demo", "-o", "json"));
        same.put("/api/v1/experiments/demo/status", List.of("status", "-e", "demo", "-o", "json"));
        same.put("/api/v1/experiments/demo/report", List.of("report", "-e", "demo", "-o", "json"));
        same.put("/api/v1/experiments/demo@1/report?view=leaderboard&top=2",
                List.of("report", "-e", "demo@1", "--view", "leaderboard", "--top", "2", "-o", "json"));
        same.put("/api/v1/experiments/demo/report?metric=test.acc&epoch=last",
                List.of("report", "-e", "demo", "--metric", "test.acc", "--epoch", "last", "-o", "json"));
        same.put("/api/v1/experiments/demo/report?view=progress", List.of("report", "-e", "demo", "--view", "progress", "-o", "json"));
        same.put("/api/v1/experiments/demo/report?with=other", List.of("report", "-e", "demo", "-e", "other", "-o", "json"));
        same.put("/api/v1/experiments/demo/report?format=csv", List.of("report", "-e", "demo", "-o", "csv"));
        same.put("/api/v1/experiments/demo/report?format=markdown", List.of("report", "-e", "demo", "-o", "markdown"));
        same.put("/api/v1/experiments/demo/report?format=svg", List.of("report", "-e", "demo", "-o", "svg"));
        same.put("/api/v1/experiments/demo/report?view=curves&dataset=iris&format=svg",
                List.of("report", "-e", "demo", "--view", "curves", "--dataset", "iris", "-o", "svg"));
        same.put("/api/v1/experiments/demo/export", List.of("export", "-e", "demo", "-o", "csv"));
        same.put("/api/v1/experiments/demo/export?epochs=true&wide=1&format=json",
                List.of("export", "-e", "demo", "--epochs", "--wide", "-o", "json"));
        same.put("/api/v1/runs/demo@1/mlp/iris/0", List.of("show", "demo@1/mlp/iris/0", "-o", "json"));
        for (var e : same.entrySet()) {
            HttpResponse<String> r = status(api.get(reader, e.getKey()), 200);
            CliRun.Result c = ok(cli.run(e.getValue().toArray(String[]::new)));
            assertThat(r.body().trim()).as(e.getKey()).isEqualTo(c.out().trim()).isNotEmpty();
            assertThat(r.headers().firstValue("Tracker-Exit-Code")).as(e.getKey()).hasValue("0");
        }
        assertThat(api.get(reader, "/api/v1/experiments/demo/report?format=csv").headers().firstValue("Content-Type"))
                .hasValue("text/csv; charset=utf-8");
        assertThat(api.get(reader, "/api/v1/experiments/demo/report?format=svg").headers().firstValue("Content-Type"))
                .hasValue("image/svg+xml; charset=utf-8");
        assertThat(api.get(reader, "/api/v1/experiments/demo/report").headers().firstValue("Content-Type"))
                .hasValue("application/json; charset=utf-8");
        assertThat(api.get(reader, "/api/v1/experiments/demo/report?format=markdown").body()).contains("| mlp");
    }

    @Test
    void a_runs_epochs() {
        Map<String, Object> m = json(status(api.get(reader, "/api/v1/runs/demo@1/mlp/iris/0/epochs"), 200));
        assertThat(m).containsEntry("run", "demo@1/mlp/iris/0");
        assertThat((List<?>) m.get("epochs")).hasSize(2);
        assertThat(m.get("epochs").toString()).contains("val.acc");
        assertThat(m).containsKey("steps");
        assertThat(error(status(api.get(reader, "/api/v1/runs/demo@1/mlp/iris/99/epochs"), 404))).containsEntry("kind", "not_found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void runs_pages_are_disjoint_and_cover_the_matched_runs_in_the_sorted_order() {
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            Map<String, Object> m = json(status(api.get(reader, "/api/v1/experiments/demo/runs?per_page=3&page=" + page + "&sort=-objective"),
                    200));
            assertThat(m).containsEntry("matched", 8L).containsEntry("offset", (long) (page - 1) * 3).containsEntry("limit", 3L);
            seen.addAll((List<Map<String, Object>>) m.get("runs"));
        }
        List<Object> ids = seen.stream().map(r -> r.get("run")).toList();
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();
        List<Double> objectives = seen.stream().filter(r -> r.get("objective") != null).map(r -> ((Number) r.get("objective")).doubleValue())
                .toList();
        assertThat(objectives).hasSize(6).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(ids.subList(6, 8)).as("runs without an objective come last").allSatisfy(id -> assertThat(
                seen.stream().filter(r -> r.get("run").equals(id)).findFirst().orElseThrow().get("objective")).isNull());
        Map<String, Object> beyond = json(status(api.get(reader, "/api/v1/experiments/demo/runs?per_page=3&page=4"), 200));
        assertThat((List<?>) beyond.get("runs")).isEmpty();
        assertThat(beyond).containsEntry("matched", 8L);

        Map<String, Object> mlp = json(status(api.get(reader, "/api/v1/experiments/demo/runs?where=model%3Dmlp&where=params.lr%3C0.05"), 200));
        assertThat(mlp).containsEntry("matched", 2L);
        assertThat((List<Map<String, Object>>) mlp.get("runs")).extracting(r -> r.get("model")).containsOnly("mlp");
        assertThat(status(api.get(reader, "/api/v1/experiments/demo/runs?per_page=3&page=2&format=csv"), 200).body().trim())
                .isEqualTo(ok(cli.run("report", "-e", "demo", "--view", "runs", "--offset", "3", "--limit", "3", "-o", "csv")).out().trim());

        assertThat(error(status(api.get(reader, "/api/v1/experiments/demo/runs?page=0"), 400)).get("message").toString())
                .contains("'page' must be a whole number from 1");
        assertThat(error(status(api.get(reader, "/api/v1/experiments/demo/runs?per_page=5000"), 400)).get("message").toString())
                .contains("'per_page' must be a whole number from 1 to 1000, not '5000'");
        assertThat(error(status(api.get(reader, "/api/v1/experiments/demo/runs?where=modle%3Dmlp"), 400)).get("message").toString())
                .contains("did you mean 'model'?");
    }

    // --- the worker protocol ---

    @Test
    void a_worker_claims_logs_heartbeats_and_ends_a_run_with_the_clis_meanings() {
        Map<String, Object> claim = json(status(api.post(worker, "/api/v1/experiments/work/next?worker=w1",
                "SLURM_JOB_ID=4242&SLURM_ARRAY_TASK_ID=7&host=node7&git_commit=abc123"), 200));
        assertThat(claim).containsEntry("claimed", true).containsEntry("experiment", "work@1").containsEntry("attempt", 1L);
        String run = (String) claim.get("run");
        String token = (String) claim.get("token");
        String at = "/api/v1/runs/" + run;

        HttpResponse<String> log = status(api.post(worker, at + "/log?token=" + token,
                "starting\n{\"epoch\": 1, \"val\": {\"acc\": 0.6}}\nepoch=2 val.acc=0.8 train.loss=NaN\n"), 200);
        assertThat(json(log)).containsEntry("run", run).containsEntry("lines", 2L).containsEntry("values", 3L).containsEntry("rejected", 0L);
        assertThat(json(status(api.post(worker, at + "/heartbeat?token=" + token), 200))).containsEntry("ok", true);

        HttpResponse<String> end = status(api.post(worker, at + "/end?token=" + token + "&status=completed"), 200);
        assertThat(json(end)).containsEntry("status", "completed").containsEntry("changed", true);
        assertThat(json(status(api.post(worker, at + "/end?token=" + token + "&status=completed"), 200)))
                .as("the same end again is no change, not an error").containsEntry("changed", false);

        HttpResponse<String> other = status(api.post(worker, at + "/end?token=" + token + "&status=failed"), 409);
        assertThat(error(other)).containsEntry("kind", "conflict").containsEntry("code", 8L);
        assertThat(other.headers().firstValue("Tracker-Exit-Code")).hasValue("8");

        HttpResponse<String> stale = status(api.post(worker, at + "/log?token=0123456789abcdef0123456789abcdef", "epoch=3 val.acc=0.9\n"), 409);
        assertThat(error(stale)).containsEntry("kind", "lease_lost").containsEntry("code", 6L);
        assertThat(stale.headers().firstValue("Tracker-Exit-Code")).hasValue("6");
        assertThat(error(status(api.post(worker, at + "/heartbeat?token=0123456789abcdef0123456789abcdef"), 409)))
                .containsEntry("kind", "lease_lost");

        Map<String, Object> epochs = json(status(api.get(reader, at + "/epochs"), 200));
        assertThat(epochs.get("epochs").toString()).contains("val.acc=0.8").doesNotContain("0.9");
        Map<String, Object> shown = json(status(api.get(reader, at), 200));
        assertThat(shown.toString()).contains("worker=w1").contains("via=http").contains("SLURM_JOB_ID=4242")
                .contains("SLURM_ARRAY_TASK_ID=7").contains("node7").contains("abc123");

        assertThat(error(status(api.post(worker, at + "/end?status=completed"), 400)).get("message")).isEqualTo("missing parameter 'token'");
    }

    @Test
    void a_worker_whose_lease_ran_out_is_fenced_off_when_another_has_the_run() throws Exception {
        Map<String, Object> first = json(status(api.post(worker, "/api/v1/experiments/lapse/next?lease=1s&worker=slow"), 200));
        Thread.sleep(1300);
        Map<String, Object> second = json(status(api.post(worker, "/api/v1/experiments/lapse/next?worker=fast"), 200));
        assertThat(second).as("the expired run is claimed again").containsEntry("run", first.get("run")).containsEntry("attempt", 2L);
        String at = "/api/v1/runs/" + first.get("run");
        HttpResponse<String> late = status(api.post(worker, at + "/log?token=" + first.get("token"), "epoch=1 val.acc=0.99\n"), 409);
        assertThat(error(late)).containsEntry("kind", "lease_lost").containsEntry("code", 6L);
        assertThat(error(status(api.post(worker, at + "/end?status=completed&token=" + first.get("token")), 409))).containsEntry("kind",
                "lease_lost");
        status(api.post(worker, at + "/log?token=" + second.get("token"), "epoch=1 val.acc=0.5\n"), 200);
        status(api.post(worker, at + "/end?status=completed&token=" + second.get("token")), 200);
        assertThat(json(api.get(reader, at + "/epochs")).get("epochs").toString()).as("nothing of the late worker's").contains("0.5")
                .doesNotContain("0.99");
    }

    @Test
    void a_log_that_early_stopping_prunes_says_so_with_200_and_exit_code_10() {
        Map<String, Object> a = json(status(api.post(worker, "/api/v1/experiments/prune/next"), 200));
        Map<String, Object> b = json(status(api.post(worker, "/api/v1/experiments/prune/next"), 200));
        String atA = "/api/v1/runs/" + a.get("run");
        String atB = "/api/v1/runs/" + b.get("run");
        HttpResponse<String> ahead = status(api.post(worker, atA + "/log?token=" + a.get("token"), "epoch=1 val.acc=0.9\n"), 200);
        assertThat(json(ahead)).doesNotContainKey("pruned");
        assertThat(ahead.headers().firstValue("Tracker-Exit-Code")).hasValue("0");
        HttpResponse<String> behind = status(api.post(worker, atB + "/log?token=" + b.get("token"), "epoch=1 val.acc=0.5\n"), 200);
        assertThat(json(behind)).containsEntry("pruned", true).containsEntry("lines", 1L);
        assertThat((String) json(behind).get("reason")).startsWith("pruned at rung epoch 1: 0.500000 against 2 runs");
        assertThat(behind.headers().firstValue("Tracker-Exit-Code")).hasValue("10");
        assertThat(behind.body()).as("what a curl loop greps for").contains("\"pruned\":true");
        // The worker's own end afterwards is no conflict; the run stays pruned.
        assertThat(json(status(api.post(worker, atB + "/end?token=" + b.get("token") + "&status=completed"), 200)))
                .containsEntry("status", "pruned").containsEntry("changed", false);
        assertThat(json(status(api.get(reader, atB), 200)).toString()).contains("status=pruned");
    }

    @Test
    void the_status_table_of_docs_api_md_is_the_one_the_server_uses() throws Exception {
        Map<Integer, Integer> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("docs/api.md"))) {
            Matcher m = Pattern.compile("^\\| (\\d+) \\|.*\\| (\\d{3}) [^|]*\\|$").matcher(line);
            if (m.matches()) {
                documented.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        Map<Integer, Integer> used = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            if (c.code < 100) { // 130 and 143 are tracker run's signals, never an API answer
                used.put(c.code, HostedCall.status(c));
            }
        }
        assertThat(documented).isEqualTo(used);
    }

    @Test
    void run_paths_split_before_decoding_so_an_encoded_slash_stays_in_its_segment() {
        assertThat(HttpServer.segments("/api/v1/runs/a%2Fb/c/")).containsExactly("api", "v1", "runs", "a/b", "c");
        assertThat(HttpServer.segments("//api//v1")).containsExactly("api", "v1");
        assertThat(HttpServer.segments("/api/v1/runs/x%40y%201")).containsExactly("api", "v1", "runs", "x@y 1");
    }

    @Test
    void sixteen_clients_claiming_at_once_get_each_run_exactly_once() throws Exception {
        List<String> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        HttpResponse<String> r = api.post(worker, "/api/v1/experiments/race/next");
                        if (r.statusCode() == 410) {
                            return;
                        }
                        if (r.statusCode() == 503) {
                            Thread.sleep(50);
                            continue;
                        }
                        Map<String, Object> claim = json(status(r, 200));
                        claimed.add((String) claim.get("run"));
                        status(api.post(worker, "/api/v1/runs/" + claim.get("run") + "/end?status=completed&token=" + claim.get("token")), 200);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(120_000);
        }
        assertThat(failures).isEmpty();
        assertThat(claimed).hasSize(64).doesNotHaveDuplicates();
        assertThat(json(api.get(reader, "/api/v1/experiments/race")).toString()).contains("completed=64");
    }

    @Test
    void next_as_env_is_what_eval_reads() {
        HttpResponse<String> r = status(api.post(worker, "/api/v1/experiments/work/next?format=env"), 200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).contains("export TRACKER_RUN=work@1/m/").contains("export TRACKER_TOKEN=").contains("export TRACKER_ARGS=--x=");
        String run = r.body().lines().filter(l -> l.startsWith("export TRACKER_RUN=")).findFirst().orElseThrow().substring(19);
        String token = r.body().lines().filter(l -> l.startsWith("export TRACKER_TOKEN=")).findFirst().orElseThrow().substring(21);
        status(api.post(worker, "/api/v1/runs/" + run + "/end?status=completed&token=" + token), 200);

        HttpResponse<String> args = status(api.post(worker, "/api/v1/experiments/work/next", "format=args&worker=w2"), 200);
        assertThat(args.body()).as("a form body works as the query does").startsWith("--run=work@1/m/").contains(" --token=")
                .contains(" --x=");
        String argsRun = args.body().split(" ")[0].substring(6);
        String argsToken = args.body().split(" ")[1].substring(8);
        status(api.post(worker, "/api/v1/runs/" + argsRun + "/end", "status=completed&token=" + argsToken), 200);
        HttpResponse<String> yaml = status(api.post(worker, "/api/v1/experiments/work/next?format=yaml"), 200);
        assertThat(yaml.body()).contains("run: ").contains("token: ");
        String yamlRun = yaml.body().lines().filter(l -> l.startsWith("run: ")).findFirst().orElseThrow().substring(5).replaceAll("[\"']", "");
        String yamlToken = yaml.body().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7).replaceAll("[\"']", "");
        status(api.post(worker, "/api/v1/runs/" + yamlRun + "/end?status=completed&token=" + yamlToken), 200);
        assertThat(error(status(api.post(worker, "/api/v1/experiments/work/next?format=xml"), 400)).get("message").toString()).contains("xml");
    }

    @Test
    void an_empty_queue_is_410_and_one_with_runs_in_flight_503_with_retry_after() {
        Map<String, Object> claim = json(status(api.post(worker, "/api/v1/experiments/solo/next"), 200));
        HttpResponse<String> busy = status(api.post(worker, "/api/v1/experiments/solo/next?format=env"), 503);
        assertThat(error(busy)).containsEntry("kind", "nothing_now").containsEntry("code", 4L);
        assertThat(error(busy).get("message").toString()).contains("1 run in flight");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(busy.headers().firstValue("Tracker-Exit-Code")).hasValue("4");
        assertThat(busy.headers().firstValue("Content-Type")).as("errors are JSON whatever the format asked").hasValue(
                "application/json; charset=utf-8");

        status(api.post(worker, "/api/v1/runs/" + claim.get("run") + "/end?status=completed&token=" + claim.get("token")), 200);
        HttpResponse<String> done = status(api.post(worker, "/api/v1/experiments/solo/next?format=env"), 410);
        assertThat(error(done)).containsEntry("kind", "nothing_left").containsEntry("code", 3L);
        assertThat(done.headers().firstValue("Tracker-Exit-Code")).hasValue("3");
        assertThat(error(status(api.post(worker, "/api/v1/experiments/nosuch/next"), 404))).containsEntry("kind", "not_found")
                .containsEntry("code", 7L);
    }

    @Test
    void a_bad_metric_line_is_422_and_the_good_lines_are_still_logged_as_the_cli_does() {
        Map<String, Object> claim = json(status(api.post(worker, "/api/v1/experiments/work/next"), 200));
        String at = "/api/v1/runs/" + claim.get("run");
        HttpResponse<String> r = status(api.post(worker, at + "/log?token=" + claim.get("token"),
                "epoch=1 val.acc=0.5\nepoch=x val.acc=0.6\nepoch=2 val.acc=0.7\n"), 422);
        Map<String, Object> e = error(r);
        assertThat(e).containsEntry("kind", "invalid").containsEntry("code", 9L);
        assertThat(e.get("message").toString()).contains("1 of 3 metric lines rejected").contains("the other 2 lines");
        assertThat(e.get("message").toString()).contains("(see details)");
        assertThat((List<?>) e.get("details")).as("which line, and why").singleElement().asString().contains("stdin:2").contains("epoch");
        assertThat(json(api.get(reader, at + "/epochs")).get("epochs").toString()).contains("val.acc=0.5").contains("val.acc=0.7");
        status(api.post(worker, at + "/end?status=failed&exit_code=3&message=bad%20data&token=" + claim.get("token")), 200);
        assertThat(json(api.get(reader, at)).toString()).contains("status=failed");
    }

    // --- admin actions ---

    @Test
    void admins_cancel_and_requeue_as_the_commands_do() {
        Map<String, Object> cancelled = json(status(api.post(admin, "/api/v1/experiments/ops/cancel"), 200));
        assertThat(cancelled.toString()).contains("2");
        assertThat(json(api.get(reader, "/api/v1/experiments/ops")).toString()).contains("cancelled=2");
        HttpResponse<String> requeued = status(api.post(admin, "/api/v1/experiments/ops/requeue", "status=cancelled"), 200);
        assertThat(requeued.body()).contains("2");
        assertThat(json(api.get(reader, "/api/v1/experiments/ops")).toString()).contains("pending=2").contains("cancelled=0");
        assertThat(error(status(api.post(admin, "/api/v1/experiments/ops/requeue?status=nonsense"), 400)).get("message").toString())
                .contains("nonsense");
    }

    @Test
    @SuppressWarnings("unchecked")
    void admins_change_priorities_as_the_command_does() {
        Map<String, Object> cells = json(status(api.post(admin, "/api/v1/experiments/prio/priority", "model=m&priority=-4"), 200));
        assertThat(cells).containsEntry("experiment", "prio@1").containsEntry("priority", -4L).containsEntry("unchanged", 0L);
        assertThat(cells.get("changed")).isEqualTo(List.of(Map.of("cell", "m/iris", "from", 0L, "to", -4L)));
        Map<String, Object> run = json(status(api.post(admin, "/api/v1/experiments/prio/priority?run=prio@1/m/iris/1&priority=2"), 200));
        assertThat(run).containsEntry("run", "prio@1/m/iris/1").containsEntry("from", -4L).containsEntry("to", 2L)
                .containsEntry("changed", true);
        assertThat(json(status(api.post(worker, "/api/v1/experiments/prio/next"), 200))).as("the boosted run first")
                .containsEntry("run", "prio@1/m/iris/1");
        assertThat(error(status(api.post(admin, "/api/v1/experiments/prio/priority?run=prio@1/m/iris/1&priority=3"), 409))
                .get("message").toString()).contains("only a pending run can be moved ahead");
        assertThat(error(status(api.post(admin, "/api/v1/experiments/prio/priority?model=m"), 400)).get("message"))
                .isEqualTo("parameter 'priority' is missing");
        assertThat(error(status(api.post(reader, "/api/v1/experiments/prio/priority?priority=1"), 403)).get("message"))
                .isEqualTo("a reader key may not do this");
        assertThat(error(status(api.post(admin, "/api/v1/experiments/prio/priority?model=n&priority=1"), 404)).get("message").toString())
                .contains("no model 'n'");
    }

    @Test
    void create_takes_the_definition_as_the_body_and_errors_name_the_file_as_sent() {
        String yaml = "name: posted\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [d]\n"
                + "models:\n  m: {datasets: [d], params: {x: [1, 2, 3]}}\nsearch: {method: grid, seed: 1}\n";
        Map<String, Object> created = json(status(api.post(admin, "/api/v1/experiments?file=defs/posted.yaml", yaml), 200));
        assertThat(created).containsEntry("id", "posted@1").containsEntry("action", "created").containsEntry("runs", 3L);
        assertThat(json(status(api.post(admin, "/api/v1/experiments", yaml), 200))).as("the same again reconnects")
                .containsEntry("id", "posted@1").containsEntry("newRuns", 0L);

        HttpResponse<String> conflict = status(api.post(admin, "/api/v1/experiments?file=posted.yaml", yaml.replace("3]", "4]")), 409);
        assertThat(error(conflict)).containsEntry("kind", "conflict");
        assertThat(json(status(api.post(admin, "/api/v1/experiments?file=posted.yaml&extend=true&dry_run=true", yaml.replace("3]", "4]")),
                200)).toString()).contains("posted");

        HttpResponse<String> bad = status(api.post(admin, "/api/v1/experiments?file=defs/broken.yaml", yaml.replace("[1, 2, 3]", "[1, ")), 422);
        String message = error(bad).get("message").toString();
        assertThat(message).startsWith("defs/broken.yaml:5:").doesNotContain("tracker-serve-create").doesNotContain(tmpDir());
        assertThat(error(status(api.post(admin, "/api/v1/experiments", "name: [\n"), 422)).get("message").toString())
                .startsWith("definition.yaml:");
        HttpResponse<String> odd = status(api.post(admin, "/api/v1/experiments?file=we%22ird%5C%22%2C%22x.yaml", "name: [\n"), 422);
        assertThat(error(odd).get("message").toString()).as("a name with quotes stays inside its JSON string")
                .startsWith("we\"ird\\\",\"x.yaml:");
        assertThat(error(odd)).containsOnlyKeys("code", "kind", "message", "hint");

        // include: would read the server's files on a client's say: refused, with what to do instead.
        HttpResponse<String> including = status(api.post(admin, "/api/v1/experiments?file=inc.yaml", yaml + "include: /etc/passwd\n"), 422);
        assertThat(error(including).get("message").toString()).startsWith("inc.yaml:7:1: include: names files next to the definition")
                .contains("'tracker create FILE' in remote mode");
    }

    private static String tmpDir() {
        return System.getProperty("java.io.tmpdir");
    }

    // --- what is not there ---

    @Test
    void an_unknown_parameter_is_400_listing_the_ones_the_endpoint_takes() {
        Map<String, Object> e = error(status(api.get(reader, "/api/v1/experiments/demo/report?metrc=test.acc"), 400));
        assertThat(e).containsEntry("kind", "usage").containsEntry("code", 2L).containsEntry("message", "unknown parameter 'metrc'");
        assertThat(e.get("hint").toString()).contains("metric").contains("view").contains("format");
        assertThat(error(status(api.get(reader, "/api/v1/experiments?x=1"), 400)).get("hint")).isEqualTo("this endpoint takes no parameters");
        assertThat(error(status(api.get(reader, "/api/v1/experiments/demo/report?diff=maybe"), 400)).get("message"))
                .isEqualTo("parameter 'diff' is true or false, not 'maybe'");
        assertThat(error(status(api.get(reader, "/api/v1/experiments/demo/report?view=nonsense"), 400)).get("message").toString())
                .contains("nonsense");
    }

    @Test
    void unknown_paths_are_404_and_experiments_and_runs_that_do_not_exist_too() {
        for (String path : List.of("/api/v1/nothing", "/api/v2/experiments", "/api", "/api/v1/experiments/demo/nothing",
                "/api/v1/experiments/demo/report/more", "/api/v1/runs/demo@1", "/api/v1/runs/demo@1/mlp/iris/0/nothing")) {
            HttpResponse<String> r = status(api.get(reader, path), 404);
            assertThat(error(r)).as(path).containsEntry("kind", "not_found").containsEntry("code", 7L);
        }
        assertThat(error(status(api.get(reader, "/api/v1/experiments/nosuch/report"), 404)).get("message").toString()).contains("nosuch");
        assertThat(error(status(api.get(reader, "/api/v1/runs/demo@1/mlp/iris/42"), 404)).get("message").toString()).contains("42");
    }

    @Test
    void a_malformed_url_or_form_body_is_400_not_a_dropped_connection() throws Exception {
        for (String target : List.of("/api/v1/experiments?x=%zz", "/api/v1/%E0%A4%A/report", "/api/v1/experiments/demo?metric=%")) {
            try (Socket s = new Socket("127.0.0.1", api.server.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reply).as(target).startsWith("HTTP/1.1 400 ").contains("\"kind\":\"usage\"").contains("malformed URL");
            }
        }
        HttpResponse<String> form = status(api.send(api.request(worker, "/api/v1/experiments/work/next")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("format=%zz"))), 400);
        assertThat(error(form).get("message").toString()).startsWith("malformed form body");
    }

    @Test
    void a_body_over_16_mib_is_413_with_the_json_error_and_the_connection_still_serves() {
        byte[] big = new byte[HttpServer.MAX_BODY + 1];
        java.util.Arrays.fill(big, (byte) '\n');
        HttpResponse<String> r = status(api.send(api.request(worker, "/api/v1/runs/work@1/m/iris/0/log?token=x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))), 413);
        assertThat(error(r)).containsEntry("kind", "usage").containsEntry("message", "the request body is larger than 16 MiB");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(api.log).anyMatch(l -> l.contains("POST /api/v1/runs/work@1/m/iris/0/log 413"));
        status(api.get(reader, "/api/v1/experiments"), 200);
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        Map<String, String> cases = Map.of(
                "DELETE /api/v1/experiments/demo/report", "GET",
                "GET /api/v1/experiments/demo/next", "POST",
                "PUT /api/v1/runs/demo@1/mlp/iris/0/log", "POST",
                "POST /api/v1/health", "GET",
                "POST /api/v1/experiments/demo", "GET");
        Set<String> done = new HashSet<>();
        cases.forEach((request, allow) -> {
            String[] mp = request.split(" ");
            HttpResponse<String> r = status(api.send(admin, mp[0], mp[1]), 405);
            assertThat(r.headers().firstValue("Allow")).as(request).hasValue(allow);
            assertThat(error(r)).as(request).containsEntry("kind", "usage");
            done.add(request);
        });
        assertThat(done).hasSize(5);
        assertThat(status(api.send(admin, "HEAD", "/api/v1/experiments/demo/report"), 200).headers().firstValue("Tracker-Exit-Code"))
                .hasValue("0");
    }
}
