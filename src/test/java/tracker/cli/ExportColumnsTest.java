package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * The notebook columns of {@code tracker export} (times, duration, exit code, host, git), the wide
 * per-epoch form, integer parameters, and {@code --metric}/{@code --epoch} on the export and the
 * runs view. Run A's best val.acc epoch (2) is not its last (3), and its test.acc differs at every
 * epoch, so reading the wrong epoch shows.
 */
@SuppressWarnings("unchecked")
class ExportColumnsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    static String runA;
    static String runB;
    static String runC;
    static Object widthA;

    @BeforeAll
    static void experiment() throws Exception {
        Path f = tmp.resolve("sel.yaml");
        Files.writeString(f, """
                name: sel
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  m: {datasets: [x], params: {width: [16, 32, 64], lr: [0.5]}}
                search: {method: grid}
                """);
        CliRun cli = cli();
        assertThat(cli.run("create", f.toString()).code()).isZero();
        Map<String, Object> a = Json.parseObject(cli.run("next", "-e", "sel").out().strip());
        runA = (String) a.get("run");
        widthA = ((Map<?, ?>) a.get("params")).get("width");
        CliRun w = cli().env("TRACKER_RUN", runA).env("TRACKER_TOKEN", (String) a.get("token"));
        ok(w, "log", "--epoch", "1", "val.acc=0.6", "test.acc=0.61");
        ok(w, "log", "--epoch", "2", "val.acc=0.9", "test.acc=0.82");
        ok(w, "log", "--epoch", "3", "val.acc=0.7", "test.acc=0.93");
        ok(w, "end", "--status", "completed", "--exit-code", "0");
        Map<String, Object> b = Json.parseObject(cli.run("next", "-e", "sel").out().strip());
        runB = (String) b.get("run");
        w = cli().env("TRACKER_RUN", runB).env("TRACKER_TOKEN", (String) b.get("token"));
        ok(w, "log", "--epoch", "1", "val.acc=0.5", "test.acc=0.55");
        ok(w, "log", "--epoch", "2", "val.acc=0.4", "test.acc=0.45");
        ok(w, "end", "--status", "failed", "--exit-code", "3");
        runC = List.of("sel@1/m/x/0", "sel@1/m/x/1", "sel@1/m/x/2").stream().filter(r -> !r.equals(runA) && !r.equals(runB))
                .findFirst().orElseThrow();
        // The test's working directory may or may not be a repository: give run A a known code version.
        DB.mongo().getCollection("runs").updateOne(Filters.eq("_id", runA),
                Updates.set("provenance.git", new Document("root", "/src").append("commit", COMMIT).append("dirty", true)));
    }

    static CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    static CliRun.Result ok(CliRun cli, String... args) {
        CliRun.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** CSV rows by run id, each a map of column to text (no value here needs quoting). */
    static Map<String, Map<String, String>> csv(String... args) {
        List<String> lines = ok(cli(), args).out().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).as(line).hasSize(header.size());
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            rows.put(row.get("run") + (row.containsKey("epoch") && !row.containsKey("status") ? "#" + row.get("epoch") : ""), row);
        }
        return rows;
    }

    @Test
    void a_run_row_has_its_times_duration_exit_code_host_and_git_and_integer_parameters_stay_integers() {
        Map<String, Map<String, String>> rows = csv("export", "-e", "sel");
        Map<String, String> a = rows.get(runA);
        assertThat(a.get("param.width")).isEqualTo(String.valueOf(widthA)).matches("\\d+");
        assertThat(a.get("param.lr")).isEqualTo("0.5");
        assertThat(a.get("claimed_at")).matches(TIME);
        assertThat(a.get("ended_at")).matches(TIME);
        assertThat(a.get("started_at")).as("claimed with next: no command was started").isEmpty();
        assertThat(Double.parseDouble(a.get("duration"))).isBetween(0.0, 60.0);
        assertThat(a.get("exit_code")).isEqualTo("0");
        assertThat(a.get("host")).isNotEmpty();
        assertThat(a.get("git_commit")).isEqualTo(COMMIT);
        assertThat(a.get("git_dirty")).isEqualTo("true");
        assertThat(a).containsEntry("objective_best", "0.9").containsEntry("objective_best_epoch", "2").containsEntry("epochs", "3")
                .containsEntry("test.acc.max", "0.93").doesNotContainKey("chosen_epoch");
        Map<String, String> b = rows.get(runB);
        assertThat(b).containsEntry("status", "failed").containsEntry("exit_code", "3").containsEntry("objective_best", "0.5")
                .containsEntry("objective_best_epoch", "1");
        assertThat(b.get("ended_at")).matches(TIME);
        Map<String, String> c = rows.get(runC);
        assertThat(c).containsEntry("status", "pending").containsEntry("claimed_at", "").containsEntry("ended_at", "")
                .containsEntry("duration", "").containsEntry("exit_code", "").containsEntry("host", "");
        assertThat(c.get("param.width")).matches("\\d+");

        Map<String, Object> json = Json.parseObject(ok(cli(), "export", "-e", "sel", "-o", "jsonl").out().lines()
                .filter(l -> l.contains("\"" + runA + "\"")).findFirst().orElseThrow());
        assertThat(((Map<?, ?>) json.get("params")).get("width")).as("a JSON integer").isInstanceOf(Long.class);
        assertThat(json).containsEntry("exit_code", 0L).containsEntry("git_commit", COMMIT).containsEntry("git_dirty", true);
        assertThat((String) json.get("claimed_at")).matches(TIME);
        assertThat(((Map<?, ?>) ((Map<?, ?>) json.get("metrics")).get("test")).get("acc"))
                .isEqualTo(Map.of("last", 0.93, "lastEpoch", 3L, "min", 0.61, "minEpoch", 1L, "max", 0.93, "maxEpoch", 3L));
    }

    @Test
    void the_wide_form_has_a_row_per_run_and_epoch_and_a_column_per_metric() {
        List<String> lines = ok(cli(), "export", "-e", "sel", "--epochs", "--wide").out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("run,model,dataset,trial,replicate,seed,epoch,param.lr,param.width,test.acc,val.acc");
        assertThat(lines).hasSize(1 + 3 + 2);
        Map<String, Map<String, String>> rows = csv("export", "-e", "sel", "--epochs", "--wide");
        assertThat(rows.get(runA + "#2")).containsEntry("test.acc", "0.82").containsEntry("val.acc", "0.9")
                .containsEntry("param.width", String.valueOf(widthA)).containsEntry("param.lr", "0.5").containsEntry("model", "m");
        assertThat(rows.get(runA + "#3")).containsEntry("test.acc", "0.93");
        assertThat(rows.get(runB + "#1")).containsEntry("test.acc", "0.55").containsEntry("val.acc", "0.5");
        assertThat(rows.get(runA + "#1").get("seed")).matches("\\d+");

        List<Object> json = (List<Object>) Json.parse(ok(cli(), "export", "-e", "sel", "--epochs", "--wide", "-o", "json").out().strip());
        assertThat(json).hasSize(5);
        Map<String, Object> first = (Map<String, Object>) json.get(0);
        assertThat(first.keySet()).containsExactly("run", "model", "dataset", "trial", "replicate", "seed", "epoch", "param.lr",
                "param.width", "test.acc", "val.acc");
        assertThat(first.get("param.width")).isInstanceOf(Long.class);
    }

    @Test
    void metric_and_epoch_add_the_chosen_epoch_and_the_metric_there_to_each_run() {
        Map<String, Map<String, String>> best = csv("export", "-e", "sel", "--metric", "test.acc");
        assertThat(best.get(runA)).containsEntry("chosen_epoch", "2").containsEntry("test.acc@chosen", "0.82");
        assertThat(best.get(runB)).containsEntry("chosen_epoch", "1").containsEntry("test.acc@chosen", "0.55");
        assertThat(best.get(runC)).containsEntry("chosen_epoch", "").containsEntry("test.acc@chosen", "");

        Map<String, Map<String, String>> last = csv("export", "-e", "sel", "--metric", "test.acc", "--epoch", "last");
        assertThat(last.get(runA)).containsEntry("chosen_epoch", "3").containsEntry("test.acc@chosen", "0.93");
        assertThat(last.get(runB)).containsEntry("chosen_epoch", "2").containsEntry("test.acc@chosen", "0.45");

        Map<String, Map<String, String>> objectiveLast = csv("export", "-e", "sel", "--epoch", "last");
        assertThat(objectiveLast.get(runA)).containsEntry("val.acc@chosen", "0.7");

        Map<String, Map<String, String>> duration = csv("export", "-e", "sel", "--metric", "duration");
        assertThat(duration.get(runA).get("duration@chosen")).isEqualTo(duration.get(runA).get("duration")).isNotEmpty();

        Map<String, Object> json = Json.parseObject(ok(cli(), "export", "-e", "sel", "-o", "jsonl", "--metric", "test.acc").out().lines()
                .filter(l -> l.contains("\"" + runA + "\"")).findFirst().orElseThrow());
        assertThat(json).containsEntry("chosen_epoch", 2L).containsEntry("test.acc@chosen", 0.82);
    }

    @Test
    void the_runs_view_shows_filters_and_sorts_by_the_metric_at_the_chosen_epoch() {
        List<String> csv = ok(cli(), "report", "-e", "sel", "--view", "runs", "--metric", "test.acc", "-o", "csv").out().lines().toList();
        assertThat(csv.get(0)).isEqualTo("run,model,dataset,trial,replicate,seed,status,attempt,objective,final,epochs,duration,"
                + "chosen_epoch,shown,param.lr,param.width");
        assertThat(csv).anyMatch(l -> l.startsWith(runA + ",") && l.contains(",2,0.82,0.5," + widthA));

        String atLast = ok(cli(), "report", "-e", "sel", "--view", "runs", "--metric", "test.acc", "--epoch", "last",
                "--where", "shown>0.5", "-o", "csv").out();
        assertThat(atLast.lines()).hasSize(2).anyMatch(l -> l.startsWith(runA + ",") && l.contains(",3,0.93,"));
        String atBest = ok(cli(), "report", "-e", "sel", "--view", "runs", "--metric", "test.acc", "--where", "shown>0.5",
                "-o", "csv").out();
        assertThat(atBest.lines()).as("B's test.acc is 0.55 at its best epoch, 0.45 at its last").hasSize(3);
        String sorted = ok(cli(), "report", "-e", "sel", "--view", "runs", "--epoch", "last", "--metric", "test.acc",
                "--sort", "shown", "-o", "csv").out();
        assertThat(sorted.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList()).containsExactly(runB, runA, runC);

        Map<String, Object> json = Json.parseObject(ok(cli(), "report", "-e", "sel", "--view", "runs", "--metric", "test.acc",
                "-o", "json").out().strip());
        assertThat(json).containsEntry("metric", "test.acc").containsEntry("epoch", "best");
        assertThat((List<Object>) json.get("runs")).anySatisfy(r -> assertThat((Map<String, Object>) r)
                .containsEntry("run", runA).containsEntry("chosen_epoch", 2L).containsEntry("shown", 0.82));

        String table = ok(cli(), "report", "-e", "sel", "--view", "runs", "--metric", "test.acc", "--width", "200").out();
        assertThat(table).contains("shown: test.acc at each run's best val.acc epoch").containsPattern("EPOCH +TEST\\.ACC")
                .containsPattern(" 2 +0\\.820 ");

        // Without the options, shown is the objective's best and chosen_epoch its epoch: still a field to sort by.
        String plain = ok(cli(), "report", "-e", "sel", "--view", "runs", "--sort", "-shown", "--limit", "1", "-o", "csv").out();
        assertThat(plain.lines().toList().get(0)).doesNotContain("shown");
        assertThat(plain.lines().toList().get(1)).startsWith(runA + ",");
    }

    @Test
    void a_requeued_run_has_no_end_and_no_exit_code_until_it_ends_again() throws Exception {
        Path f = tmp.resolve("req.yaml");
        Files.writeString(f, """
                name: req
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  m: {datasets: [x], params: {width: [8]}}
                """);
        ok(cli(), "create", f.toString());
        Map<String, Object> c = Json.parseObject(ok(cli(), "next", "-e", "req").out().strip());
        ok(cli(), "end", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--status", "failed", "--exit-code", "3");
        assertThat(csv("export", "-e", "req").get(c.get("run"))).containsEntry("exit_code", "3");
        ok(cli(), "requeue", "-e", "req");
        Map<String, String> requeued = csv("export", "-e", "req").get(c.get("run"));
        assertThat(requeued).containsEntry("status", "pending").containsEntry("ended_at", "").containsEntry("duration", "")
                .containsEntry("exit_code", "").containsEntry("param.width", "8");
    }

    @Test
    void a_run_logged_by_steps_only_has_no_epoch_to_choose() throws Exception {
        Path f = tmp.resolve("steps.yaml");
        Files.writeString(f, """
                name: steps
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  m: {datasets: [x], params: {width: [8]}}
                """);
        ok(cli(), "create", f.toString());
        Map<String, Object> c = Json.parseObject(ok(cli(), "next", "-e", "steps").out().strip());
        CliRun w = cli().env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
        ok(w, "log", "--step", "1", "val.acc=0.5", "test.acc=0.4");
        ok(w, "log", "--step", "2", "val.acc=0.6", "test.acc=0.3");
        ok(w, "end", "--status", "completed");
        Map<String, String> row = csv("export", "-e", "steps", "--metric", "test.acc").get(c.get("run"));
        assertThat(row).containsEntry("objective_best", "0.6").containsEntry("chosen_epoch", "").containsEntry("test.acc@chosen", "");
        String runs = ok(cli(), "report", "-e", "steps", "--view", "runs", "--epoch", "last", "-o", "csv").out();
        assertThat(runs.lines().toList().get(1)).contains(",completed,1,0.6,0.6,2,").contains(",,,8");
    }

    @Test
    void mistakes_are_usage_errors_that_say_what_to_write() {
        CliRun.Result typo = cli().run("export", "-e", "sel", "--metric", "test.accc");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("--metric test.accc: no run of this experiment has logged it; did you mean 'test.acc'?")
                .contains("metrics logged: test.acc, val.acc (or duration)");
        CliRun.Result runsTypo = cli().run("report", "-e", "sel", "--view", "runs", "--metric", "val.ac");
        assertThat(runsTypo.code()).isEqualTo(2);
        assertThat(runsTypo.err()).contains("did you mean 'val.acc'?");
        assertThat(cli().run("export", "-e", "sel", "--wide").err()).contains("--wide is a form of --epochs");
        CliRun.Result both = cli().run("export", "-e", "sel", "--epochs", "--metric", "test.acc");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--metric and --epoch choose a value per run");
        assertThat(cli().run("export", "-e", "sel", "--metric", "acc").err()).contains("--metric takes PHASE.NAME");
    }
}
