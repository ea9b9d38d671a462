package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** {@code tracker priority}: live changes of the claim order, and how {@code create --extend} treats priorities. */
class PriorityCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Two models on two datasets, two settings each: 8 runs in 4 cells, all of priority 0. */
    static final String DEF = """
            name: %s
            objective: {metric: acc, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp: {datasets: [iris, wine], params: {lr: [0.1, 0.01]}}
              knn: {datasets: [iris, wine], params: {k: [1, 3]}}
            search: {method: grid, seed: 2}
            """;

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

    Path create(String text, String... flags) throws IOException {
        Path f = Files.createTempFile(tmp, "exp", ".yaml");
        Files.writeString(f, text);
        List<String> args = new ArrayList<>(List.of("create", f.toString()));
        args.addAll(List.of(flags));
        ok(cli().run(args.toArray(String[]::new)));
        return f;
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    Map<String, Object> next() {
        return Json.parseObject(ok(cli().run("next", "-e", name, "-o", "json")).out().strip());
    }

    void complete(Map<String, Object> claim) {
        ok(cli().run("log", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"), "--epoch", "1", "val.acc=0.5"));
        ok(cli().run("end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"), "--status", "completed"));
    }

    Document cell(String modelDataset) {
        return DB.mongo().getCollection("cells").find(Filters.eq("_id", name + "@1/" + modelDataset)).first();
    }

    @SuppressWarnings("unchecked")
    List<Document> history() {
        return DB.mongo().getCollection("experiments").find(Filters.eq("_id", name + "@1")).first().getList("history", Document.class);
    }

    @Test
    void a_cell_raised_above_the_others_is_claimed_first_from_the_next_claim_on() throws IOException {
        create(DEF.formatted(name));
        CliRun.Result r = ok(cli().run("priority", "-e", name, "--model", "knn", "--dataset", "wine", "5"));
        assertThat(r.out()).isEqualTo("knn/wine  0 -> 5\n");
        assertThat(r.err()).isEqualTo("tracker: priority 5 for 1 cell of " + name + "@1\n");
        // both of knn/wine's runs before any other, then the rest
        assertThat(List.of(next().get("run"), next().get("run"))).containsExactlyInAnyOrder(name + "@1/knn/wine/0", name + "@1/knn/wine/1");
        assertThat(((String) next().get("run"))).doesNotContain("knn/wine");
    }

    @Test
    void lowering_cells_puts_them_last_and_json_says_what_changed() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--model", "mlp", "3"));
        Map<String, Object> m = Json.parseObject(ok(cli().run("priority", "-e", name, "--model", "mlp,knn", "--dataset", "iris", "-2",
                "-o", "json")).out());
        assertThat(m).containsEntry("experiment", name + "@1").containsEntry("priority", -2L).containsEntry("unchanged", 0L);
        assertThat(m.get("changed")).as("in the definition's order").isEqualTo(List.of(Map.of("cell", "knn/iris", "from", 0L, "to", -2L),
                Map.of("cell", "mlp/iris", "from", 3L, "to", -2L)));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            order.add(((String) next().get("run")).replaceAll("^[^/]+/|/\\d+$", ""));
        }
        assertThat(order.subList(0, 4)).containsExactly("mlp/wine", "mlp/wine", "knn/wine", "knn/wine");
        assertThat(order.subList(4, 8)).containsExactlyInAnyOrder("mlp/iris", "knn/iris", "mlp/iris", "knn/iris");
        // the same again changes nothing and records nothing
        int entries = history().size();
        CliRun.Result again = ok(cli().run("priority", "-e", name, "--dataset", "iris", "-2"));
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).contains("priority -2 for 0 cells").contains("2 other cells had it already");
        assertThat(history()).hasSize(entries);
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_change_is_in_the_history() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--dataset", "wine", "4"));
        ok(cli().run("priority", "-e", name, "--run", name + "@1/mlp/iris/1", "9"));
        List<Document> h = history();
        assertThat(h).hasSize(3);
        Document cells = h.get(1);
        assertThat(cells.getString("action")).isEqualTo("priority");
        assertThat(cells.getList("cells", String.class)).containsExactly("knn/wine", "mlp/wine");
        assertThat(cells.getList("from", Integer.class)).containsExactly(0, 0);
        assertThat(cells.getInteger("to")).isEqualTo(4);
        assertThat(cells.getDate("at")).isNotNull();
        Document run = h.get(2);
        assertThat(run.getString("run")).isEqualTo(name + "@1/mlp/iris/1");
        assertThat(run.getInteger("from")).isZero();
        assertThat(run.getInteger("to")).isEqualTo(9);
        // show lists them, oldest first
        String shown = ok(cli().run("show", name)).out();
        assertThat(shown).containsPattern("# priority changes:\n#   \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  knn/wine 0, mlp/wine 0 -> 4\n"
                + "#   \\S+ \\S+  run " + name + "@1/mlp/iris/1: 0 -> 9\n");
        Map<String, Object> json = Json.parseObject(ok(cli().run("show", name, "-o", "json")).out());
        assertThat((List<Object>) json.get("priorityChanges")).hasSize(2).last().asString().contains("run=" + name + "@1/mlp/iris/1");
    }

    @Test
    void unknown_models_and_datasets_are_refused_with_the_closest_name() throws IOException {
        create(DEF.formatted(name));
        CliRun.Result r = cli().run("priority", "-e", name, "--model", "kmn", "1");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.err()).contains("no model 'kmn' in " + name + "@1 (did you mean 'knn'?)");
        CliRun.Result d = cli().run("priority", "-e", name, "--dataset", "wnie", "1");
        assertThat(d.code()).isEqualTo(7);
        assertThat(d.err()).contains("no dataset 'wnie'").contains("did you mean 'wine'?");
        assertThat(cli().run("priority", "-e", name, "--run", name + "@1/mlp/iris/0", "--model", "mlp", "1").code()).isEqualTo(2);
        assertThat(cell("knn/iris").getInteger("priority")).isZero();
    }

    @Test
    void a_boosted_run_is_claimed_first_and_once_its_position_comes_up_it_is_not_handed_out_again() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--model", "mlp", "2")); // knn below mlp
        String boosted = name + "@1/knn/wine/1";
        CliRun.Result r = ok(cli().run("priority", "-e", name, "--run", boosted, "3"));
        assertThat(r.out()).isEqualTo(boosted + "  0 -> 3\n");
        assertThat(cell("knn/wine").get("boosts", Document.class)).containsEntry("1", 3);
        Map<String, Object> first = next();
        assertThat(first.get("run")).isEqualTo(boosted);
        assertThat(first.get("resumed")).as("a boosted run is not a resumed one").isEqualTo(false);
        assertThat(cell("knn/wine").get("boosts", Document.class)).as("the boost goes with the claim").isEmpty();
        // the rest in the cells' order: mlp (2) first, then knn - whose position 1 was handed out already
        Map<String, Integer> claimed = new HashMap<>();
        claimed.merge((String) first.get("run"), 1, Integer::sum);
        complete(first);
        List<String> order = new ArrayList<>();
        while (true) {
            CliRun.Result n = cli().run("next", "-e", name, "-o", "json");
            if (n.code() == 3) {
                break;
            }
            Map<String, Object> c = Json.parseObject(ok(n).out().strip());
            claimed.merge((String) c.get("run"), 1, Integer::sum);
            order.add(((String) c.get("run")).replaceAll("^[^/]+/|/\\d+$", ""));
            complete(c);
        }
        assertThat(claimed).hasSize(8).allSatisfy((run, times) -> assertThat(times).as(run).isEqualTo(1));
        assertThat(order.subList(0, 4)).allMatch(c -> c.startsWith("mlp/"));
        Map<String, Object> status = Json.parseObject(ok(cli().run("status", "-e", name, "-o", "json")).out().strip());
        assertThat((Map<String, Object>) status.get("counts")).containsEntry("completed", 8L).containsEntry("pending", 0L);
        assertThat(cell("knn/wine").getList("resume", Object.class)).isEmpty();
        assertThat(cell("knn/wine").get("running", Document.class)).isEmpty();
    }

    @Test
    void a_boost_below_higher_cells_waits_for_them_and_goes_before_its_own_cell() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--model", "mlp", "5"));
        String boosted = name + "@1/knn/iris/1";
        ok(cli().run("priority", "-e", name, "--run", boosted, "1"));
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add((String) next().get("run"));
        }
        assertThat(runs.subList(0, 4)).allMatch(r -> r.contains("/mlp/"));
        assertThat(runs.get(4)).isEqualTo(boosted);
    }

    @Test
    void only_pending_runs_move_and_never_below_their_cell() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--model", "knn", "4"));
        Map<String, Object> claim = next();
        CliRun.Result running = cli().run("priority", "-e", name, "--run", (String) claim.get("run"), "9");
        assertThat(running.code()).isEqualTo(8);
        assertThat(running.err()).contains("is running: only a pending run can be moved ahead");
        CliRun.Result lower = cli().run("priority", "-e", name, "--run", name + "@1/knn/iris/1", "1");
        assertThat(lower.code()).isEqualTo(8);
        assertThat(lower.err()).contains("cannot lower run " + name + "@1/knn/iris/1 to 1: its cell knn/iris has priority 4")
                .contains("--model knn --dataset iris 1");
        assertThat(cli().run("priority", "-e", name, "--run", "other@1/knn/iris/1", "9").code()).isEqualTo(7);
        assertThat(cli().run("priority", "-e", name, "--run", name + "@1/knn/iris/99", "9").code()).isEqualTo(7);
        assertThat(cell("knn/iris").get("boosts")).isNull();
    }

    @Test
    void extend_keeps_live_priorities_unless_it_changes_the_models_priority() throws IOException {
        create(DEF.formatted(name));
        ok(cli().run("priority", "-e", name, "--model", "knn", "7"));
        // adding a dataset: knn's live priority stays, the new cells take the definition's
        String more = DEF.formatted(name).replace("datasets: [iris, wine]\nmodels", "datasets: [iris, wine, digits]\nmodels")
                .replace("knn: {datasets: [iris, wine]", "knn: {datasets: [iris, wine, digits]");
        create(more, "--extend");
        assertThat(cell("knn/iris").getInteger("priority")).isEqualTo(7);
        assertThat(cell("knn/digits").getInteger("priority")).isZero();
        // changing mlp's priority in the definition: an extension, mlp's cells take it, knn keeps its own
        String repriced = more.replace("mlp: {datasets", "mlp: {priority: 3, datasets");
        Map<String, Object> m = Json.parseObject(ok(cli().run("create", Files.writeString(tmp.resolve("r.yaml"), repriced).toString(),
                "--extend", "-o", "json")).out());
        assertThat(m).containsEntry("action", "extended").containsEntry("newRuns", 0L);
        assertThat(cell("mlp/iris").getInteger("priority")).isEqualTo(3);
        assertThat(cell("mlp/wine").getInteger("priority")).isEqualTo(3);
        assertThat(cell("knn/iris").getInteger("priority")).isEqualTo(7);
        Document last = history().get(history().size() - 1);
        assertThat(last.getString("action")).isEqualTo("extended");
        assertThat(last.getList("priorities", Document.class)).containsExactly(new Document("model", "mlp").append("from", 0).append("to", 3));
        // runs.priority too: it is knn's priority, as knn sets none
        String defaults = repriced.replace("search: {", "runs: {priority: 1}\nsearch: {");
        ok(cli().run("create", Files.writeString(tmp.resolve("d.yaml"), defaults).toString(), "--extend"));
        assertThat(cell("knn/iris").getInteger("priority")).isEqualTo(1);
        assertThat(cell("mlp/iris").getInteger("priority")).isEqualTo(3);
    }
}
