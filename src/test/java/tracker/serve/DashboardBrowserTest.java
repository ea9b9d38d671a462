package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import tracker.config.Settings;
import tracker.json.Json;
import tracker.report.Numbers;
import tracker.store.Database;
import tracker.testing.Browser;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * The dashboard in a real headless Chromium against {@code tracker serve}'s API, in-process on the
 * test database: what it shows is compared with what the CLI's {@code -o json} says, and every page
 * must load without a console error (which is also how a Content-Security-Policy violation shows).
 * The tests share one experiment and run in order: the last ones change it (a worker ends a run,
 * an admin requeues).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    @RegisterExtension
    static final Browser BROWSER = new Browser();

    static final String SCRIPT_TAG = "<script>window.__xss=1</script>";
    static final String IMG_TAG = "\"><img src=x onerror=window.__xss=1>";
    static final String EXPERIMENT = "dash@1";

    @TempDir
    static Path home;
    static CliRun cli;
    static Database db;
    static HttpServer server;
    static String base;
    static String readerKey;
    static String adminKey;
    /** A run left running for the live-progress test, and its token. */
    static String inFlight;
    static String inFlightToken;
    static String failedRun;
    static String notedRun;

    @BeforeAll
    static void experiment() throws Exception {
        cli = CliRun.in(home).database(DB);
        Path file = home.resolve("dash.yaml");
        Files.writeString(file, """
                name: dash
                description: the dashboard's browser test
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [iris, wine]
                models:
                  mlp:
                    datasets: [iris, wine]
                    params:
                      lr: [0.1, 0.01]
                      act: ['%s', '%s']
                  tree:
                    datasets: [iris, wine]
                    params:
                      depth: [2, 4]
                search: {method: grid, replicates: 2, seed: 1}
                runs: {lease: 10m, max_attempts: 2}
                command: echo {args}
                """.formatted(SCRIPT_TAG, IMG_TAG.replace("'", "''")));
        ok(cli.run("create", file.toString()));
        readerKey = key("reader");
        adminKey = key("admin");
        db = Database.open(Settings.resolve(DB.uri(), DB.name(), Map.of()), Map.of());
        server = HttpServer.start("127.0.0.1", 0, null, 8, new Api(db), line -> { });
        base = "http://127.0.0.1:" + server.port() + "/";
        // mlp: 8 runs a cell (4 settings x 2 replicates), tree: 4; finish some, leave the rest to do
        finish("mlp", "iris", 6, 0);
        finish("mlp", "wine", 3, 0);
        finish("tree", "iris", 4, 0);
        finish("tree", "wine", 2, 1);
        Map<String, Object> claim = claim("mlp", "iris");
        inFlight = (String) claim.get("run");
        inFlightToken = (String) claim.get("token");
        ok(cli.run("log", "--run", inFlight, "--token", inFlightToken, "--epoch", "1", "val.acc=0.5", "train.acc=0.5"));
        notedRun = EXPERIMENT + "/mlp/iris/0";
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

    @AfterEach
    void noConsoleErrorsAndNoLeakedPlaceholders() {
        assertThat(BROWSER.consoleErrors()).as("errors in the browser's console").isEmpty();
        // a value the page forgot to handle shows as JavaScript's words for nothing
        assertThat(BROWSER.driver().findElement(By.tagName("body")).getText()).doesNotContainPattern("\\b(null|undefined|NaN)\\b");
    }

    @Test
    @Order(10)
    void a_wrong_key_brings_back_the_sign_in_with_the_servers_message() {
        BROWSER.open(base);
        signIn("trk_nosuchkey_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        WebElement message = BROWSER.await("#signin-message");
        assertThat(message.getText()).isNotBlank();
        assertThat(BROWSER.all("#role")).isEmpty();
        // the refused request itself is the one console error the browser reports here
        assertThat(BROWSER.consoleErrors()).allMatch(e -> e.contains("401"));
    }

    @Test
    @Order(20)
    void the_experiments_list_shows_each_experiments_runs_by_status() {
        signInAs(readerKey);
        assertThat(BROWSER.await("#role").getText()).isEqualTo("reader");
        WebElement row = BROWSER.await("tr[data-experiment='" + EXPERIMENT + "']");
        Map<String, Object> listed = (Map<String, Object>) ((List<?>) Json.parse(ok(cli.run("list", "-o", "json")))).get(0);
        Map<String, Object> counts = (Map<String, Object>) listed.get("counts");
        for (String status : List.of("pending", "running", "completed", "failed", "cancelled")) {
            assertThat(row.findElement(By.cssSelector("td[data-status='" + status + "']")).getText())
                    .as(status).isEqualTo(String.valueOf(counts.get(status)));
        }
        assertThat(row.findElements(By.cssSelector(".bar .seg"))).hasSize(4); // completed, failed, running, pending
        BROWSER.screenshot("dashboard-experiments");
    }

    @Test
    @Order(30)
    void the_matrix_shows_the_numbers_and_marks_of_report_json() throws Exception {
        signInAs(readerKey);
        for (String metric : new String[] {null, "test.loss"}) {
            BROWSER.open(base + "#/e/" + EXPERIMENT + (metric == null ? "" : "?metric=" + metric));
            List<String> args = new ArrayList<>(List.of("report", "-e", EXPERIMENT, "-o", "json"));
            if (metric != null) {
                args.addAll(List.of("--metric", metric));
            }
            Map<String, Object> report = Json.parseObject(ok(cli.run(args.toArray(String[]::new))));
            BROWSER.await("#matrix td.cell");
            BROWSER.until(Duration.ofSeconds(10), "the matrix shows " + report.get("shows"),
                    () -> BROWSER.await("#shows").getText().equals(report.get("shows")));
            List<Map<String, Object>> cells = (List<Map<String, Object>>) report.get("cells");
            // read in one script: the live page redraws cells while we look, so look all at once
            Map<String, Map<String, Object>> shown = new LinkedHashMap<>();
            for (Object o : (List<?>) BROWSER.script("""
                    return [...document.querySelectorAll('#matrix td.cell')].map(td => ({
                      key: td.dataset.model + '/' + td.dataset.dataset, value: td.querySelector('.value').textContent,
                      done: td.dataset.done, total: td.dataset.total, text: td.innerText,
                      doneShown: [...td.querySelectorAll('.done')].some(e => e.offsetParent !== null),
                      heat: td.style.backgroundColor }))""")) {
                Map<String, Object> m = (Map<String, Object>) o;
                shown.put((String) m.get("key"), m);
            }
            assertThat(shown).hasSameSizeAs(cells);
            for (Map<String, Object> c : cells) {
                Map<String, Object> td = shown.get(c.get("model") + "/" + c.get("dataset"));
                assertThat(td).as("a cell for %s", c).isNotNull();
                assertThat(td.get("value")).as("%s", c).isEqualTo(expectedText(c));
                assertThat(td.get("done")).isEqualTo(String.valueOf(c.get("done")));
                assertThat(td.get("total")).isEqualTo(String.valueOf(c.get("total")));
                boolean incomplete = ((Number) c.get("done")).intValue() < ((Number) c.get("total")).intValue();
                assertThat(td.get("doneShown")).as("done/total shown for an incomplete cell: %s", c).isEqualTo(incomplete);
                if (incomplete) {
                    assertThat((String) td.get("text")).contains(c.get("done") + "/" + c.get("total"));
                }
                assertThat((String) td.get("heat")).as("heat colour of %s", c).matches(c.get("mean") == null ? "" : "rgb\\(.*\\)");
            }
            assertThat(BROWSER.await("#legend").getText()).contains("best on the dataset");
        }
        BROWSER.screenshot("dashboard-experiment");
    }

    @Test
    @Order(40)
    void a_run_page_draws_its_curves_from_the_runs_epochs() {
        signInAs(readerKey);
        String run = EXPERIMENT + "/tree/iris/1";
        BROWSER.open(base + "#/r/" + java.net.URLEncoder.encode(run, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> shown = Json.parseObject(ok(cli.run("show", run, "-o", "json")));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) shown.get("epochs");
        // per metric name: the phases that logged it and how many values they logged
        Map<String, int[]> expected = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> phases = new LinkedHashMap<>();
        for (Map<String, Object> e : epochs) {
            for (var col : e.entrySet()) {
                if (!col.getKey().contains(".")) {
                    continue;
                }
                String metric = col.getKey().substring(col.getKey().indexOf('.') + 1);
                phases.computeIfAbsent(metric, m -> new java.util.HashSet<>()).add(col.getKey());
                expected.computeIfAbsent(metric, m -> new int[1])[0] += col.getValue() instanceof Number ? 1 : 0;
            }
        }
        BROWSER.until(Duration.ofSeconds(10), "every chart drawn",
                () -> BROWSER.all("#charts .chart canvas").size() == expected.size());
        for (var metric : expected.entrySet()) {
            WebElement chart = BROWSER.driver().findElement(By.cssSelector("#charts .chart[data-title='" + metric.getKey() + "']"));
            assertThat(chart.getAttribute("data-series")).as(metric.getKey()).isEqualTo(String.valueOf(phases.get(metric.getKey()).size()));
            assertThat(chart.getAttribute("data-points")).as(metric.getKey()).isEqualTo(String.valueOf(metric.getValue()[0]));
        }
        assertThat(BROWSER.await("#run-status").getText()).isEqualTo("completed");
        assertThat(BROWSER.await("#params").getText()).contains("depth");
        assertThat(BROWSER.await("#history").getText()).contains("completed");
        assertThat(BROWSER.await("#provenance").getText()).contains("worker");
        BROWSER.screenshot("dashboard-run");
    }

    @Test
    @Order(50)
    void the_runs_table_pages_and_sorts_on_the_server_and_checked_runs_are_compared() {
        signInAs(readerKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        // it starts on the first cell with a value (all runs of a large experiment are slow to read), then all of them
        BROWSER.until(Duration.ofSeconds(10), "mlp on iris", () -> "8".equals(BROWSER.await("#runs").getAttribute("data-matched")));
        assertThat(BROWSER.all("#runs tbody tr[data-run]")).allMatch(r -> r.getAttribute("data-run").startsWith(EXPERIMENT + "/mlp/iris/"));
        new Select(BROWSER.await("#runs-model")).selectByValue("");
        new Select(BROWSER.await("#runs-dataset")).selectByValue("");
        BROWSER.until(Duration.ofSeconds(10), "every run", () -> "24".equals(BROWSER.await("#runs").getAttribute("data-matched")));
        new Select(BROWSER.await("#runs-per-page")).selectByValue("10");
        BROWSER.until(Duration.ofSeconds(10), "pages of 10", () -> BROWSER.all("#runs tbody tr[data-run]").size() == 10);
        assertThat(BROWSER.await("#runs-page").getText()).startsWith("page 1 of 3");
        BROWSER.await("#runs-next").click();
        BROWSER.until(Duration.ofSeconds(10), "page 2", () -> BROWSER.await("#runs-page").getText().startsWith("page 2 of 3"));
        Map<String, Object> second = Json.parseObject(ok(cli.run("report", "-e", EXPERIMENT, "--view", "runs", "--offset", "10", "--limit", "10",
                "-o", "json")));
        assertThat(BROWSER.all("#runs tbody tr[data-run]").stream().map(r -> r.getAttribute("data-run")).toList())
                .isEqualTo(((List<Map<String, Object>>) second.get("runs")).stream().map(r -> (String) r.get("run")).toList());
        new Select(BROWSER.await("#runs-status")).selectByValue("completed");
        Map<String, Object> best = Json.parseObject(ok(cli.run("report", "-e", EXPERIMENT, "--view", "runs", "--where", "status=completed",
                "--sort", "-objective", "--limit", "10", "-o", "json"))); // the table keeps its pages of 10
        BROWSER.until(Duration.ofSeconds(10), "only completed runs",
                () -> String.valueOf(best.get("matched")).equals(BROWSER.await("#runs").getAttribute("data-matched")));
        BROWSER.await("#runs th[data-sort='objective']").click(); // descending first
        BROWSER.until(Duration.ofSeconds(10), "sorted", () -> BROWSER.await("#runs th[data-sort='objective']").getText().endsWith("▼"));
        List<String> expectedOrder = ((List<Map<String, Object>>) best.get("runs")).stream().map(r -> (String) r.get("run")).toList();
        assertThat(BROWSER.all("#runs tbody tr[data-run]").stream().map(r -> r.getAttribute("data-run")).toList()).isEqualTo(expectedOrder);
        List<WebElement> picks = BROWSER.all("#runs tbody input.pick");
        picks.get(0).click();
        picks.get(1).click();
        BROWSER.await("#compare").click();
        BROWSER.until(Duration.ofSeconds(10), "the overlay drawn", () -> !BROWSER.all("#compare-chart .chart canvas").isEmpty());
        WebElement chart = BROWSER.await("#compare-chart .chart");
        assertThat(chart.getAttribute("data-series")).isEqualTo("2");
        assertThat(chart.getAttribute("data-title")).isEqualTo("val.acc");
        assertThat(chart.getAttribute("data-points")).isEqualTo("6"); // 3 epochs each
        assertThat(BROWSER.all("#compare-runs tbody tr")).hasSize(2);
        BROWSER.screenshot("dashboard-compare");
    }

    @Test
    @Order(55)
    void an_api_error_is_shown_with_its_message_and_hint() {
        signInAs(readerKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        BROWSER.await("#runs tbody tr[data-run]");
        BROWSER.await("#runs-where").sendKeys("params.nope<1");
        BROWSER.await("#runs-filters button[type=submit]").click();
        WebElement error = BROWSER.await("#error");
        assertThat(error.getText()).contains("unknown field 'params.nope'", "fields: run, model", "see 'tracker report --help'");
        // the refused request is the console's one error here
        assertThat(BROWSER.consoleErrors()).isNotEmpty().allMatch(e -> e.contains("400"));
    }

    @Test
    @Order(60)
    void parallel_coordinates_draw_a_line_per_completed_run_of_the_cell() {
        signInAs(readerKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        BROWSER.await("#matrix td.cell[data-model='mlp'][data-dataset='wine']").click();
        BROWSER.until(Duration.ofSeconds(10), "mlp on wine drawn", () -> BROWSER.all("#parcoords polyline").size() == 3);
        BROWSER.until(Duration.ofSeconds(10), "the runs of mlp on wine", () -> "8".equals(BROWSER.await("#runs").getAttribute("data-matched")));
        assertThat(BROWSER.await("#parcoords").getAttribute("data-axes")).isEqualTo("3"); // act, lr, the objective
        assertThat(BROWSER.await("#parcoords svg").getAttribute("textContent")).contains("act", "lr", "val.acc");
        BROWSER.screenshot("dashboard-parcoords");
    }

    @Test
    @Order(70)
    void markup_in_parameters_notes_tags_and_messages_is_shown_as_text() throws Exception {
        Map<String, Object> claim = claim("tree", "wine");
        String run = (String) claim.get("run");
        ok(cli.run("log", "--run", run, "--token", (String) claim.get("token"), "--note", SCRIPT_TAG, "--tag", "javascript:x",
                "--artifact", "model=javascript:window.__xss=1", "--epoch", "1", "val.acc=0.1"));
        ok(cli.run("log", "--run", run, "--token", (String) claim.get("token"), "--note", IMG_TAG));
        ok(cli.run("end", "--run", run, "--token", (String) claim.get("token"), "--status", "failed", "-m", IMG_TAG));
        signInAs(readerKey);
        BROWSER.open(base + "#/r/" + java.net.URLEncoder.encode(run, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(BROWSER.await("#notes").getText()).contains(SCRIPT_TAG, IMG_TAG, "javascript:x");
        assertThat(BROWSER.await("#run-message").getText()).isEqualTo(IMG_TAG);
        assertThat(BROWSER.await("#artifacts").getText()).contains("javascript:window.__xss=1");
        assertThat(BROWSER.all("#artifacts a, #notes a, #notes img, #notes script")).isEmpty();
        assertThat(BROWSER.script("return window.__xss")).isNull();
        BROWSER.open(base + "#/r/" + java.net.URLEncoder.encode(notedRun, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(BROWSER.await("#params").getText()).containsAnyOf(SCRIPT_TAG, IMG_TAG);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        BROWSER.await("#leaderboard tbody tr");
        BROWSER.await("#runs tbody tr[data-run]");
        assertThat(BROWSER.await("#leaderboard").getText()).contains(SCRIPT_TAG);
        assertThat(BROWSER.await("#runs").getText()).contains(SCRIPT_TAG);
        BROWSER.await("#matrix td.cell[data-model='mlp'][data-dataset='iris']").click();
        BROWSER.until(Duration.ofSeconds(10), "mlp on iris drawn, its parameter values as text",
                () -> BROWSER.await("#parcoords svg").getAttribute("textContent").contains(SCRIPT_TAG));
        assertThat(BROWSER.all("img, #app script")).isEmpty();
        assertThat(BROWSER.script("return window.__xss")).isNull();
        failedRun = run;
    }

    @Test
    @Order(80)
    void a_cells_progress_changes_live_while_a_worker_ends_its_run() {
        signInAs(readerKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        String cell = "#matrix td.cell[data-model='mlp'][data-dataset='iris']";
        BROWSER.until(Duration.ofSeconds(10), "the cell's progress", () -> "6".equals(BROWSER.await(cell).getAttribute("data-done"))
                && "1".equals(BROWSER.await(cell).getAttribute("data-running")));
        String before = BROWSER.await(cell + " .value").getText();
        for (int epoch = 1; epoch <= 3; epoch++) {
            ok(cli.run("log", "--run", inFlight, "--token", inFlightToken, "--epoch", String.valueOf(epoch), "val.acc=0.99", "train.acc=0.99"));
        }
        ok(cli.run("end", "--run", inFlight, "--token", inFlightToken, "--status", "completed"));
        BROWSER.until(Duration.ofSeconds(15), "the cell shows the finished run without a reload",
                () -> "7".equals(BROWSER.await(cell).getAttribute("data-done")) && "0".equals(BROWSER.await(cell).getAttribute("data-running")));
        Map<String, Object> report = Json.parseObject(ok(cli.run("report", "-e", EXPERIMENT, "-o", "json")));
        Map<String, Object> c = ((List<Map<String, Object>>) report.get("cells")).stream()
                .filter(x -> x.get("model").equals("mlp") && x.get("dataset").equals("iris")).findFirst().orElseThrow();
        BROWSER.until(Duration.ofSeconds(15), "the cell's new value", () -> BROWSER.await(cell + " .value").getText().equals(expectedText(c)));
        assertThat(expectedText(c)).isNotEqualTo(before); // the run's 0.99 is the cell's new best
    }

    @Test
    @Order(90)
    void a_reader_sees_no_admin_buttons() {
        signInAs(readerKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        BROWSER.await("#matrix td.cell");
        BROWSER.await("#runs tbody tr[data-run]");
        assertThat(BROWSER.all("#admin, #requeue, #cancel")).isEmpty();
        BROWSER.open(base + "#/r/" + java.net.URLEncoder.encode(failedRun, java.nio.charset.StandardCharsets.UTF_8));
        BROWSER.await("#run-status");
        assertThat(BROWSER.all("#admin, #requeue-run, #cancel-run")).isEmpty();
    }

    @Test
    @Order(100)
    void an_admin_requeues_the_failed_runs_of_a_cell_after_confirming() throws Exception {
        signInAs(adminKey);
        BROWSER.open(base + "#/e/" + EXPERIMENT);
        assertThat(BROWSER.await("#role").getText()).isEqualTo("admin");
        new Select(BROWSER.await("#admin-model")).selectByValue("tree");
        new Select(BROWSER.await("#admin-dataset")).selectByValue("wine");
        BROWSER.await("#requeue").click();
        assertThat(BROWSER.driver().switchTo().alert().getText()).contains("tree on wine");
        BROWSER.driver().switchTo().alert().accept();
        BROWSER.until(Duration.ofSeconds(10), "the answer", () -> BROWSER.await("#admin-result").getText().equals("requeued 2 runs"));
        Map<String, Object> failed = Json.parseObject(ok(cli.run("report", "-e", EXPERIMENT, "--view", "runs", "--where", "status=failed",
                "-o", "json")));
        assertThat(((Number) failed.get("matched")).intValue()).isZero();
        assertThat(BROWSER.script("return window.__xss")).isNull();
        BROWSER.screenshot("dashboard-admin");
    }

    @Test
    @Order(110)
    void a_pruned_run_is_shown_done_in_its_own_colour_and_requeued_from_its_page_by_name() throws Exception {
        Map<String, Object> claim = claim("mlp", "wine");
        String run = (String) claim.get("run");
        post("runs/" + run + "/log?token=" + claim.get("token"), "epoch=1 val.acc=0.2\n");
        post("runs/" + run + "/end", "token=" + claim.get("token") + "&status=pruned");
        signInAs(adminKey);
        BROWSER.open(base + "#/");
        WebElement row = BROWSER.await("tr[data-experiment='" + EXPERIMENT + "']");
        Map<String, Object> listed = (Map<String, Object>) ((List<?>) Json.parse(ok(cli.run("list", "-o", "json")))).get(0);
        assertThat(((Map<String, Object>) listed.get("counts")).get("pruned")).isEqualTo(1L);
        assertThat(row.findElement(By.cssSelector("td[data-status='pruned']")).getText()).isEqualTo("1");
        assertThat(row.findElements(By.cssSelector(".bar .seg.pruned"))).hasSize(1);

        BROWSER.open(base + "#/e/" + EXPERIMENT);
        BROWSER.until(Duration.ofSeconds(10), "the overall progress", () -> BROWSER.await("#overall-progress").getText().contains("1 pruned"));
        String cell = "#matrix td.cell[data-model='mlp'][data-dataset='wine']";
        BROWSER.until(Duration.ofSeconds(10), "the cell counts it done", () -> "4".equals(BROWSER.await(cell).getAttribute("data-done")));

        BROWSER.open(base + "#/r/" + java.net.URLEncoder.encode(run, java.nio.charset.StandardCharsets.UTF_8));
        BROWSER.await("#requeue-run").click();
        BROWSER.driver().switchTo().alert().accept();
        BROWSER.until(Duration.ofSeconds(10), "the run back in the queue", () -> BROWSER.await("#run-status").getText().contains("pending"));
        assertThat(((Map<String, Object>) Json.parseObject(ok(cli.run("status", "-e", EXPERIMENT, "-o", "json"))).get("counts")))
                .containsEntry("pruned", 0L);
    }

    // --- the experiment's runs, as a worker makes them -------------------------------------------

    /**
     * Claims {@code n} runs of the cell and ends them: the last {@code failed} as failed, the others
     * completed after three epochs. Through the API, as a curl worker would (one request per step,
     * on the server's open connection: quicker than a CLI command each).
     */
    static void finish(String model, String dataset, int n, int failed) throws Exception {
        for (int i = 0; i < n; i++) {
            Map<String, Object> claim = claim(model, dataset);
            String run = (String) claim.get("run");
            String token = (String) claim.get("token");
            int trial = ((Number) claim.get("trial")).intValue();
            int replicate = ((Number) claim.get("replicate")).intValue();
            if (i >= n - failed) {
                post("runs/" + run + "/end", "token=" + token + "&status=failed&exit_code=1");
                continue;
            }
            // values with every kind of rounding the report has: three decimals, halves, tiny and large losses
            double top = 0.5 + 0.0625 * trial + 0.03125 * replicate + (dataset.equals("wine") ? 0.0005 : 0) + (model.equals("tree") ? 0.1235 : 0);
            StringBuilder lines = new StringBuilder();
            for (int epoch = 1; epoch <= 3; epoch++) {
                double acc = top - 0.1 * (3 - epoch);
                lines.append("epoch=").append(epoch).append(" train.acc=").append(acc + 0.05).append(" val.acc=").append(acc)
                        .append(" test.acc=").append(acc - 0.02).append(" train.loss=").append(1.5 - acc)
                        .append(" test.loss=").append(model.equals("tree") ? 1234.5 * epoch + trial : 0.0005 * (4 - epoch) + 0.0001 * replicate)
                        .append('\n');
            }
            post("runs/" + run + "/log?token=" + token, lines.toString());
            post("runs/" + run + "/end", "token=" + token + "&status=completed");
        }
    }

    static Map<String, Object> claim(String model, String dataset) throws Exception {
        return post("experiments/" + EXPERIMENT + "/next", "model=" + model + "&dataset=" + dataset);
    }

    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    static Map<String, Object> post(String path, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/v1/" + path))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", path.contains("/log") ? "text/plain" : "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        var response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
        return Json.parseObject(response.body());
    }

    static String key(String role) {
        return (String) Json.parseObject(ok(cli.run("keys", "create", "--role", role, "-o", "json"))).get("key");
    }

    static String ok(CliRun.Result r) {
        assertThat(r.code()).as("%s", r).isZero();
        return r.out();
    }

    /** What a matrix cell reads: the report's numbers as the terminal table writes them, and its mark. */
    static String expectedText(Map<String, Object> c) {
        if (c.get("mean") == null) {
            int failed = ((Number) c.get("failed")).intValue();
            return failed > 0 && failed == ((Number) c.get("done")).intValue() ? "failed" : "-";
        }
        String text = Numbers.meanStd(((Number) c.get("mean")).doubleValue(), ((Number) c.get("std")).doubleValue(),
                ((Number) c.get("n")).intValue());
        return text + (Boolean.TRUE.equals(c.get("best")) ? " *" : "not_worse".equals(c.get("verdict")) ? " ~" : "");
    }

    // --- signing in ----------------------------------------------------------------------------

    static String signedIn;

    static void signInAs(String key) {
        if (key.equals(signedIn)) {
            return; // the tab keeps its key (sessionStorage) from one test to the next
        }
        // whoever is signed in signs out, as a person would: once the page has its answers (no request left to refuse)
        BROWSER.open(base + "#/");
        BROWSER.until(Duration.ofSeconds(10), "the sign-in or the experiments",
                () -> !BROWSER.all("#api-key").isEmpty() || !BROWSER.all("tr[data-experiment]").isEmpty());
        if (BROWSER.all("#api-key").isEmpty()) {
            BROWSER.await("#sign-out").click();
        }
        signIn(key);
        BROWSER.await("#role");
        signedIn = key;
    }

    static void signIn(String key) {
        signedIn = null;
        WebElement input = BROWSER.await("#api-key");
        input.sendKeys(key);
        BROWSER.await("#signin button[type=submit]").click();
    }
}
