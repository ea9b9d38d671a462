package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** A conditional parameter is absent - never 0, null or an empty value - wherever a run's parameters leave tracker. */
class ConditionalParamsCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void uniqueName(TestInfo info) {
        name = TestNames.experiment(info);
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    CliRun.Result ok(String... args) {
        CliRun.Result r = cli().run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    Path definition() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp:
                    datasets: [iris]
                    params:
                      optimizer: [sgd, adam]
                      momentum: {values: [0.9, 0.99], when: {optimizer: sgd}}
                search: {method: grid, replicates: 2, seed: 3}
                command: python train.py {args}
                """.formatted(name));
        return f;
    }

    @Test
    void an_inactive_parameter_is_absent_from_claims_reports_exports_and_show() throws IOException {
        CliRun.Result dry = ok("create", definition().toString(), "--dry-run");
        assertThat(dry.out()).as("3 settings, not the 4 of the plain product, x 2 replicates").containsPattern("runs +6 \\(grid search")
                .containsPattern("mlp +1 +3 +2 +6\n").containsPattern("optimizer=adam\n").doesNotContain("null");
        ok("create", definition().toString());

        Map<String, String> optimizerOf = new HashMap<>();
        List<String> adamRuns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String run;
            String token;
            String optimizer;
            if (i % 2 == 0) { // replicate 0 of each of the 3 settings
                Map<String, Object> claim = Json.parseObject(ok("next", "-e", name, "-o", "json").out().strip());
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) claim.get("params");
                optimizer = (String) params.get("optimizer");
                String args = (String) claim.get("args");
                if (optimizer.equals("sgd")) {
                    assertThat(params).containsOnlyKeys("momentum", "optimizer");
                    assertThat(args).matches("--momentum=0\\.99? --optimizer=sgd");
                } else {
                    assertThat(params).as("no momentum key at all under adam").containsOnlyKeys("optimizer");
                    assertThat(args).isEqualTo("--optimizer=adam");
                }
                run = (String) claim.get("run");
                token = (String) claim.get("token");
            } else { // replicate 1 of each
                String env = ok("next", "-e", name, "-o", "env").out();
                optimizer = value(env, "TRACKER_PARAM_OPTIMIZER");
                if (optimizer.equals("sgd")) {
                    assertThat(env).contains("export TRACKER_PARAM_MOMENTUM=");
                } else {
                    assertThat(env).doesNotContain("MOMENTUM").doesNotContain("momentum")
                            .contains("export TRACKER_ARGS=--optimizer=adam\n");
                }
                run = value(env, "TRACKER_RUN");
                token = value(env, "TRACKER_TOKEN");
            }
            optimizerOf.put(run, optimizer);
            if (optimizer.equals("adam")) {
                adamRuns.add(run);
            }
            CliRun w = cli().env("TRACKER_RUN", run).env("TRACKER_TOKEN", token);
            assertThat(w.run("log", "--epoch", "1", "val.acc=0.5").code()).isZero();
            assertThat(w.run("end", "--status", "completed").code()).isZero();
        }
        assertThat(adamRuns).as("both replicates of the one adam setting").hasSize(2);

        String csv = ok("export", "-e", name, "-o", "csv").out();
        Map<String, String> momentum = column(csv, "param.momentum");
        assertThat(momentum).hasSize(6);
        momentum.forEach((run, cell) -> {
            if (optimizerOf.get(run).equals("adam")) {
                assertThat(cell).as("an empty cell, not 0 or null, for " + run).isEmpty();
            } else {
                assertThat(cell).isIn("0.9", "0.99");
            }
        });
        for (String line : ok("export", "-e", name, "-o", "jsonl").out().lines().toList()) {
            Map<String, Object> row = Json.parseObject(line);
            Map<?, ?> params = (Map<?, ?>) row.get("params");
            assertThat(params.containsKey("momentum")).as(line).isEqualTo(params.get("optimizer").equals("sgd"));
        }

        String runs = ok("report", "-e", name, "--view", "runs", "-o", "csv").out();
        assertThat(column(runs, "param.momentum")).hasSize(6).allSatisfy((run, cell) -> {
            if (adamRuns.contains(run)) {
                assertThat(cell).as("report --view runs: an empty cell for " + run).isEmpty();
            } else {
                assertThat(cell).isIn("0.9", "0.99");
            }
        });
        String table = ok("report", "-e", name, "--view", "runs", "--width", "200").out();
        assertThat(table).doesNotContain("null").contains("optimizer=adam");
        assertThat(table.lines().filter(l -> l.contains("optimizer=adam"))).hasSize(2).noneMatch(l -> l.contains("momentum"));

        String show = ok("show", adamRuns.get(0)).out();
        assertThat(show).containsPattern("params +optimizer=adam\n").doesNotContain("momentum").doesNotContain("null");
        Map<String, Object> shown = Json.parseObject(ok("show", adamRuns.get(0), "-o", "json").out().strip());
        assertThat(shown.toString()).doesNotContain("momentum");
    }

    @Test
    void a_command_naming_a_conditional_parameter_alone_is_refused_at_create_and_at_run() throws IOException {
        Path f = definition();
        Files.writeString(f, Files.readString(f).replace("{args}", "--momentum {param.momentum}"));
        CliRun.Result r = cli().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(9);
        assertThat(r.err()).contains("{param.momentum}: parameter 'momentum' of model 'mlp' is conditional (when:)")
                .contains("pass it with {args}");

        ok("create", definition().toString());
        CliRun.Result run = cli().run("run", "-e", name, "--", "echo", "{param.momentum}");
        assertThat(run.code()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("is conditional (when:)");
    }

    @Test
    void tpe_chooses_conditional_parameters_only_where_active_from_a_history_where_they_are_often_absent() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp:
                    datasets: [iris]
                    params:
                      optimizer: [sgd, adam]
                      momentum: {distribution: uniform, min: 0.8, max: 0.99, when: {optimizer: sgd}}
                      lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
                search: {method: tpe, trials: 14, startup: 4, seed: 2}
                command: python train.py {args}
                """.formatted(name));
        ok("create", f.toString());
        int sgd = 0;
        for (int i = 0; i < 14; i++) {
            Map<String, Object> claim = Json.parseObject(ok("next", "-e", name, "-o", "json").out().strip());
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) claim.get("params");
            if (params.get("optimizer").equals("sgd")) {
                sgd++;
                assertThat(params).as("claim " + i).containsOnlyKeys("optimizer", "momentum", "lr");
            } else {
                assertThat(params).as("claim " + i).containsOnlyKeys("optimizer", "lr");
                assertThat((String) claim.get("args")).doesNotContain("momentum");
            }
            double value = params.get("optimizer").equals("sgd") ? ((Number) params.get("momentum")).doubleValue() : 0.5;
            CliRun w = cli().env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));
            assertThat(w.run("log", "--epoch", "1", "val.acc=" + value).code()).isZero();
            assertThat(w.run("end", "--status", "completed").code()).isZero();
        }
        assertThat(sgd).as("both optimizers were tried").isBetween(1, 13);
        assertThat(column(ok("export", "-e", name, "-o", "csv").out(), "param.momentum").values())
                .as("blank, never 0 or null").noneMatch(c -> c.equals("0") || c.equals("null") || c.equals("0.0"));
    }

    /** Run id -> the cell of the named column, from CSV whose values here need no unquoting. */
    private static Map<String, String> column(String csv, String header) {
        List<String> lines = csv.lines().toList();
        List<String> names = List.of(lines.get(0).split(",", -1));
        int at = names.indexOf(header);
        int id = names.indexOf("run");
        assertThat(at).as(header + " in " + names).isNotNegative();
        Map<String, String> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            out.put(cells[id], cells[at]);
        }
        return out;
    }

    private static String value(String env, String variable) {
        return env.lines().filter(l -> l.startsWith("export " + variable + "=")).findFirst().orElseThrow()
                .substring(("export " + variable + "=").length()).replace("'", "");
    }
}
