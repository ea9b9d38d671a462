package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.report.LatexStructure;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * "Select on validation, report on test": the objective chooses each run's epoch and each cell's
 * configuration, --metric shows another metric at those epochs. Every run logs val and test values
 * that differ per epoch and per trial, so a wrong epoch or a wrong configuration gives a wrong number.
 */
class ReportSelectionTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    /**
     * Per (model, trial, replicate): val.acc at epochs 1..3, then test.acc at epochs 1..3, then train.loss.
     * a: trial 0 peaks at epoch 2 (val 0.9/0.8 mean 0.85); trial 1 peaks later but lower (mean 0.75) -> trial 0.
     * b: one trial, the last epoch is its best for one replicate only.
     */
    static final Map<String, double[]> LOGS = Map.of(
            "a/0/0", new double[] {0.5, 0.9, 0.7, /* test */ 0.50, 0.88, 0.60, /* loss */ 0.4, 0.2, 0.3},
            "a/0/1", new double[] {0.6, 0.8, 0.7, 0.55, 0.78, 0.66, 0.5, 0.3, 0.3},
            "a/1/0", new double[] {0.5, 0.6, 0.7, 0.45, 0.58, 0.69, 0.6, 0.5, 0.4},
            "a/1/1", new double[] {0.5, 0.7, 0.8, 0.45, 0.68, 0.79, 0.6, 0.5, 0.4},
            "b/0/0", new double[] {0.7, 0.6, 0.5, 0.71, 0.61, 0.51, 0.9, 0.8, 0.7},
            "b/0/1", new double[] {0.6, 0.7, 0.8, 0.62, 0.72, 0.82, 0.9, 0.8, 0.7});

    @BeforeAll
    static void workersLogEveryEpoch() throws Exception {
        for (String name : List.of("sel", "sel2")) {
            Path f = tmp.resolve(name + ".yaml");
            Files.writeString(f, "name: " + name + "\n" + """
                    objective: {metric: acc, goal: maximize}
                    datasets: [x]
                    models:
                      a: {datasets: [x], params: {k: [1, 2]}}
                      b: {datasets: [x], params: {k: [1]}}
                    search: {method: grid, replicates: 2}
                    """);
            CliRun cli = CliRun.in(tmp).database(DB);
            assertThat(cli.run("create", f.toString()).code()).isZero();
            for (int i = 0; i < 6; i++) {
                Map<String, Object> c = Json.parseObject(cli.run("next", "-e", name).out().strip());
                String key = c.get("model") + "/" + c.get("trial") + "/" + c.get("replicate");
                double[] v = LOGS.get(key);
                CliRun w = cli.env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
                for (int e = 1; e <= 3; e++) {
                    double shift = name.equals("sel2") ? 0.01 : 0; // the second experiment is a little better everywhere
                    assertThat(w.run("log", "--epoch", String.valueOf(e), "val.acc=" + (v[e - 1] + shift),
                            "test.acc=" + (v[e + 2] + shift), "train.loss=" + v[e + 5]).code()).isZero();
                }
                assertThat(w.run("end", "--status", "completed").code()).isZero();
            }
        }
    }

    static Map<String, Object> cell(Map<String, Object> json, String model) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cells = (List<Map<String, Object>>) json.get("cells");
        return cells.stream().filter(c -> c.get("model").equals(model)).findFirst().orElseThrow();
    }

    static Map<String, Object> json(String... args) {
        CliRun.Result r = CliRun.in(tmp).database(DB).run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.parseObject(r.out().strip());
    }

    static double mean(Map<String, Object> cell) {
        return ((Number) cell.get("mean")).doubleValue();
    }

    @Test
    void by_default_a_cell_is_the_objective_at_each_runs_best_epoch() {
        Map<String, Object> j = json("report", "-e", "sel", "-o", "json");
        assertThat(cell(j, "a")).containsEntry("trial", 0L);
        assertThat(mean(cell(j, "a"))).isCloseTo((0.9 + 0.8) / 2, within(1e-9));
        assertThat(mean(cell(j, "b"))).isCloseTo((0.7 + 0.8) / 2, within(1e-9));
        assertThat(j).containsEntry("metric", "val.acc").containsEntry("epoch", "best");
        CliRun.Result table = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--width", "200");
        assertThat(table.out()).as("the runs log a test phase: the table says how to see it")
                .contains("these are val figures, chosen on them; --metric test.acc shows the test figure");
        assertThat(CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "test.acc").out()).doesNotContain("these are val");
    }

    @Test
    void metric_shows_the_test_value_of_the_configuration_and_epochs_validation_chose() {
        Map<String, Object> j = json("report", "-e", "sel", "--metric", "test.acc", "-o", "json");
        assertThat(cell(j, "a")).as("trial 0 is chosen on val although trial 1 tests better at its last epoch")
                .containsEntry("trial", 0L);
        assertThat(mean(cell(j, "a"))).isCloseTo((0.88 + 0.78) / 2, within(1e-9));
        assertThat(mean(cell(j, "b"))).as("b: epoch 1 of replicate 0, epoch 3 of replicate 1").isCloseTo((0.71 + 0.82) / 2, within(1e-9));
        assertThat(cell(j, "a")).containsEntry("best", true);
        assertThat((String) j.get("shows")).isEqualTo("test.acc: configuration with the best mean val.acc (maximize), each run at "
                + "its best val.acc epoch; mean ± std over replicates");

        CliRun.Result table = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "test.acc", "--width", "120");
        assertThat(table.out()).startsWith("sel@1: test.acc: configuration with the best mean val.acc (maximize), each run at its best "
                + "val.acc epoch;");
    }

    @Test
    void epoch_last_chooses_and_shows_at_each_runs_last_epoch() {
        Map<String, Object> j = json("report", "-e", "sel", "--epoch", "last", "-o", "json");
        assertThat(cell(j, "a")).as("at the last epoch trial 1 is better: 0.75 against 0.7").containsEntry("trial", 1L);
        assertThat(mean(cell(j, "a"))).isCloseTo(0.75, within(1e-9));
        Map<String, Object> t = json("report", "-e", "sel", "--epoch", "last", "--metric", "test.acc", "-o", "json");
        assertThat(mean(cell(t, "a"))).isCloseTo((0.69 + 0.79) / 2, within(1e-9));
    }

    @Test
    void a_loss_is_better_lower_and_a_duration_is_seconds() {
        Map<String, Object> j = json("report", "-e", "sel", "--metric", "train.loss", "-o", "json");
        assertThat(mean(cell(j, "a"))).isCloseTo((0.2 + 0.3) / 2, within(1e-9));
        assertThat(mean(cell(j, "b"))).isCloseTo((0.9 + 0.7) / 2, within(1e-9));
        assertThat(j).containsEntry("higherIsBetter", false);
        assertThat(cell(j, "a")).containsEntry("best", true);
        assertThat(cell(j, "b")).containsEntry("best", false);

        Map<String, Object> d = json("report", "-e", "sel", "--metric", "duration", "-o", "json");
        assertThat(mean(cell(d, "a"))).isGreaterThanOrEqualTo(0);
        assertThat(cell(d, "a")).containsEntry("n", 2L);
    }

    @Test
    void a_metric_of_unknown_direction_must_say_which_way_is_better() {
        CliRun.Result r = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "test.kappa");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("which way is test.kappa better?").contains("--metric test.kappa:max");
        Map<String, Object> j = json("report", "-e", "sel", "--metric", "test.kappa:max", "-o", "json");
        assertThat(cell(j, "a").get("mean")).as("never logged: no value, not zero").isNull();

        CliRun.Result bad = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "acc");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--metric takes PHASE.NAME");
        CliRun.Result agg = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "test.acc", "--agg", "mean");
        assertThat(agg.code()).isEqualTo(2);
        assertThat(agg.err()).contains("--agg mean");
    }

    @Test
    void two_experiments_side_by_side() {
        Map<String, Object> j = json("report", "-e", "sel", "-e", "sel2", "--metric", "test.acc", "-o", "json");
        assertThat(j.get("models")).isEqualTo(List.of("sel:a", "sel:b", "sel2:a", "sel2:b"));
        assertThat(mean(cell(j, "sel2:a")) - mean(cell(j, "sel:a"))).isCloseTo(0.01, within(1e-9));
        assertThat(cell(j, "sel2:a")).containsEntry("best", true);
        assertThat(j.get("experiment")).isEqualTo("sel@1 vs sel2@1");

        CliRun.Result same = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "-e", "sel@1");
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).contains("given twice");
        CliRun.Result otherView = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "-e", "sel2", "--view", "progress");
        assertThat(otherView.code()).isEqualTo(2);
    }

    @Test
    void latex_for_a_paper_states_the_selection_in_its_caption() {
        CliRun.Result r = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--metric", "test.acc", "-o", "latex");
        assertThat(r.code()).as(r.toString()).isZero();
        LatexStructure.assertSound(r.out());
        String shows = "sel@1: test.acc: configuration with the best mean val.acc (maximize), each run at its best val.acc epoch; "
                + "mean $\\pm$ std over replicates";
        assertThat(r.out()).as("the short caption is the first sentence of the long").contains("\\caption[{" + shows + "}]{" + shows + ". ");
        assertThat(r.out()).as("a: (0.88 + 0.78) / 2, b: (0.71 + 0.82) / 2").contains("a & \\textbf{0.830 $\\pm$ 0.071} & 1.00 \\\\\n")
                .contains("b & \\underline{0.765 $\\pm$ 0.078} & 2.00 \\\\\n");

        CliRun.Result both = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "-e", "sel2", "--metric", "test.acc", "-o", "latex");
        assertThat(both.code()).as(both.toString()).isZero();
        LatexStructure.assertSound(both.out());
        assertThat(both.out()).contains("\\caption[{sel@1 vs sel2@1: test.acc:").contains("\\label{tab:sel-1-vs-sel2-1}")
                .contains("sel2:a & \\textbf{0.840 $\\pm$ 0.071} & ");

        CliRun.Result none = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "progress", "-o", "latex");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--view progress has no -o latex");
        CliRun.Result overall = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "leaderboard", "--overall", "-o", "latex");
        assertThat(overall.code()).isEqualTo(2);
        assertThat(overall.err()).contains("--view leaderboard --overall has no -o latex").contains("the per-cell leaderboard");
    }

    @Test
    void diff_as_latex_signs_each_difference_and_names_its_test() {
        CliRun.Result r = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "-e", "sel2", "--diff", "--metric", "test.acc", "-o", "latex");
        assertThat(r.code()).as(r.toString()).isZero();
        LatexStructure.assertSound(r.out());
        assertThat(r.out()).contains("\\caption[{sel2@1 minus sel@1, per model and dataset: test.acc:")
                .contains("Welch's t-test over replicates, two-sided, $p < 0.05$")
                .contains("\\label{tab:sel2-1-minus-sel-1}")
                .as("0.01 better everywhere, within a spread of 0.07: not significant, so not bold")
                .contains("a & +0.010 & 0/0 \\\\\n").contains("b & +0.010 & 0/0 \\\\\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_leaderboard_ranks_by_the_objective_and_shows_the_metric_beside_it() {
        Map<String, Object> j = json("report", "-e", "sel", "--view", "leaderboard", "--metric", "test.acc", "-o", "json");
        List<Map<String, Object>> entries = (List<Map<String, Object>>) j.get("entries");
        Map<String, Object> first = entries.get(0);
        assertThat(first).containsEntry("model", "a").containsEntry("trial", 0L).containsEntry("rank", 1L);
        assertThat(((Number) ((Map<String, Object>) first.get("shown")).get("mean")).doubleValue()).isCloseTo((0.88 + 0.78) / 2, within(1e-9));
        Map<String, Object> second = entries.get(1);
        assertThat(second).containsEntry("trial", 1L);
        assertThat(((Number) ((Map<String, Object>) second.get("shown")).get("mean")).doubleValue()).isCloseTo((0.69 + 0.79) / 2, within(1e-9));
        CliRun.Result table = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "leaderboard", "--metric", "test.acc",
                "--width", "120");
        assertThat(table.out()).contains("TEST.ACC").containsPattern("a +x +1 +0 +0\\.850 ± 0\\.071 +2 +0\\.830 ± 0\\.071");

        Map<String, Object> last = json("report", "-e", "sel", "--view", "leaderboard", "--epoch", "last", "-o", "json");
        assertThat(((List<Map<String, Object>>) last.get("entries")).get(0)).as("at the last epoch trial 1 leads")
                .containsEntry("trial", 1L);
        Map<String, Object> overall = json("report", "-e", "sel", "--view", "leaderboard", "--overall", "--metric", "test.acc", "-o", "json");
        Map<String, Object> top = ((List<Map<String, Object>>) overall.get("entries")).get(0);
        assertThat(top).containsEntry("model", "a").containsEntry("trial", 0L);
        Map<String, Object> onX = (Map<String, Object>) ((Map<String, Object>) top.get("perDataset")).get("x");
        assertThat(((Number) ((Map<String, Object>) onX.get("shown")).get("mean")).doubleValue()).isCloseTo((0.88 + 0.78) / 2, within(1e-9));
        CliRun.Result overallCsv = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "leaderboard", "--overall",
                "--metric", "test.acc", "-o", "csv");
        assertThat(overallCsv.out().lines().findFirst().orElseThrow()).endsWith(",test.acc.x");
    }

    @Test
    @SuppressWarnings("unchecked")
    void diff_is_the_second_minus_the_first_cell_by_cell_with_a_test_of_the_replicates() {
        Map<String, Object> j = json("report", "-e", "sel", "-e", "sel2", "--diff", "--metric", "test.acc", "-o", "json");
        assertThat(j).containsEntry("first", "sel@1").containsEntry("second", "sel2@1").containsEntry("test", "Welch's t-test");
        List<Map<String, Object>> cells = (List<Map<String, Object>>) j.get("cells");
        Map<String, Object> a = cells.stream().filter(c -> c.get("model").equals("a")).findFirst().orElseThrow();
        assertThat(((Number) a.get("delta")).doubleValue()).isCloseTo(0.01, within(1e-9));
        assertThat(a).containsEntry("better", true).containsEntry("significant", false);
        // the same spread shifted by 0.01: scipy.stats.ttest_ind([0.88, 0.78], [0.89, 0.79], equal_var=False).pvalue
        assertThat(((Number) a.get("p")).doubleValue()).isCloseTo(0.9004962809790009, within(1e-9));

        CliRun.Result table = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "-e", "sel2", "--diff", "--width", "100");
        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("sel2@1 minus sel@1: val.acc (maximize)").containsPattern("a +\\+0\\.010 +0/0");

        CliRun.Result one = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--diff");
        assertThat(one.code()).isEqualTo(2);
        assertThat(one.err()).contains("--diff compares two experiments");
    }

    @Test
    void the_significance_view_tests_the_models_of_the_matrix() {
        Map<String, Object> j = json("report", "-e", "sel", "--view", "significance", "-o", "json");
        assertThat(j.get("significance")).as("one dataset: nothing to test across datasets").isNull();
        assertThat((String) j.get("untestable")).contains("at least 2 datasets");
        CliRun.Result svg = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "significance", "-o", "svg");
        assertThat(svg.code()).isEqualTo(2);
        assertThat(svg.err()).contains("no critical-difference diagram");
        CliRun.Result progressSvg = CliRun.in(tmp).database(DB).run("report", "-e", "sel", "--view", "progress", "-o", "svg");
        assertThat(progressSvg.code()).isEqualTo(2);
    }
}
