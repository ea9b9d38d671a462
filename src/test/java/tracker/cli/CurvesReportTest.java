package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.config.Settings;
import tracker.json.Json;
import tracker.protocol.MetricValues;
import tracker.store.Database;
import tracker.store.Metrics;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * {@code report --view curves} and {@code show RUN -o svg} end to end, on an experiment whose
 * curves are written out below, compared with src/test/resources/golden/report/curves/. After a
 * deliberate change, {@code mvn test -Dtest=CurvesReportTest -Dgolden.update=true} rewrites the
 * files; review the diff.
 *
 * <p>{@code curvy} (maximize val.acc, 3 replicates; train.loss = 1 - acc, test.acc = acc - 1/16):
 * <pre>
 * cnn/d1 t0  r0 .5 .625 .75 .875 .75 .625    best .875, last .625
 *            r1 .5 .75 .75 .875 .625 .5      best .875, last .5
 *            r2 .375 .625 .75 .75 (stops)    best .75,  last .75    mean best .833, mean last .625
 *        t1  r0 .25 .375 .5 .625 .6875 .75   best = last .75
 *            r1 .25 .5 .5 .625 .75 .75       best = last .75
 *            r2 .125 .375 .5 .5 .625 .6875   best = last .6875      mean .729
 * rnn/d1 t0  r0 .25 .5 .625 .6875 .75 .8125
 *            r1 .375 .5 NaN .6875 .6875 .75  (epoch 3 stands on r0 alone)
 *            r2 failed
 * d2: nothing finished
 * </pre>
 * By each run's best epoch cnn's trial 0 is chosen (.833 > .729); by its last epoch, trial 1 (.729 > .625).
 */
class CurvesReportTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    static final Path GOLDEN = Path.of("src/test/resources/golden/report/curves");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** val.acc per epoch by model, trial and replicate; null: the run fails. */
    static final Map<String, double[]> ACC = Map.of(
            "cnn/0/0", new double[] {0.5, 0.625, 0.75, 0.875, 0.75, 0.625},
            "cnn/0/1", new double[] {0.5, 0.75, 0.75, 0.875, 0.625, 0.5},
            "cnn/0/2", new double[] {0.375, 0.625, 0.75, 0.75},
            "cnn/1/0", new double[] {0.25, 0.375, 0.5, 0.625, 0.6875, 0.75},
            "cnn/1/1", new double[] {0.25, 0.5, 0.5, 0.625, 0.75, 0.75},
            "cnn/1/2", new double[] {0.125, 0.375, 0.5, 0.5, 0.625, 0.6875},
            "rnn/0/0", new double[] {0.25, 0.5, 0.625, 0.6875, 0.75, 0.8125},
            "rnn/0/1", new double[] {0.375, 0.5, Double.NaN, 0.6875, 0.6875, 0.75});

    @BeforeAll
    static void experiment() throws IOException {
        Path f = tmp.resolve("curvy.yaml");
        Files.writeString(f, """
                name: curvy
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1, d2]
                models:
                  cnn: {datasets: [d1, d2], params: {lr: [0.1, 0.01]}}
                  rnn: {datasets: [d1], params: {hidden: 16}}
                search: {method: grid, replicates: 3, seed: 7}
                """);
        CliRun cli = cli();
        assertThat(cli.run("create", f.toString()).code()).isZero();
        try (Database db = Database.open(Settings.resolve(DB.uri(), DB.name(), Map.of()), Map.of())) {
            logRuns(cli, new Metrics(db));
        }
    }

    private static void logRuns(CliRun cli, Metrics metrics) {
        for (String model : List.of("cnn", "rnn")) {
            for (int i = 0; i < (model.equals("cnn") ? 6 : 3); i++) {
                CliRun.Result next = cli.run("next", "-e", "curvy", "--model", model, "--dataset", "d1", "--worker", "w1");
                assertThat(next.code()).as(next.toString()).isZero();
                Map<String, Object> c = Json.parseObject(next.out().strip());
                CliRun w = cli().env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
                double[] acc = ACC.get(model + "/" + c.get("trial") + "/" + c.get("replicate"));
                if (acc == null) {
                    assertThat(w.run("end", "--status", "failed").code()).isZero();
                    continue;
                }
                // one batch per run, as 'tracker log --stdin' writes it (a log command per epoch took most of the test's time)
                List<MetricValues> batch = new ArrayList<>();
                for (int e = 0; e < acc.length; e++) {
                    batch.add(MetricValues.ofEpoch(e + 1, Map.of("val", Map.of("acc", acc[e]), "train", Map.of("loss", 1 - acc[e]),
                            "test", Map.of("acc", acc[e] - 0.0625))));
                }
                metrics.write((String) c.get("run"), (String) c.get("token"), batch, Metrics.Extras.NONE);
                assertThat(w.run("end", "--status", "completed").code()).isZero();
            }
        }
    }

    static CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    record Case(String file, List<String> args, Map<String, String> env) {
    }

    static List<Case> cases() {
        List<String> d1 = List.of("report", "-e", "curvy", "--view", "curves", "--dataset", "d1");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("curves-table.txt", d1, Map.of()));
        cases.add(new Case("curves-table-60.txt", with(d1, "--width", "60"), Map.of()));
        cases.add(new Case("curves-table-ascii.txt", d1, Map.of("TERM", "dumb")));
        cases.add(new Case("curves-table-c-locale.txt", with(d1, "--width", "100"), Map.of("LANG", "C")));
        for (String format : List.of("json", "csv", "tsv", "markdown")) {
            cases.add(new Case("curves-" + format + ".txt", with(d1, "-o", format), Map.of()));
        }
        cases.add(new Case("curves-test-metric-table.txt", with(d1, "--metric", "test.acc", "--model", "cnn"), Map.of()));
        cases.add(new Case("curves-train-loss-table.txt", with(d1, "--metric", "train.loss"), Map.of()));
        cases.add(new Case("curves-epoch-last-json.txt", with(d1, "--epoch", "last", "--model", "cnn", "-o", "json"), Map.of()));
        cases.add(new Case("curves.svg", with(d1, "-o", "svg"), Map.of()));
        cases.add(new Case("curves-train-loss.svg", with(d1, "--metric", "train.loss", "-o", "svg"), Map.of()));
        cases.add(new Case("run.svg", List.of("show", "curvy@1/cnn/d1/0", "-o", "svg"), Map.of()));
        cases.add(new Case("run-failed.svg", List.of("show", "curvy@1/rnn/d1/2", "-o", "svg"), Map.of()));
        return cases;
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> every_format_matches_its_golden_file() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            CliRun run = cli();
            c.env().forEach(run::env);
            CliRun.Result r = run.run(c.args().toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
            if (!c.args().contains("-o")) {
                int width = c.args().contains("--width") ? Integer.parseInt(c.args().get(c.args().indexOf("--width") + 1)) : 80;
                for (String line : r.out().split("\n")) {
                    assertThat(line.codePointCount(0, line.length())).as("a line wider than " + width + ":\n" + r.out())
                            .isLessThanOrEqualTo(width);
                }
            }
            if (c.env().containsKey("TERM") || c.env().containsKey("LANG")) {
                assertThat(r.out().chars().allMatch(ch -> ch < 128)).as("ASCII only:\n" + r.out()).isTrue();
            }
            if (c.file().endsWith(".svg")) {
                assertWellFormed(r.out());
            }
            Path file = GOLDEN.resolve(c.file());
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, r.out());
                return;
            }
            assertThat(file).as("missing golden file: run mvn test -Dtest=CurvesReportTest -Dgolden.update=true").exists();
            assertThat(r.out()).as("tracker " + String.join(" ", c.args()) + " differs from " + file
                    + " (after a deliberate change: -Dgolden.update=true, then review the diff)").isEqualTo(Files.readString(file));
        }));
    }

    /** Parses with the JDK's XML parser, refusing any DOCTYPE (an SVG for a paper needs no external entity). */
    static org.w3c.dom.Document assertWellFormed(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg).doesNotContain("href").doesNotContain("url(").doesNotContain("<script").doesNotContain("@import");
        return doc;
    }

    @Test
    void the_json_holds_the_points_worked_out_by_hand() {
        CliRun.Result r = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> json = Json.parseObject(r.out().strip());
        List<?> curves = (List<?>) json.get("curves");
        Map<?, ?> cnn = (Map<?, ?>) curves.get(0);
        assertThat(cnn.get("model")).isEqualTo("cnn");
        assertThat(((Number) cnn.get("trial")).intValue()).isZero();
        assertThat(((Number) cnn.get("replicates")).intValue()).isEqualTo(3);
        List<?> points = (List<?>) cnn.get("points");
        assertThat(points).hasSize(6);
        Map<?, ?> fourth = (Map<?, ?>) points.get(3); // .875 .875 .75
        assertThat(((Number) fourth.get("mean")).doubleValue()).isCloseTo(2.5 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(((Number) fourth.get("min")).doubleValue()).isEqualTo(0.75);
        assertThat(((Number) fourth.get("n")).intValue()).isEqualTo(3);
        Map<?, ?> fifth = (Map<?, ?>) points.get(4); // r2 stopped at 4: .75 .625
        assertThat(((Number) fifth.get("mean")).doubleValue()).isEqualTo(0.6875);
        assertThat(((Number) fifth.get("n")).intValue()).isEqualTo(2);
        Map<?, ?> rnn = (Map<?, ?>) curves.get(1);
        assertThat(((Number) rnn.get("replicates")).intValue()).isEqualTo(2); // the failed replicate has no place in it
        Map<?, ?> third = (Map<?, ?>) ((List<?>) rnn.get("points")).get(2);
        assertThat(((Number) third.get("n")).intValue()).isEqualTo(1);
        assertThat(((Number) third.get("mean")).doubleValue()).isEqualTo(0.625);
    }

    @Test
    void the_last_epoch_rule_chooses_the_configuration_that_ends_better() {
        CliRun.Result r = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "--epoch", "last", "-o", "csv");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("model,trial,epoch,mean,std,min,max,n\n").contains("\ncnn,1,1,").doesNotContain("\ncnn,0,");
    }

    @Test
    void without_a_dataset_on_an_experiment_of_two_it_names_them() {
        CliRun.Result r = cli().run("report", "-e", "curvy", "--view", "curves");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("--view curves plots one dataset").contains("d1, d2").contains("--dataset");
    }

    @Test
    void unknown_datasets_and_models_are_usage_errors_that_say_what_there_is() {
        CliRun.Result dataset = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d3");
        assertThat(dataset.code()).as(dataset.toString()).isEqualTo(2);
        assertThat(dataset.err()).contains("no dataset 'd3' in curvy@1").contains("did you mean").contains("d1, d2");

        CliRun.Result model = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "--model", "cn");
        assertThat(model.code()).as(model.toString()).isEqualTo(2);
        assertThat(model.err()).contains("no model 'cn'").contains("did you mean 'cnn'");

        CliRun.Result elsewhere = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d2", "--model", "rnn");
        assertThat(elsewhere.code()).as(elsewhere.toString()).isEqualTo(2);
        assertThat(elsewhere.err()).contains("model 'rnn' does not run on d2").contains("cnn");

        CliRun.Result metric = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "--metric", "test.ac");
        assertThat(metric.code()).as(metric.toString()).isEqualTo(2);
        assertThat(metric.err()).contains("none of the chosen runs logged test.ac (did you mean 'test.acc'?)")
                .contains("test.acc, train.loss, val.acc");

        CliRun.Result json = cli().run("report", "-e", "curvy", "--view", "curves", "-o", "json");
        assertThat(json.code()).isEqualTo(2);
        assertThat(Json.parseObject(json.err().strip())).containsKey("error");
    }

    @Test
    void options_of_the_curves_view_are_refused_elsewhere_and_duration_is_not_a_curve() {
        CliRun.Result dataset = cli().run("report", "-e", "curvy", "--dataset", "d1");
        assertThat(dataset.code()).as(dataset.toString()).isEqualTo(2);
        assertThat(dataset.err()).contains("--dataset and --model go with --view curves");

        CliRun.Result svg = cli().run("report", "-e", "curvy", "--view", "runs", "-o", "svg");
        assertThat(svg.code()).as(svg.toString()).isEqualTo(2);
        assertThat(svg.err()).contains("has no -o svg").contains("--view curves");

        CliRun.Result latex = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "-o", "latex");
        assertThat(latex.code()).as(latex.toString()).isEqualTo(2);
        assertThat(latex.err()).contains("--view curves has no -o latex");

        CliRun.Result watch = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "--watch");
        assertThat(watch.code()).as(watch.toString()).isEqualTo(2);

        CliRun.Result duration = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d1", "--metric", "duration");
        assertThat(duration.code()).as(duration.toString()).isEqualTo(2);
        assertThat(duration.err()).contains("duration is one number per run");

        CliRun.Result experimentSvg = cli().run("show", "curvy", "-o", "svg");
        assertThat(experimentSvg.code()).as(experimentSvg.toString()).isEqualTo(2);
        assertThat(experimentSvg.err()).contains("not an experiment").contains("--view curves -o svg");
    }

    @Test
    void an_experiment_of_one_dataset_needs_no_dataset_option() throws IOException {
        Path f = tmp.resolve("solo.yaml");
        Files.writeString(f, """
                name: solo
                objective: {metric: loss, phase: val, goal: minimize}
                datasets: [only]
                models:
                  m: {datasets: [only], params: {lr: 0.1}}
                search: {method: grid, replicates: 1, seed: 7}
                """);
        CliRun cli = cli();
        assertThat(cli.run("create", f.toString()).code()).isZero();
        Map<String, Object> c = Json.parseObject(cli.run("next", "-e", "solo").out().strip());
        CliRun w = cli().env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
        assertThat(w.run("log", "--epoch", "1", "val.loss=2.5").code()).isZero();
        assertThat(w.run("log", "--epoch", "2", "val.loss=1.5").code()).isZero();
        assertThat(w.run("end", "--status", "completed").code()).isZero();

        CliRun.Result r = cli().run("report", "-e", "solo", "--view", "curves", "-o", "csv");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("model,trial,epoch,mean,std,min,max,n\nm,0,1,2.5,0.0,2.5,2.5,1\nm,0,2,1.5,0.0,1.5,1.5,1\n");
        CliRun.Result table = cli().run("report", "-e", "solo", "--view", "curves");
        assertThat(table.out()).startsWith("solo@1 on only: val.loss per epoch").contains("M m  trial 0, 1 replicate");
    }

    @Test
    void a_dataset_where_nothing_finished_shows_the_models_without_curves() {
        CliRun.Result r = cli().run("report", "-e", "curvy", "--view", "curves", "--dataset", "d2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(no values to plot)").contains("cnn  no configuration with a value yet");
    }

    @Test
    void the_help_describes_the_view_and_its_options() {
        CliRun.Result r = cli().run("report", "--help");
        assertThat(r.out()).contains("curves").contains("--dataset=DATASET").contains("--model=MODEL").contains("svg");
    }
}
