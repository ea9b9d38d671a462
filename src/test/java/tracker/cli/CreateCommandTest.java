package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestNames;
import tracker.testing.TestDatabase;

class CreateCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String DEF = """
            name: %s
            objective: {metric: acc, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp: {datasets: [iris, wine], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}, depth: [1, 2]}}
            search: {trials: 3, replicates: 2, seed: 5}
            """;

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void uniqueName(org.junit.jupiter.api.TestInfo info) {
        name = TestNames.experiment(info);
    }

    Path file(String text) throws IOException {
        Path f = Files.createTempFile(tmp, "exp", ".yaml");
        Files.writeString(f, text);
        return f;
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    Map<String, Object> json(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.parseObject(r.out().strip());
    }

    long runs(String experimentId) {
        return DB.mongo().getCollection("runs").countDocuments(Filters.eq("experiment", experimentId));
    }

    @Test
    void creates_the_experiment_and_plans_every_run() throws IOException {
        Map<String, Object> m = json(cli().run("create", file(DEF.formatted(name)).toString(), "-o", "json"));
        assertThat(m).containsEntry("id", name + "@1").containsEntry("action", "created").containsEntry("version", 1L)
                .containsEntry("cells", 2L).containsEntry("runs", 12L).containsEntry("newRuns", 12L);
        assertThat((String) m.get("hash")).hasSize(64);
        assertThat(runs(name + "@1")).isEqualTo(12);
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", name + "@1/mlp/iris/1")).first();
        assertThat(run).isNotNull();
        assertThat(run.getString("status")).isEqualTo("pending");
        assertThat(run.get("params", Document.class)).containsOnlyKeys("depth", "lr");
        assertThat(run.getString("cell")).isEqualTo(name + "@1/mlp/iris");
        assertThat(run.getInteger("pos")).isEqualTo(1);
        assertThat(run.getInteger("trial")).isZero();
        assertThat(run.getInteger("replicate")).isEqualTo(1);
        Document cell = DB.mongo().getCollection("cells").find(Filters.eq("_id", name + "@1/mlp/iris")).first();
        assertThat(cell.getInteger("size")).isEqualTo(6);
        assertThat(cell.getInteger("next")).isZero();
    }

    @Test
    void the_same_definition_reconnects_and_changes_nothing() throws IOException {
        Path f = file(DEF.formatted(name));
        cli().run("create", f.toString());
        // a different spelling of the same definition
        Path same = file(DEF.formatted(name).replace("min: 1e-4", "min: 0.0001").replace("seed: 5}", "seed: 5, method: random}"));
        CliRun.Result r = cli().run("create", same.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("reconnected to experiment " + name + "@1");
        assertThat(r.out()).contains("id      " + name + "@1").contains("action  reconnected");
        assertThat(runs(name + "@1")).isEqualTo(12);
    }

    @Test
    void an_experiment_stored_before_floats_were_written_python_style_is_still_the_same_definition() throws IOException {
        // As an older tracker left it: the definition stored with Java's float spellings (1.0e-5),
        // and the hash it computed. The same file must reconnect, plan nothing new, and show today's spelling.
        Path file = file(resource("/golden/stored/floats.yaml"));
        String oldHash = resource("/golden/stored/floats.hash").strip();
        cli().run("create", file.toString());
        var experiments = DB.mongo().getCollection("experiments");
        assertThat(experiments.find(Filters.eq("_id", "floats@1")).first().getString("hash")).isEqualTo(oldHash);
        experiments.updateOne(Filters.eq("_id", "floats@1"),
                Updates.set("definition", resource("/golden/stored/floats.canonical.yaml")));

        CliRun.Result again = cli().run("create", file.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.err()).contains("reconnected to experiment floats@1");
        assertThat(runs("floats@1")).isEqualTo(3);
        assertThat(cli().run("show", "floats").out()).contains("min: 1.0e-05").doesNotContain("1.0e-5,");
    }

    static String resource(String path) throws IOException {
        try (java.io.InputStream in = CreateCommandTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void one_run_in_one_cell_is_said_in_the_singular() throws IOException {
        Path one = file("""
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models: {mlp: {datasets: [iris], params: {depth: 2}}}
                search: {trials: 1}
                """.formatted(name));
        assertThat(cli().run("create", one.toString()).err()).contains("created experiment " + name + "@1 with 1 run in 1 cell\n");
        assertThat(cli().run("status", "-e", name).out()).contains(name + "@1  1 run: pending 1");
        assertThat(cli().run("next", "-e", name).code()).isZero();
        CliRun.Result busy = cli().run("next", "-e", name);
        assertThat(busy.code()).as(busy.toString()).isEqualTo(4);
        assertThat(busy.err()).contains(": 1 run in flight");
        assertThat(cli().run("cancel", "-e", name, "--running").err()).contains("cancelled 0 pending and 1 running run of " + name + "@1");
    }

    @Test
    void a_different_definition_is_refused_with_a_diff_and_nothing_changes() throws IOException {
        cli().run("create", file(DEF.formatted(name)).toString());
        CliRun.Result r = cli().run("create", file(DEF.formatted(name).replace("depth: [1, 2]", "depth: [1, 2, 4]")).toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(8);
        assertThat(r.err()).contains("experiment '" + name + "' exists (" + name + "@1) with a different definition:")
                .contains("models.mlp.params.depth: {distribution: categorical, values: [1, 2]} -> {distribution: categorical, values: [1, 2, 4]}")
                .contains("--extend").contains("--new-version");
        assertThat(runs(name + "@1")).isEqualTo(12);
        assertThat(DB.mongo().getCollection("experiments").countDocuments(Filters.eq("name", name))).isEqualTo(1);
    }

    @Test
    void extend_adds_runs_and_keeps_existing_ones_and_their_results() throws IOException {
        cli().run("create", file(DEF.formatted(name)).toString());
        var runsColl = DB.mongo().getCollection("runs");
        runsColl.updateOne(Filters.eq("_id", name + "@1/mlp/iris/0"), Updates.combine(Updates.set("status", "completed"),
                Updates.set("summary", new Document("best", 0.9))));
        String bigger = DEF.formatted(name).replace("trials: 3, replicates: 2", "trials: 4, replicates: 2")
                .replace("datasets: [iris, wine]\nmodels", "datasets: [iris, wine, digits]\nmodels")
                .replace("mlp: {datasets: [iris, wine]", "mlp: {datasets: [iris, wine, digits]")
                .replace("search:", "  knn: {datasets: [iris], params: {k: [1, 3]}}\nsearch:");
        Map<String, Object> m = json(cli().run("create", file(bigger).toString(), "--extend", "-o", "json"));
        assertThat(m).containsEntry("action", "extended").containsEntry("id", name + "@1");
        long expected = 3 * 4 * 2 + 4 * 2;
        assertThat(m).containsEntry("runs", expected).containsEntry("newRuns", expected - 12);
        assertThat(runs(name + "@1")).isEqualTo(expected);
        // Queues: old runs keep their places, new ones are appended behind them.
        Document cell = DB.mongo().getCollection("cells").find(Filters.eq("_id", name + "@1/mlp/iris")).first();
        assertThat(cell.getInteger("size")).isEqualTo(8);
        assertThat(runsColl.find(Filters.eq("_id", name + "@1/mlp/iris/0")).first().getInteger("pos")).isZero();
        assertThat(runsColl.find(Filters.and(Filters.eq("cell", name + "@1/mlp/iris"), Filters.eq("trial", 3),
                Filters.eq("replicate", 0))).first().getString("_id")).isEqualTo(name + "@1/mlp/iris/6");
        assertThat(runsColl.find(Filters.and(Filters.eq("cell", name + "@1/mlp/digits"), Filters.eq("trial", 0),
                Filters.eq("replicate", 0))).first().getInteger("pos")).isZero();
        assertThat(DB.mongo().getCollection("cells").countDocuments(Filters.eq("experiment", name + "@1"))).isEqualTo(4);
        Document kept = runsColl.find(Filters.eq("_id", name + "@1/mlp/iris/0")).first();
        assertThat(kept.getString("status")).isEqualTo("completed");
        assertThat(kept.get("summary", Document.class).getDouble("best")).isEqualTo(0.9);
        // the extended file now reconnects
        assertThat(cli().run("create", file(bigger).toString()).err()).contains("reconnected");
    }

    @Test
    void extend_refuses_changes_that_are_not_additions() throws IOException {
        cli().run("create", file(DEF.formatted(name)).toString());
        CliRun.Result r = cli().run("create", file(DEF.formatted(name).replace("max: 1e-1", "max: 0.5")).toString(), "--extend");
        assertThat(r.code()).as(r.toString()).isEqualTo(8);
        assertThat(r.err()).contains("cannot extend " + name + "@1").contains("parameters of model 'mlp' changed")
                .contains("--new-version");
        assertThat(runs(name + "@1")).isEqualTo(12);
    }

    @Test
    void new_version_starts_a_fresh_experiment_and_leaves_the_old_one() throws IOException {
        cli().run("create", file(DEF.formatted(name)).toString());
        Path changed = file(DEF.formatted(name).replace("seed: 5", "seed: 6"));
        Map<String, Object> m = json(cli().run("create", changed.toString(), "--new-version", "-o", "json"));
        assertThat(m).containsEntry("id", name + "@2").containsEntry("version", 2L).containsEntry("action", "created");
        assertThat(runs(name + "@1")).isEqualTo(12);
        assertThat(runs(name + "@2")).isEqualTo(12);
        // identical to the latest version: no third one
        assertThat(json(cli().run("create", changed.toString(), "--new-version", "-o", "json")))
                .containsEntry("id", name + "@2").containsEntry("action", "reconnected");
        assertThat(cli().run("create", changed.toString(), "--new-version", "--extend").code()).isEqualTo(2);
    }

    @Test
    void an_older_versions_definition_reconnects_to_that_version_and_plans_nothing() throws IOException {
        Path first = file(DEF.formatted(name));
        cli().run("create", first.toString());
        Path second = file(DEF.formatted(name).replace("seed: 5", "seed: 6"));
        assertThat(json(cli().run("create", second.toString(), "--new-version", "-o", "json"))).containsEntry("id", name + "@2");
        // the first file spelled differently, with each of the three ways of asking
        Path again = file(DEF.formatted(name).replace("min: 1e-4", "min: 0.0001"));
        for (String[] flags : List.of(new String[0], new String[] {"--new-version"}, new String[] {"--extend"})) {
            List<String> args = new ArrayList<>(List.of("create", again.toString()));
            args.addAll(List.of(flags));
            CliRun.Result r = cli().run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.err()).contains("tracker: " + name + "@1 already exists with this definition (latest is " + name
                    + "@2); reconnected to it, nothing changed\n")
                    .contains("tracker: -e " + name + " means " + name + "@2; name this one -e " + name + "@1");
            assertThat(r.out()).contains("id      " + name + "@1\n").contains("action  reconnected\n").contains("latest  " + name + "@2\n");
        }
        Map<String, Object> m = json(cli().run("create", again.toString(), "--new-version", "-o", "json"));
        assertThat(m).containsEntry("id", name + "@1").containsEntry("action", "reconnected").containsEntry("latestVersion", 2L)
                .containsEntry("newRuns", 0L);
        assertThat(cli().run("create", again.toString(), "--new-version").err())
                .contains("--new-version starts a version only for a definition that no version has");
        assertThat(DB.mongo().getCollection("experiments").countDocuments(Filters.eq("name", name))).isEqualTo(2);
        assertThat(runs(name + "@1")).isEqualTo(12);
        assertThat(runs(name + "@3")).isZero();
        // the latest one still reconnects as before, with no word about other versions
        CliRun.Result latest = cli().run("create", second.toString());
        assertThat(latest.err()).isEqualTo("tracker: reconnected to experiment " + name + "@2: same definition, nothing changed\n");
        assertThat(latest.out()).doesNotContain("latest");
        // a third definition still makes a third version
        assertThat(json(cli().run("create", file(DEF.formatted(name).replace("seed: 5", "seed: 7")).toString(), "--new-version",
                "-o", "json"))).containsEntry("id", name + "@3").containsEntry("action", "created").containsEntry("latestVersion", 3L);
    }

    @Test
    void dry_run_prints_the_plan_and_stores_nothing() throws IOException {
        CliRun.Result r = cli().env("TRACKER_URI", "mongodb://127.0.0.1:1/").run("create", file(DEF.formatted(name)).toString(), "--dry-run");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run: nothing stored").contains("cells  2").contains("runs   12")
                .contains("first runs (claim order):").containsPattern("mlp +iris +0 +0");
        Map<String, Object> m = json(cli().run("create", file(DEF.formatted(name)).toString(), "--dry-run", "-o", "json"));
        assertThat(m).containsEntry("dryRun", true).containsEntry("runs", 12L);
        assertThat((List<?>) m.get("firstRuns")).hasSize(5);
        assertThat(DB.mongo().getCollection("experiments").countDocuments(Filters.eq("name", name))).isZero();
    }

    @Test
    void an_invalid_definition_is_exit_9_with_every_problem_and_stores_nothing() throws IOException {
        Path bad = file(DEF.formatted(name).replace("goal: maximize", "goal: up").replace("trials: 3", "trials: -1"));
        CliRun.Result r = cli().run("create", bad.toString());
        assertThat(r.code()).isEqualTo(9);
        assertThat(r.err()).startsWith("tracker: error: 2 problems in " + bad + ":\n")
                .contains("  " + bad + ":2:32: objective.goal must be one of maximize, minimize, not 'up'")
                .contains(bad + ":6:18: search.trials must be at least 1, not -1")
                .contains("tracker: hint: nothing was stored");
        CliRun.Result json = cli().run("create", bad.toString(), "-o", "json");
        assertThat(Json.parseObject(json.err().strip())).containsKey("error");
        assertThat(DB.mongo().getCollection("experiments").countDocuments(Filters.eq("name", name))).isZero();
        assertThat(cli().run("create", tmp.resolve("missing.yaml").toString()).err()).contains("cannot read");
    }

    @Test
    void list_and_show_describe_what_was_created() throws IOException {
        Path f = file(DEF.formatted(name));
        cli().run("create", f.toString());
        CliRun.Result list = cli().run("list");
        assertThat(list.out()).contains("EXPERIMENT").containsPattern(name + "@1 .* 12 +12 +0 +0 +0 +0");
        List<Object> all = (List<Object>) Json.parse(cli().run("list", "-o", "json").out().strip());
        assertThat(all).anySatisfy(o -> assertThat((Map<String, Object>) o).containsEntry("id", name + "@1")
                .containsEntry("runs", 12L).containsEntry("state", "ready"));

        CliRun.Result show = cli().run("show", name);
        assertThat(show.code()).as(show.toString()).isZero();
        assertThat(show.out()).contains("# " + name + "@1").contains("name: " + name)
                .contains("lr: {distribution: log_uniform, min: 0.0001, max: 0.1}").contains("# runs: 12 (pending 12");
        // -o yaml is a definition file that creates the same experiment
        Path back = file(cli().run("show", name + "@1", "-o", "yaml").out());
        assertThat(cli().run("create", back.toString()).err()).contains("reconnected");
    }

    @Test
    void unknown_experiment_is_exit_7_with_a_suggestion() throws IOException {
        cli().run("create", file(DEF.formatted(name)).toString());
        CliRun.Result r = cli().run("show", name + "x");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.err()).contains("no experiment '" + name + "x'").contains("did you mean '" + name + "'?");
        assertThat(cli().run("show", name + "@9").code()).isEqualTo(7);
    }

    @Test
    void a_definition_built_from_parts_is_created_overridden_and_shown_with_where_each_value_came_from() throws IOException {
        Files.createDirectories(tmp.resolve("parts"));
        Files.writeString(tmp.resolve("parts/nets.yaml"), """
                objective: {metric: acc, goal: maximize}
                templates:
                  net: {datasets: [iris, wine], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}, depth: [1, 2]}}
                """);
        Path f = tmp.resolve("variant.yaml");
        Files.writeString(f, """
                include: parts/nets.yaml
                name: %s
                datasets: [iris, wine]
                models:
                  mlp: {extends: net}
                search: {trials: 3, replicates: 2, seed: 5}
                """.formatted(name));
        // The same experiment as the one written out in full (DEF): one hash, whichever way it is written.
        String flat = json(cli().run("create", file(DEF.formatted(name)).toString(), "--dry-run", "-o", "json")).get("hash").toString();
        assertThat(json(cli().run("create", f.toString(), "--dry-run", "-o", "json"))).containsEntry("hash", flat);

        // --set makes a quick variant: checked like the file, and part of the definition's identity.
        CliRun.Result bad = cli().run("create", f.toString(), "--set", "search.trials=many");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(9);
        assertThat(bad.err()).contains(f + ":6:18 (--set search.trials=many): search.trials must be");
        Map<String, Object> created = json(cli().run("create", f.toString(), "--set", "search.trials=4", "-o", "json"));
        assertThat(created).containsEntry("runs", 16L).containsEntry("action", "created");
        assertThat(created.get("hash")).isNotEqualTo(flat);

        // The resolved form, annotated: the file, the include, the override, the defaults.
        CliRun.Result yaml = cli().run("create", f.toString(), "--dry-run", "-o", "yaml", "--origins", "--set", "search.trials=4");
        assertThat(yaml.code()).as(yaml.toString()).isZero();
        assertThat(yaml.out()).contains("name: " + name + "  # " + f + ":2:7\n")
                .contains("objective: {metric: acc, phase: val, goal: maximize}  # " + tmp.resolve("parts/nets.yaml") + ":1:12\n")
                .contains("trials: 4, replicates: 2, seed: 5, grid_limit: 10000}  # " + f + ":6:9; trials from " + f + ":6:18 (--set search.trials=4)")
                .contains("runs: {lease: 10m, max_attempts: 3, priority: 0}  # default");
        // Kept with the experiment: show says the same later, and the annotated text is still a definition of it.
        CliRun.Result show = cli().run("show", name, "-o", "yaml", "--origins");
        assertThat(show.out()).isEqualTo(yaml.out());
        assertThat(cli().run("create", file(show.out()).toString()).err()).contains("reconnected");
        assertThat(cli().run("show", name, "-o", "json", "--origins").code()).isEqualTo(2);
        assertThat(cli().run("create", f.toString(), "--origins").err()).contains("--origins annotates the definition printed by -o yaml");
    }
}
