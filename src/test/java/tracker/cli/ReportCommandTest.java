package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

class ReportCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void the_matrix_shows_what_the_workers_logged() throws Exception {
        Path f = tmp.resolve("exp.yaml");
        Files.writeString(f, """
                name: rep
                objective: {metric: acc, goal: maximize}
                datasets: [x, y]
                models:
                  a: {datasets: [x, y], params: {k: [1]}}
                  b: {datasets: [x], params: {k: [1]}}
                search: {method: grid, replicates: 2}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", f.toString()).code()).isZero();
        // a/x: 0.8 and 0.9; a/y: 0.5 and one still in flight; b/x: 0.95 and 0.85
        Map<String, Double> values = Map.of("a/x/0", 0.8, "a/x/1", 0.9, "a/y/0", 0.5, "b/x/0", 0.95, "b/x/1", 0.85);
        Map<String, Object> inFlight = null;
        for (int i = 0; i < 6; i++) {
            Map<String, Object> c = Json.parseObject(cli.run("next", "-e", "rep").out().strip());
            String key = c.get("model") + "/" + c.get("dataset") + "/" + c.get("replicate");
            if (!values.containsKey(key)) {
                inFlight = c;
                continue;
            }
            CliRun w = cli.env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
            assertThat(w.run("log", "--epoch", "1", "val.acc=" + values.get(key)).code()).isZero();
            assertThat(w.run("end", "--status", "completed").code()).isZero();
        }
        assertThat(inFlight).isNotNull();

        CliRun.Result table = CliRun.in(tmp).database(DB).run("report", "-e", "rep");
        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).contains("rep@1: val.acc (maximize)")
                .as("ranks only where every model has a result: b does not run on y")
                .containsPattern("a +0\\.850 ± 0\\.071 ~ +0\\.500 \\* 1/2 +2\\.00 +1")
                .contains("over the 1 dataset every model has a result on")
                .containsPattern("b +0\\.900 ± 0\\.071 \\* +1\\.00 +1");

        Map<String, Object> json = Json.parseObject(CliRun.in(tmp).database(DB).run("report", "-e", "rep", "-o", "json").out().strip());
        List<Map<String, Object>> cells = (List<Map<String, Object>>) json.get("cells");
        assertThat(cells).anySatisfy(c -> assertThat(c).containsEntry("model", "b").containsEntry("dataset", "x")
                .containsEntry("best", true).containsEntry("done", 2L));
        assertThat(CliRun.in(tmp).database(DB).run("report", "-e", "rep", "-o", "csv").out())
                .startsWith("model,dataset,mean,std,n,trial,done,total,failed,best,verdict\n").contains("a,y,0.5,0.0,1,0,1,2,0,true,best");

        assertThat(CliRun.in(tmp).database(DB).run("report", "-e", "rep", "-o", "tsv").out())
                .startsWith("model\tdataset\tmean\t").contains("a\ty\t0.5\t0.0\t1\t0\t1\t2\t0\ttrue\tbest");
        assertThat(CliRun.in(tmp).database(DB).run("report", "-e", "rep", "-o", "markdown").out())
                .contains("| MODEL | x | y | AVG RANK | WINS |").contains("|---|---:|---:|---:|---:|")
                .contains("| b | 0.900 ± 0.071 * |  | 1.00 | 1 |");

        CliRun.Result progress = CliRun.in(tmp).database(DB).run("report", "-e", "rep", "--view", "progress");
        assertThat(progress.code()).as(progress.toString()).isZero();
        assertThat(progress.out()).containsPattern("a +x +████████████████████ +2/2 +2 +0 +0 +0")
                .containsPattern("a +y +██████████▒▒▒▒▒▒▒▒▒▒ +1/2 +1 +0 +1 +0")
                .containsPattern("rep@1: 5/6 done \\(5 completed, 0 failed, 0 cancelled\\), 1 running, 0 pending;\\s+about");
        Map<String, Object> pj = Json.parseObject(CliRun.in(tmp).database(DB).run("report", "-e", "rep", "--view", "progress", "-o", "json")
                .out().strip());
        assertThat((Map<String, Object>) pj.get("overall")).containsEntry("completed", 5L).containsEntry("running", 1L);
        assertThat(pj.get("etaSeconds")).isNotNull();
    }

    /** Creates the experiment, claims every run and ends it as {@code values} says (by model/dataset/trial/replicate). */
    static Map<String, Object> work(CliRun cli, Path yaml, String name, Map<String, Double> values) {
        assertThat(cli.run("create", yaml.toString()).code()).isZero();
        Map<String, Object> params = new java.util.HashMap<>();
        while (true) {
            CliRun.Result next = cli.run("next", "-e", name);
            if (next.code() != 0) {
                break;
            }
            Map<String, Object> c = Json.parseObject(next.out().strip());
            String key = c.get("model") + "/" + c.get("dataset") + "/" + c.get("trial") + "/" + c.get("replicate");
            params.put(c.get("model") + "/" + c.get("trial"), c.get("params"));
            CliRun w = CliRun.in(Path.of(System.getProperty("java.io.tmpdir"))).database(DB)
                    .env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
            Double v = values.get(key);
            if (v == null) {
                assertThat(w.run("end", "--status", "failed").code()).isZero();
                continue;
            }
            assertThat(w.run("log", "--epoch", "1", "val.acc=" + v, "val.loss=" + v).code()).isZero();
            assertThat(w.run("end", "--status", "completed").code()).isZero();
        }
        return params;
    }

    private static Object k(Map<String, Object> params, String modelTrial) {
        return ((Map<?, ?>) params.get(modelTrial)).get("k");
    }

    @Test
    void the_leaderboard_lists_the_best_configurations_with_their_parameters() throws Exception {
        Path f = tmp.resolve("lb.yaml");
        Files.writeString(f, """
                name: lb
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  a: {datasets: [x], params: {k: [1, 2, 3], opt: [sgd]}}
                  b: {datasets: [x], params: {k: [7]}}
                search: {method: grid, replicates: 2}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        Map<String, Object> params = work(cli, f, "lb", Map.of("a/x/0/0", 0.5, "a/x/0/1", 0.7, "a/x/1/0", 0.9, "a/x/1/1", 0.8, "a/x/2/0", 0.1,
                "b/x/0/0", 0.2, "b/x/0/1", 0.4));
        CliRun.Result table = cli.run("report", "-e", "lb", "--view", "leaderboard", "--top", "2");
        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).contains("lb@1: val.acc (maximize), top 2 configurations per cell")
                .containsPattern("a +x +1 +1 +0\\.850 ± 0\\.071 +2 +k=" + k(params, "a/1") + " opt=sgd")
                .containsPattern("a +x +2 +0 +0\\.600 ± 0\\.141 +2 +k=" + k(params, "a/0") + " opt=sgd")
                .containsPattern("b +x +1 +0 +0\\.300 ± 0\\.141 +2 +k=7")
                .doesNotContain("k=" + k(params, "a/2"));
        CliRun.Result overall = cli.run("report", "-e", "lb", "--view", "leaderboard", "--overall", "--top", "1", "-o", "json");
        Map<String, Object> json = Json.parseObject(overall.out().strip());
        assertThat(json).containsEntry("scope", "overall").containsEntry("top", 1L);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) json.get("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0)).containsEntry("model", "a").containsEntry("trial", 1L).containsEntry("meanRank", 1.0)
                .containsEntry("covered", 1L).containsEntry("params", params.get("a/1"));
        assertThat((Map<String, Object>) ((Map<String, Object>) entries.get(0).get("perDataset")).get("x"))
                .containsEntry("mean", (0.9 + 0.8) / 2).containsEntry("n", 2L).containsEntry("rank", 1.0);
        assertThat((String) entries.get(0).get("run")).startsWith("lb@1/a/x/");
        assertThat(cli.run("report", "-e", "lb", "--view", "leaderboard", "-o", "csv").out())
                .startsWith("model,dataset,rank,trial,mean,std,n,run,param.k,param.opt\n")
                .contains("b,x,1,0,0.30000000000000004,");
        assertThat(cli.run("report", "-e", "lb", "--top", "3").code()).as("--top is a leaderboard option").isEqualTo(2);
        assertThat(cli.run("report", "-e", "lb", "--view", "leaderboard", "--overall", "--per-cell").code()).isEqualTo(2);
    }

    @Test
    void the_runs_view_filters_sorts_and_limits() throws Exception {
        Path f = tmp.resolve("rv.yaml");
        Files.writeString(f, """
                name: rv
                objective: {metric: acc, goal: maximize}
                datasets: [x, y]
                models:
                  a: {datasets: [x, y], params: {lr: [0.001, 0.1]}}
                  b: {datasets: [x], params: {lr: [0.05]}}
                search: {method: grid, replicates: 1}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        // every run completes but a/y trial 1, which fails
        work(cli, f, "rv", Map.of("a/x/0/0", 0.6, "a/x/1/0", 0.8, "a/y/0/0", 0.3, "b/x/0/0", 0.7));
        CliRun.Result all = cli.run("report", "-e", "rv", "--view", "runs");
        assertThat(all.code()).as(all.toString()).isZero();
        assertThat(all.out()).startsWith("rv@1: 5 runs; objective val.acc (maximize)\n")
                .containsPattern("a +y +1 +1 +0 +failed +- +- +\\S+ +lr=")
                .containsPattern("b +x +0 +0 +0 +completed +0\\.700 +0\\.700 +\\S+ +lr=0\\.05")
                .contains("not shown for want of width: seed, attempt (--width, or -o csv)");

        CliRun.Result sorted = cli.run("report", "-e", "rv", "--view", "runs", "--where", "model=a", "--where", "status=completed",
                "--sort", "-objective", "--limit", "2", "-o", "csv");
        assertThat(sorted.code()).as(sorted.toString()).isZero();
        List<String> lines = sorted.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("run,model,dataset,trial,replicate,seed,status,attempt,objective,final,epochs,duration,param.lr");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(",a,x,").contains(",completed,1,0.8,0.8,1,");
        assertThat(lines.get(2)).contains(",a,x,").contains(",completed,1,0.6,0.6,1,");

        Map<String, Object> json = Json.parseObject(cli.run("report", "-e", "rv", "--view", "runs", "--where", "params.lr<0.01",
                "-o", "json").out().strip());
        assertThat(json).containsEntry("matched", 2L).containsEntry("where", List.of("params.lr<0.01"));
        assertThat((List<Map<String, Object>>) json.get("runs")).allSatisfy(r -> assertThat(r).containsEntry("params", Map.of("lr", 0.001)));

        CliRun.Result bad = cli.run("report", "-e", "rv", "--view", "runs", "--where", "modle=a");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).contains("unknown field 'modle'; did you mean 'model'?").contains("params.lr");
        assertThat(cli.run("report", "-e", "rv", "--view", "runs", "--sort", "-nope").code()).isEqualTo(2);
        assertThat(cli.run("report", "-e", "rv", "--where", "model=a").code()).as("--where is for the runs view").isEqualTo(2);
        assertThat(cli.run("report", "-e", "rv", "--view", "runs", "--where", "status=failed", "-o", "tsv").out().lines())
                .hasSize(2).allSatisfy(l -> assertThat(l).contains("\t"));
        assertThat(cli.run("report", "-e", "rv", "--view", "runs", "--limit", "1", "-o", "markdown").out())
                .contains("**rv@1: 1 of 5 runs; objective val.acc (maximize)**").contains("| MODEL | DATASET | # |");
    }

    @Test
    void colour_only_for_tables_on_a_terminal_and_never_with_no_color() throws Exception {
        Path f = tmp.resolve("col.yaml");
        Files.writeString(f, """
                name: col
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  a: {datasets: [x], params: {k: [1]}}
                  b: {datasets: [x], params: {k: [1]}}
                search: {method: grid, replicates: 1}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        work(cli, f, "col", Map.of("a/x/0/0", 0.9)); // b fails
        CliRun colourable = CliRun.in(tmp).database(DB).env("NO_COLOR", null);
        String esc = "\u001B[";
        // Tests run with stdout not a terminal, as in a pipe: picocli's Ansi.AUTO says no.
        assertThat(colourable.run("report", "-e", "col").out()).doesNotContain(esc);
        String before = System.getProperty("picocli.ansi");
        System.setProperty("picocli.ansi", "true"); // as if on a terminal
        try {
            CliRun.Result table = colourable.run("report", "-e", "col");
            assertThat(table.out()).contains(esc + "1m" + esc + "32m0.900 *" + esc + "0m").contains(esc + "31mfailed" + esc + "0m");
            assertThat(colourable.run("report", "-e", "col", "--view", "runs").out()).contains(esc + "31mfailed");
            assertThat(colourable.run("report", "-e", "col", "--view", "leaderboard").out()).contains(esc + "1m");
            assertThat(colourable.env("NO_COLOR", "").run("report", "-e", "col").out()).as("an empty NO_COLOR does not count").contains(esc);
            assertThat(colourable.run("report", "-e", "col", "--no-color").out()).doesNotContain(esc);
            assertThat(colourable.env("NO_COLOR", "1").run("report", "-e", "col").out()).doesNotContain(esc);
            colourable.env("NO_COLOR", null);
            for (String format : List.of("json", "csv", "tsv", "markdown")) {
                for (String view : List.of("matrix", "progress", "leaderboard", "runs")) {
                    assertThat(colourable.run("report", "-e", "col", "--view", view, "-o", format).out()).as(view + " " + format)
                            .doesNotContain(esc);
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty("picocli.ansi");
            } else {
                System.setProperty("picocli.ansi", before);
            }
        }
    }

    @Test
    void tables_fit_the_width_from_the_option_or_columns() throws Exception {
        Path f = tmp.resolve("wide.yaml");
        Files.writeString(f, """
                name: wide
                objective: {metric: loss, goal: minimize}
                datasets: [dataset_one, dataset_two, dataset_three, dataset_four, dataset_five]
                models:
                  a: {datasets: [dataset_one, dataset_two, dataset_three, dataset_four, dataset_five], params: {k: [1]}}
                  b: {datasets: [dataset_one, dataset_two, dataset_three, dataset_four, dataset_five], params: {k: [1]}}
                search: {method: grid, replicates: 1}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        work(cli, f, "wide", Map.of("a/dataset_one/0/0", 0.2, "b/dataset_one/0/0", 0.1, "a/dataset_two/0/0", 0.3,
                "b/dataset_two/0/0", 0.4, "a/dataset_three/0/0", 0.5, "b/dataset_three/0/0", 0.5, "a/dataset_four/0/0", 0.1,
                "b/dataset_four/0/0", 0.9, "a/dataset_five/0/0", 0.1, "b/dataset_five/0/0", 0.2));
        String wide = cli.run("report", "-e", "wide", "--width", "200").out();
        assertThat(wide).contains("MODEL  dataset_five").containsPattern("b +0\\.200 +0\\.900 +0\\.100 \\* +0\\.500 \\* +0\\.400 +1\\.70 +2");
        assertThat(cli.env("COLUMNS", "200").run("report", "-e", "wide").out()).isEqualTo(wide);
        String narrow = cli.env("COLUMNS", null).run("report", "-e", "wide", "--width", "60").out();
        assertThat(narrow).contains("DATASET").containsPattern("dataset_four +0\\.100 \\* +0\\.900");
        assertThat(narrow.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
        assertThat(cli.run("report", "-e", "wide", "--width", "5").code()).isEqualTo(2);
    }

    @Test
    void watch_redraws_until_nothing_is_pending_or_running() throws Exception {
        Path f = tmp.resolve("watch.yaml");
        Files.writeString(f, """
                name: watch
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  a: {datasets: [x], params: {k: [1, 2]}}
                search: {method: grid, replicates: 1}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", f.toString()).code()).isZero();
        Map<String, Object> first = Json.parseObject(cli.run("next", "-e", "watch").out().strip());
        Map<String, Object> second = Json.parseObject(cli.run("next", "-e", "watch").out().strip());
        CliRun w1 = CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) first.get("run")).env("TRACKER_TOKEN", (String) first.get("token"));
        assertThat(w1.run("log", "--epoch", "1", "val.acc=0.5").code()).isZero();
        assertThat(w1.run("end", "--status", "completed").code()).isZero();

        java.util.concurrent.atomic.AtomicReference<CliRun.Result> watched = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> watched.set(CliRun.in(tmp).database(DB).run("report", "-e", "watch", "--view", "progress",
                "--watch", "50ms")));
        t.start();
        Thread.sleep(600); // a few frames with one run in flight
        assertThat(t.isAlive()).as("still watching while a run is in flight").isTrue();
        CliRun w2 = CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) second.get("run")).env("TRACKER_TOKEN", (String) second.get("token"));
        assertThat(w2.run("end", "--status", "failed").code()).isZero();
        t.join(10_000);
        assertThat(t.isAlive()).as("stops by itself once nothing is left").isFalse();
        CliRun.Result r = watched.get();
        assertThat(r.code()).as(r.toString()).isZero();
        // each frame's header (wrapped between words at 80 columns) ends at the first blank line after "Every"
        List<String> headers = java.util.Arrays.stream(r.out().split("Every 50ms: ")).skip(1)
                .map(frame -> frame.substring(0, frame.indexOf("\n\n")).replace('\n', ' ')).toList();
        assertThat(headers.size()).isGreaterThanOrEqualTo(2);
        assertThat(headers).allMatch(h -> h.startsWith("tracker report -e watch --view progress"));
        assertThat(headers.get(headers.size() - 1)).endsWith("(nothing pending or running: done)");
        assertThat(headers.subList(0, headers.size() - 1)).noneMatch(h -> h.endsWith("done)"));
        assertThat(r.out()).contains("1 running").endsWith("█ completed  ▓ failed or cancelled  ▒ running  · pending\n")
                .doesNotContain(Watch.CLEAR);

        assertThat(cli.run("report", "-e", "watch", "--watch", "-o", "json").code()).isEqualTo(2);
        assertThat(cli.run("report", "-e", "watch", "--view", "runs", "--watch").code()).isEqualTo(2);
        CliRun.Result bad = cli.run("report", "-e", "watch", "--watch", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--watch takes an interval like 2s");
        CliRun.Result done = cli.run("report", "-e", "watch", "--watch");
        assertThat(done.code()).as("a finished experiment: one picture").isZero();
        assertThat(done.out().lines().filter(l -> l.startsWith("Every 2s:")).count()).isEqualTo(1);
    }
}
