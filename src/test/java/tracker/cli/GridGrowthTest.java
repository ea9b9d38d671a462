package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.CutProxy;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** {@code create --extend} growing a grid: new values become new trials after the old ones, which keep everything. */
class GridGrowthTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** mlp: 2 settings on 2 datasets; knn: 2 settings on iris. 6 runs. */
    static final String DEF = """
            name: %s
            objective: {metric: acc, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp: {datasets: [iris, wine], params: {lr: [0.1, 0.01], depth: 2}}
              knn: {datasets: [iris], params: {k: [1, 3]}}
            search: {method: grid, seed: 4}
            """;
    /** lr gains 0.001, depth (a constant) becomes [2, 4]: 6 settings, 4 of them new. */
    static final String GROWN = DEF.replace("lr: [0.1, 0.01], depth: 2", "lr: [0.1, 0.01, 0.001], depth: [2, 4]");
    /** Again: lr gains 0.0001, listed first (the order of a list does not matter): 8 settings, 2 new. */
    static final String GROWN_AGAIN = GROWN.replace("lr: [0.1, 0.01, 0.001]", "lr: [0.0001, 0.1, 0.01, 0.001]");

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

    Path file(String text) throws IOException {
        Path f = Files.createTempFile(tmp, "exp", ".yaml");
        Files.writeString(f, text);
        return f;
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    Map<String, Object> json(CliRun.Result r) {
        return Json.parseObject(ok(r).out().strip());
    }

    /** The runs of an experiment by id, as stored. */
    Map<String, Document> runs(String experimentId) {
        Map<String, Document> out = new TreeMap<>();
        for (Document d : DB.mongo().getCollection("runs").find(Filters.eq("experiment", experimentId)).sort(Sorts.ascending("_id"))) {
            out.put(d.getString("_id"), d);
        }
        return out;
    }

    void finishSome(int n) {
        for (int i = 0; i < n; i++) {
            Map<String, Object> c = json(cli().run("next", "-e", name, "-o", "json"));
            ok(cli().run("log", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--epoch", "1", "val.acc=0." + (5 + i)));
            ok(cli().run("end", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--status", "completed"));
        }
    }

    /** What identifies a planned run besides its id: trial, replicate, position, params (by value). */
    static String planned(Document run) {
        return run.getInteger("trial") + "/" + run.getInteger("replicate") + "@" + run.getInteger("pos") + " " + params(run);
    }

    static String params(Document run) {
        Document p = run.get("params", Document.class);
        return new TreeMap<>(p).toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_grid_gains_values_as_new_trials_after_the_old_ones_which_keep_their_runs_and_results() throws IOException {
        ok(cli().run("create", file(DEF.formatted(name)).toString()));
        finishSome(3);
        Map<String, Document> before = runs(name + "@1");
        assertThat(before).hasSize(6);

        Map<String, Object> m = json(cli().run("create", file(GROWN.formatted(name)).toString(), "--extend", "-o", "json"));
        assertThat(m).containsEntry("action", "extended").containsEntry("runs", 14L).containsEntry("newRuns", 8L);

        Map<String, Document> after = runs(name + "@1");
        assertThat(after).hasSize(14);
        before.forEach((id, old) -> {
            Document now = after.get(id);
            for (String field : List.of("trial", "replicate", "pos", "params", "status", "summary", "seed", "attempt")) {
                assertThat(now.get(field)).as(id + " " + field).isEqualTo(old.get(field));
            }
        });
        assertThat(after.values().stream().filter(r -> "completed".equals(r.getString("status")))).hasSize(3);
        for (String dataset : List.of("iris", "wine")) {
            List<Document> cell = after.values().stream().filter(r -> r.getString("cell").equals(name + "@1/mlp/" + dataset))
                    .sorted((a, b) -> a.getInteger("pos") - b.getInteger("pos")).toList();
            assertThat(cell).extracting(r -> r.getInteger("trial")).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(cell).extracting(r -> r.getInteger("pos")).containsExactly(0, 1, 2, 3, 4, 5);
            // exactly the new settings, as the new trials
            assertThat(cell.subList(2, 6)).extracting(GridGrowthTest::params).containsExactlyInAnyOrder(
                    "{depth=2, lr=0.001}", "{depth=4, lr=0.1}", "{depth=4, lr=0.01}", "{depth=4, lr=0.001}");
            assertThat(cell.subList(0, 2)).extracting(GridGrowthTest::params).containsExactlyInAnyOrder("{depth=2, lr=0.1}", "{depth=2, lr=0.01}");
        }
        // trial k is the same setting on every dataset
        for (int t = 0; t < 6; t++) {
            assertThat(params(after.get(name + "@1/mlp/iris/" + t))).isEqualTo(params(after.get(name + "@1/mlp/wine/" + t)));
        }
        assertThat(after.keySet().stream().filter(id -> id.contains("/knn/"))).hasSize(2);

        // the grown file is this experiment now: it reconnects, and show plans what is stored
        Map<String, Object> again = json(cli().run("create", file(GROWN.formatted(name)).toString(), "-o", "json"));
        assertThat(again).containsEntry("action", "reconnected").containsEntry("runs", 14L).containsEntry("newRuns", 0L);
        Map<String, Object> shown = json(cli().run("show", name, "-o", "json"));
        assertThat(((Map<String, Object>) shown.get("plan")).get("runs")).isEqualTo(14L);
        assertThat(shown.get("grids").toString()).contains("mlp").contains("depth=2").contains("depth=[2, 4]");
        // every run is claimed once, the new ones too
        Set<String> claimed = new HashSet<>();
        while (true) {
            CliRun.Result r = cli().run("next", "-e", name, "-o", "json");
            if (r.code() == 3) {
                break;
            }
            Map<String, Object> c = json(r);
            assertThat(claimed.add((String) c.get("run"))).as("claimed once: " + c.get("run")).isTrue();
            ok(cli().run("end", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--status", "completed"));
        }
        assertThat(claimed).hasSize(11);
    }

    @Test
    void a_grid_grows_twice_each_stage_appending_only_its_new_settings() throws IOException {
        ok(cli().run("create", file(DEF.formatted(name)).toString()));
        ok(cli().run("create", file(GROWN.formatted(name)).toString(), "--extend"));
        Map<String, Document> first = runs(name + "@1");
        Map<String, Object> m = json(cli().run("create", file(GROWN_AGAIN.formatted(name)).toString(), "--extend", "-o", "json"));
        assertThat(m).containsEntry("newRuns", 4L).containsEntry("runs", 18L);
        Map<String, Document> after = runs(name + "@1");
        first.forEach((id, run) -> assertThat(planned(after.get(id))).as(id).isEqualTo(planned(run)));
        List<String> iris = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            iris.add(params(after.get(name + "@1/mlp/iris/" + t)));
        }
        assertThat(iris.subList(6, 8)).containsExactlyInAnyOrder("{depth=2, lr=1.0E-4}", "{depth=4, lr=1.0E-4}");
        assertThat(new HashSet<>(iris)).as("every setting of the grid once").hasSize(8);
        // a process finishing it plans the same: the stages are stored with the definition
        Document exp = DB.mongo().getCollection("experiments").find(Filters.eq("_id", name + "@1")).first();
        assertThat(exp.getList("grids", Document.class)).singleElement().satisfies(g -> {
            assertThat(g.getString("model")).isEqualTo("mlp");
            assertThat(g.getList("stages", List.class)).hasSize(3);
        });
        assertThat(exp.get("extendingGrids")).isNull();
    }

    @Test
    void an_extension_cut_after_any_write_plans_the_same_runs_when_run_again() throws Exception {
        // the reference: extended without a cut, its writes counted
        String reference = name + "-ref";
        ok(cli().run("create", file(DEF.formatted(reference)).toString()));
        ok(cli().run("create", file(GROWN.formatted(reference)).toString(), "--extend"));
        int writes;
        try (CutProxy proxy = CutProxy.to(DB.uri())) {
            ok(through(proxy).run("create", file(GROWN_AGAIN.formatted(reference)).toString(), "--extend"));
            writes = proxy.writes();
        }
        List<String> expected = runs(reference + "@1").entrySet().stream().map(e -> e.getKey().substring(reference.length()) + " "
                + planned(e.getValue())).toList();
        assertThat(expected).hasSize(18);
        assertThat(writes).isGreaterThan(3);
        for (int k = 0; k <= writes; k++) {
            String cut = name + "-" + k;
            ok(cli().run("create", file(DEF.formatted(cut)).toString()));
            ok(cli().run("create", file(GROWN.formatted(cut)).toString(), "--extend"));
            Path grown = file(GROWN_AGAIN.formatted(cut));
            try (CutProxy proxy = CutProxy.to(DB.uri())) {
                proxy.cutAfter(k);
                assertThat(through(proxy).run("create", grown.toString(), "--extend").code()).as("cut after write " + k).isNotZero();
            }
            Map<String, Object> finished = json(cli().run("create", grown.toString(), "--extend", "-o", "json"));
            assertThat(finished.get("runs")).as("cut after write " + k).isEqualTo(18L);
            List<String> actual = runs(cut + "@1").entrySet().stream().map(e -> e.getKey().substring(cut.length()) + " "
                    + planned(e.getValue())).toList();
            assertThat(actual).as("cut after write %d of %d", k, writes).isEqualTo(expected);
            Document exp = DB.mongo().getCollection("experiments").find(Filters.eq("_id", cut + "@1")).first();
            assertThat(exp.getString("state")).isEqualTo("ready");
            assertThat(exp.get("extendingGrids")).isNull();
        }
    }

    @Test
    void extending_an_experiment_whose_last_extension_was_cut_short_plans_the_runs_of_both() throws Exception {
        String reference = name + "-ref";
        ok(cli().run("create", file(DEF.formatted(reference)).toString()));
        ok(cli().run("create", file(GROWN.formatted(reference)).toString(), "--extend"));
        ok(cli().run("create", file(GROWN_AGAIN.formatted(reference)).toString(), "--extend"));
        List<String> expected = runs(reference + "@1").entrySet().stream().map(e -> e.getKey().substring(reference.length()) + " "
                + planned(e.getValue())).toList();
        // cut right after the update that installs the grown definition: none of its runs is planned yet
        String cut = null;
        for (int k = 1; k < 8 && cut == null; k++) {
            String candidate = name + "-" + k;
            ok(cli().run("create", file(DEF.formatted(candidate)).toString()));
            try (CutProxy proxy = CutProxy.to(DB.uri())) {
                proxy.cutAfter(k);
                through(proxy).run("create", file(GROWN.formatted(candidate)).toString(), "--extend");
            }
            Document exp = DB.mongo().getCollection("experiments").find(Filters.eq("_id", candidate + "@1")).first();
            if (exp.getString("extendingFrom") != null && runs(candidate + "@1").size() == 6) {
                cut = candidate;
            }
        }
        assertThat(cut).as("some cut leaves the extension installed and nothing of it planned").isNotNull();
        String c = cut;
        ok(cli().run("create", file(GROWN_AGAIN.formatted(c)).toString(), "--extend"));
        List<String> actual = runs(c + "@1").entrySet().stream().map(e -> e.getKey().substring(c.length()) + " " + planned(e.getValue()))
                .toList();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void removing_or_changing_grid_values_is_refused_with_what_was_removed() throws IOException {
        ok(cli().run("create", file(DEF.formatted(name)).toString()));
        CliRun.Result r = cli().run("create", file(DEF.formatted(name).replace("lr: [0.1, 0.01]", "lr: [0.1, 0.05, 0.2]")).toString(),
                "--extend");
        assertThat(r.code()).isEqualTo(8);
        assertThat(r.err()).contains("cannot extend " + name + "@1")
                .contains("model 'mlp': parameter 'lr' lost value 0.01 ([0.1, 0.01] -> [0.1, 0.05, 0.2]; a grid may only gain values");
        CliRun.Result constant = cli().run("create", file(DEF.formatted(name).replace("depth: 2", "depth: [3, 4]")).toString(), "--extend");
        assertThat(constant.code()).isEqualTo(8);
        assertThat(constant.err()).contains("parameter 'depth' lost value 2");
        CliRun.Result added = cli().run("create", file(DEF.formatted(name).replace("depth: 2", "depth: 2, width: [8]")).toString(), "--extend");
        assertThat(added.code()).isEqualTo(8);
        assertThat(added.err()).contains("parameter 'width' was added");
        assertThat(runs(name + "@1")).hasSize(6);
    }

    @Test
    void random_search_refuses_any_change_of_params_and_says_why() throws IOException {
        String random = DEF.replace("search: {method: grid, seed: 4}", "search: {method: random, trials: 2, seed: 4}");
        ok(cli().run("create", file(random.formatted(name)).toString()));
        CliRun.Result r = cli().run("create", file(random.formatted(name).replace("lr: [0.1, 0.01]", "lr: [0.1, 0.01, 0.001]")).toString(),
                "--extend");
        assertThat(r.code()).isEqualTo(8);
        assertThat(r.err()).contains("parameters of model 'mlp' changed: under random search trial k's setting is drawn from the space")
                .contains("mix two distributions in one cell");
    }

    private CliRun through(CutProxy proxy) {
        return CliRun.in(tmp).database(DB).env("TRACKER_URI", proxy.uri())
                .env("TRACKER_CONNECT_TIMEOUT", "300ms");
    }
}
