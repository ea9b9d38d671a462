package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.report.LatexStructure;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * Every report view in every format on two synthetic experiments whose right answers are worked
 * out by hand below, compared with src/test/resources/golden/report/. After a deliberate change,
 * {@code mvn test -Dtest=GoldenReportTest -Dgolden.update=true} rewrites the files; review the diff.
 *
 * <p>{@code gold} (maximize val.acc, 2 replicates; values are binary fractions, so ties are exact):
 * <pre>
 *            digits              iris                 mnist            wine
 * mlp        t0 .875 .75  = .8125  t0 .9375 NaN = .9375 (n=1)  running + 3 pending  t1 .625 .75 = .6875
 *            t1 .5 .625  = .5625   t1 .875 .9375 = .90625                          t0 .25 .375 = .3125
 * softmax    t0 .8125 x2 = .8125   t0 failed x2                 (not planned)    t0 .75, completed without value
 *            t1 .25 x2    = .25    t1 .5, running = .5 (3/4)                     t1 2 pending        (2/4)
 * tree       t0 .5 .75   = .625    t0 .9375 x2 = .9375          failed x2        t0 .125 .25 = .1875
 * best       mlp = softmax .8125   mlp = tree .9375             -                softmax .75
 * ranks      mlp 1.5 softmax 1.5 tree 3 | mlp 1.5 tree 1.5 softmax 3 | - | softmax 1 mlp 2 tree 3
 * avg rank   mlp 5/3 = 1.67 (2 wins)   softmax 5.5/3 = 1.83 (2 wins)   tree 7.5/3 = 2.50 (1 win)
 * </pre>
 * mlp runs log a second, worse epoch (final = best - .125). A run's duration is 60 s x (position + 1).
 *
 * <p>{@code goldmin} (minimize val.loss): a/x t1 .125 .25 = .1875 ties b/x t0 .25 .125 = .1875;
 * on y b t0 1.0 (n=1, one replicate failed) beats a t0 1.5 1.25 = 1.375; avg rank a 1.75, b 1.25.
 */
class GoldenReportTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    static final Path GOLDEN = Path.of("src/test/resources/golden/report");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Date T0 = new Date(1_767_225_600_000L); // 2026-01-01T00:00:00Z

    /** What happens to each run of a cell, by queue position (trial, then replicate). */
    private static final String C = "c";   // completed with a value
    private static final String NAN = "nan";
    private static final String NONE = "none"; // completed without logging the objective
    private static final String FAILED = "failed";
    private static final String RUNNING = "running";

    @BeforeAll
    static void experiments() throws IOException {
        Path gold = tmp.resolve("gold.yaml");
        Files.writeString(gold, """
                name: gold
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [digits, iris, mnist, wine]
                models:
                  mlp: {datasets: [digits, iris, mnist, wine], params: {hidden: [32, 64], lr: 0.01}}
                  softmax: {datasets: [digits, iris, wine], params: {lr: [0.1, 0.01]}}
                  tree: {datasets: [digits, iris, mnist, wine], params: {depth: 3}}
                search: {method: grid, replicates: 2, seed: 7}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", gold.toString()).code()).isZero();
        cell(cli, "gold", "mlp", "digits", true, v(0.875), v(0.75), v(0.5), v(0.625));
        cell(cli, "gold", "mlp", "iris", true, v(0.9375), NAN, v(0.875), v(0.9375));
        cell(cli, "gold", "mlp", "mnist", true, RUNNING);
        cell(cli, "gold", "mlp", "wine", true, v(0.25), v(0.375), v(0.625), v(0.75));
        cell(cli, "gold", "softmax", "digits", false, v(0.8125), v(0.8125), v(0.25), v(0.25));
        cell(cli, "gold", "softmax", "iris", false, FAILED, FAILED, v(0.5), RUNNING);
        cell(cli, "gold", "softmax", "wine", false, v(0.75), NONE);
        cell(cli, "gold", "tree", "digits", false, v(0.5), v(0.75));
        cell(cli, "gold", "tree", "iris", false, v(0.9375), v(0.9375));
        cell(cli, "gold", "tree", "mnist", false, FAILED, FAILED);
        cell(cli, "gold", "tree", "wine", false, v(0.125), v(0.25));
        fixTimes("gold@1");

        // gold2: the same definition run again, a little differently: -e gold -e gold2, --diff
        Path gold2 = tmp.resolve("gold2.yaml");
        Files.writeString(gold2, Files.readString(gold).replace("name: gold", "name: gold2"));
        assertThat(cli.run("create", gold2.toString()).code()).isZero();
        cell(cli, "gold2", "mlp", "digits", false, v(0.9375), v(0.875), v(0.5), v(0.625));
        cell(cli, "gold2", "mlp", "iris", false, v(0.9375), v(0.875), v(0.875), v(0.9375));
        cell(cli, "gold2", "softmax", "digits", false, v(0.5), v(0.625), v(0.25), v(0.25));
        cell(cli, "gold2", "tree", "digits", false, v(0.5), v(0.625));
        cell(cli, "gold2", "tree", "iris", false, v(0.9375));
        fixTimes("gold2@1");

        Path min = tmp.resolve("goldmin.yaml");
        Files.writeString(min, """
                name: goldmin
                objective: {metric: loss, phase: val, goal: minimize}
                datasets: [x, y]
                models:
                  a: {datasets: [x, y], params: {lr: [0.1, 0.01]}}
                  b: {datasets: [x, y], params: {lr: [0.1, 0.01]}}
                search: {method: grid, replicates: 2, seed: 7}
                """);
        assertThat(cli.run("create", min.toString()).code()).isZero();
        cell(cli, "goldmin", "a", "x", false, v(0.5), v(0.25), v(0.125), v(0.25));
        cell(cli, "goldmin", "b", "x", false, v(0.25), v(0.125), v(0.5), v(0.75));
        cell(cli, "goldmin", "a", "y", false, v(1.5), v(1.25), v(2.0), v(2.5));
        cell(cli, "goldmin", "b", "y", false, v(1.0), FAILED, v(3.0), v(3.5));
        fixTimes("goldmin@1");

        Path wide = tmp.resolve("goldwide.yaml");
        Files.writeString(wide, """
                name: goldwide
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [imagenet_subset_100, cifar100_coarse_labels_v2]
                models:
                  resnet50_pretrained_finetune:
                    datasets: [imagenet_subset_100, cifar100_coarse_labels_v2]
                    params: {learning_rate: [0.001, 0.0001], weight_decay: 0.0005, warmup_epochs: 5, label_smoothing: 0.1,
                             optimizer: adamw_with_decoupled_weight_decay}
                  vit_base_patch16_224_in21k:
                    datasets: [imagenet_subset_100, cifar100_coarse_labels_v2]
                    params: {learning_rate: 0.0003, drop_path_rate: 0.1}
                search: {method: grid, replicates: 1, seed: 7}
                """);
        assertThat(cli.run("create", wide.toString()).code()).isZero();
        cell(cli, "goldwide", "resnet50_pretrained_finetune", "imagenet_subset_100", false, v(0.75), v(0.625));
        cell(cli, "goldwide", "resnet50_pretrained_finetune", "cifar100_coarse_labels_v2", false, v(0.5), RUNNING);
        cell(cli, "goldwide", "vit_base_patch16_224_in21k", "imagenet_subset_100", false, v(0.875));
        fixTimes("goldwide@1");
    }

    private static String v(double value) {
        return C + value;
    }

    /** Claims a cell's runs in queue order and ends each as told; positions not told stay pending. */
    private static void cell(CliRun cli, String exp, String model, String dataset, boolean worseLastEpoch, String... fates) {
        for (String fate : fates) {
            CliRun.Result next = cli.run("next", "-e", exp, "--model", model, "--dataset", dataset, "--worker", "w1");
            assertThat(next.code()).as(next.toString()).isZero();
            Map<String, Object> c = Json.parseObject(next.out().strip());
            CliRun w = CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
            String metric = exp.equals("goldmin") ? "val.loss" : "val.acc";
            if (fate.equals(RUNNING)) {
                continue;
            }
            if (fate.equals(FAILED)) {
                assertThat(w.run("end", "--status", "failed").code()).isZero();
                continue;
            }
            if (fate.equals(NAN)) {
                assertThat(w.run("log", "--epoch", "1", metric + "=NaN").code()).isZero();
            } else if (fate.startsWith(C)) {
                double value = Double.parseDouble(fate.substring(C.length()));
                assertThat(w.run("log", "--epoch", "1", metric + "=" + value).code()).isZero();
                if (worseLastEpoch) {
                    assertThat(w.run("log", "--epoch", "2", metric + "=" + (value - 0.125)).code()).isZero();
                }
            }
            assertThat(w.run("end", "--status", "completed").code()).isZero();
        }
    }

    /** Claim and end times as if each run took 60 s x (its position + 1): durations and the ETA become fixed. */
    private static void fixTimes(String exp) {
        for (Document r : DB.mongo().getCollection("runs").find(Filters.eq("experiment", exp))) {
            int pos = r.getInteger("pos");
            List<org.bson.conversions.Bson> set = new ArrayList<>();
            if (r.getDate("claimedAt") != null) {
                set.add(Updates.set("claimedAt", T0));
            }
            if (r.getDate("endedAt") != null) {
                set.add(Updates.set("endedAt", new Date(T0.getTime() + 60_000L * (pos + 1))));
            }
            if (!set.isEmpty()) {
                DB.mongo().getCollection("runs").updateOne(Filters.eq("_id", r.getString("_id")), Updates.combine(set));
            }
        }
        for (Document res : DB.mongo().getCollection("results").find(Filters.eq("experiment", exp))) {
            Document entries = res.get("e", Document.class);
            for (String pos : entries.keySet()) {
                DB.mongo().getCollection("results").updateOne(Filters.eq("_id", res.getString("_id")),
                        Updates.set("e." + pos + ".d", 60_000L * (Integer.parseInt(pos) + 1)));
            }
        }
    }

    record Case(String file, String experiment, List<String> args) {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String view : List.of("matrix", "significance", "progress", "leaderboard", "runs")) {
            for (String format : List.of("table", "json", "csv", "tsv", "markdown")) {
                cases.add(new Case(view + "-" + format + ".txt", "gold", List.of("--view", view, "-o", format)));
                cases.add(new Case("minimize/" + view + "-" + format + ".txt", "goldmin", List.of("--view", view, "-o", format)));
            }
            for (String width : List.of("60", "200")) {
                cases.add(new Case(view + "-table-" + width + ".txt", "gold", List.of("--view", view, "--width", width)));
            }
        }
        cases.add(new Case("leaderboard-overall-table.txt", "gold", List.of("--view", "leaderboard", "--overall", "--top", "3")));
        for (String format : List.of("json", "csv", "tsv", "markdown")) {
            cases.add(new Case("leaderboard-overall-" + format + ".txt", "gold", List.of("--view", "leaderboard", "--overall", "-o", format)));
        }
        cases.add(new Case("leaderboard-overall-table-all.txt", "gold", List.of("--view", "leaderboard", "--overall")));
        cases.add(new Case("minimize/leaderboard-overall-table.txt", "goldmin", List.of("--view", "leaderboard", "--overall")));
        cases.add(new Case("matrix-mean-table.txt", "gold", List.of("--agg", "mean")));
        for (String format : List.of("table", "json", "csv", "tsv", "markdown")) {
            cases.add(new Case("diff/diff-" + format + ".txt", "gold", List.of("-e", "gold2", "--diff", "-o", format)));
        }
        cases.add(new Case("diff/matrix-side-by-side-table.txt", "gold", List.of("-e", "gold2")));
        cases.add(new Case("diff/matrix-side-by-side-json.txt", "gold", List.of("-e", "gold2", "-o", "json")));
        cases.add(new Case("diff/significance-side-by-side-table.txt", "gold", List.of("-e", "gold2", "--view", "significance")));
        for (String exp : List.of("gold", "goldmin")) {
            String dir = exp.equals("gold") ? "" : "minimize/";
            cases.add(new Case(dir + "matrix-svg.txt", exp, List.of("-o", "svg")));
            cases.add(new Case(dir + "significance-svg.txt", exp, List.of("--view", "significance", "-o", "svg")));
        }
        cases.add(new Case("matrix-test-metric-svg.txt", "gold", List.of("--metric", "val.acc:max", "--epoch", "last", "-o", "svg")));
        // -o latex: the views a paper can take (each also checked for sound structure by LatexStructureTest)
        for (String view : List.of("matrix", "leaderboard")) {
            cases.add(new Case(view + "-latex.txt", "gold", List.of("--view", view, "-o", "latex")));
            cases.add(new Case("minimize/" + view + "-latex.txt", "goldmin", List.of("--view", view, "-o", "latex")));
        }
        cases.add(new Case("matrix-mean-latex.txt", "gold", List.of("--agg", "mean", "-o", "latex")));
        cases.add(new Case("wide/matrix-latex.txt", "goldwide", List.of("-o", "latex")));
        cases.add(new Case("significance-all-pairs-table.txt", "gold", List.of("--view", "significance", "--all-pairs")));
        cases.add(new Case("significance-table-60.txt", "gold", List.of("--view", "significance", "--width", "60")));
        // realistic names at 80 columns (and 60 where the columns allow it): no line may be wider
        for (String view : List.of("matrix", "progress", "leaderboard", "runs")) {
            cases.add(new Case("wide/" + view + "-table-80.txt", "goldwide", List.of("--view", view, "--width", "80")));
        }
        for (String view : List.of("matrix", "progress")) {
            cases.add(new Case("wide/" + view + "-table-60.txt", "goldwide", List.of("--view", view, "--width", "60")));
        }
        cases.add(new Case("wide/leaderboard-overall-table-80.txt", "goldwide", List.of("--view", "leaderboard", "--overall", "--width", "80")));
        cases.add(new Case("wide/leaderboard-overall-table-120.txt", "goldwide", List.of("--view", "leaderboard", "--overall", "--width", "120")));
        cases.add(new Case("matrix-table-40.txt", "gold", List.of("--width", "40")));
        cases.add(new Case("runs-filtered-table.txt", "gold", List.of("--view", "runs", "--where", "status=completed",
                "--where", "params.hidden>=64", "--sort", "-objective", "--limit", "4", "--width", "200")));
        // --epoch last: mlp's last epoch is worse than its best, so the shown value differs from the objective
        for (String format : List.of("table", "json", "csv")) {
            cases.add(new Case("runs-epoch-last-" + format + ".txt", "gold", List.of("--view", "runs", "--epoch", "last",
                    "--where", "status=completed", "--sort", "-shown", "--limit", "6", "-o", format)));
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> every_view_and_format_matches_its_golden_file() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            List<String> args = new ArrayList<>(List.of("report", "-e", c.experiment()));
            args.addAll(c.args());
            CliRun.Result r = CliRun.in(tmp).database(DB).run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
            int width = c.args().contains("--width") ? Integer.parseInt(c.args().get(c.args().indexOf("--width") + 1)) : 80;
            if (c.args().contains("-o")) {
                width = Integer.MAX_VALUE; // machine formats are not laid out
            }
            for (String line : r.out().split("\n")) {
                assertThat(line.codePointCount(0, line.length())).as("a line wider than " + width + " columns:\n" + r.out())
                        .isLessThanOrEqualTo(width);
            }
            if (c.args().contains("svg")) { // a drawing must be a well-formed standalone document
                javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                org.w3c.dom.Document svg = factory.newDocumentBuilder()
                        .parse(new java.io.ByteArrayInputStream(r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
                assertThat(r.out()).doesNotContain("href=\"http");
            }
            if (c.args().contains("latex")) {
                LatexStructure.assertSound(r.out());
            }
            Path file = GOLDEN.resolve(c.file());
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, r.out());
                return;
            }
            assertThat(file).as("missing golden file: run mvn test -Dtest=GoldenReportTest -Dgolden.update=true").exists();
            assertThat(r.out()).as("tracker " + String.join(" ", args) + " differs from " + file
                    + " (after a deliberate change: -Dgolden.update=true, then review the diff)").isEqualTo(Files.readString(file));
        }));
    }
}
