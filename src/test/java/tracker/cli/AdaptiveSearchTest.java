package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import tracker.json.Json;
import tracker.plan.SettingsSampler;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/**
 * Adaptive search and early stopping through the CLI, against the database: settings chosen at
 * claim time from the cell's history, the same for a trial's replicates and distinct under
 * concurrent claims; runs that fall behind pruned by {@code log} with exit 10.
 */
class AdaptiveSearchTest {
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

    String definition(String search) {
        return """
                name: %s
                objective: {metric: score, phase: val, goal: maximize}
                datasets: [a, b]
                models:
                  m:
                    datasets: [a, b]
                    params:
                      lr: {distribution: log_uniform, min: 1.0e-5, max: 1.0e-1}
                      width: {distribution: int_uniform, min: 8, max: 256}
                      act: [relu, tanh]
                search: %s
                command: echo {args}
                """.formatted(name, search);
    }

    Definition create(String search) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, definition(search));
        ok("create", f.toString());
        return DefinitionParser.parse(definition(search), "test");
    }

    /** A made-up objective with its best at lr = 10^-2.5 and width 100. */
    static double score(Map<?, ?> params) {
        double lr = ((Number) params.get("lr")).doubleValue();
        double width = ((Number) params.get("width")).doubleValue();
        return -Math.pow(Math.log10(lr) + 2.5, 2) - Math.abs(width - 100) / 100;
    }

    Map<String, Object> claim(String... filter) {
        List<String> args = new ArrayList<>(List.of("next", "-e", name, "-o", "json"));
        args.addAll(List.of(filter));
        return Json.parseObject(ok(args.toArray(String[]::new)).out().strip());
    }

    void finish(Map<String, Object> claim, double value) {
        String run = (String) claim.get("run");
        String token = (String) claim.get("token");
        ok("log", "--run", run, "--token", token, "--epoch", "1", "val.score=" + value);
        ok("end", "--run", run, "--token", token, "--status", "completed");
    }

    static List<Document> runs(String experiment) {
        return DB.mongo().getCollection("runs").find(Filters.eq("experiment", experiment + "@1")).sort(Sorts.ascending("_id"))
                .into(new ArrayList<>());
    }

    @Test
    void a_trials_setting_is_chosen_when_first_claimed_and_its_replicates_share_it() throws IOException {
        Definition def = create("{method: tpe, trials: 6, replicates: 2, startup: 3, seed: 5}");
        assertThat(runs(name)).hasSize(24).allMatch(r -> r.get("params") == null);
        String csv = ok("export", "-e", name, "-o", "csv").out();
        assertThat(csv).as("no setting before a claim: shown as absent").contains(",pending,");

        // Cell a alone, in order: trial k's two replicates, then trial k + 1.
        Map<Integer, Map<?, ?>> settings = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> c = claim("--dataset", "a");
            int trial = ((Number) c.get("trial")).intValue();
            Map<?, ?> params = (Map<?, ?>) c.get("params");
            assertThat(new HashSet<Object>(params.keySet())).as("claim " + i).isEqualTo(Set.of("lr", "width", "act"));
            Map<?, ?> before = settings.putIfAbsent(trial, params);
            if (before != null) {
                assertThat(params).as("replicates of trial " + trial + " share its setting").isEqualTo(before);
            }
            finish(c, score(params));
        }
        Definition.Model m = def.models().get("m");
        List<Document> cellA = runs(name).stream().filter(r -> r.getString("dataset").equals("a")).toList();
        for (Document r : cellA) {
            int trial = r.getInteger("trial");
            Document chosen = r.get("chosen", Document.class);
            Document seen = chosen.get("seen", Document.class);
            if (trial < 3) {
                assertThat(chosen.getString("how")).as("trial " + trial + ": start-up").isEqualTo("random");
                assertThat(new java.util.TreeMap<>(r.get("params", Document.class))).isEqualTo(SettingsSampler.random(m, 5, trial));
            } else {
                assertThat(chosen.getString("how")).as("trial " + trial).isEqualTo("tpe");
                assertThat(seen.getInteger("finished")).as("trial " + trial + " saw every trial before it").isEqualTo(trial);
                assertThat(seen.getInteger("inFlight")).isZero();
            }
        }
        // The other cell chose nothing yet; its first claim is its own start-up point 0.
        assertThat(runs(name).stream().filter(r -> r.getString("dataset").equals("b"))).allMatch(r -> r.get("params") == null);
        Map<String, Object> b = claim("--dataset", "b");
        assertThat(b.get("params")).isEqualTo(settings.get(0));
        // show RUN says how the setting was chosen.
        Document last = cellA.stream().filter(r -> r.getInteger("trial") == 5).findFirst().orElseThrow();
        String shown = ok("show", last.getString("_id")).out();
        assertThat(shown).contains("chosen by   tpe after 5 finished trials of the cell, seed ");
    }

    @Test
    void sixteen_workers_claiming_at_once_get_sixteen_different_settings() throws Exception {
        create("{method: tpe, trials: 30, startup: 4, seed: 1}");
        for (int i = 0; i < 4; i++) {
            Map<String, Object> c = claim("--dataset", "a");
            finish(c, score((Map<?, ?>) c.get("params")));
        }
        int workers = 16;
        CyclicBarrier together = new CyclicBarrier(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<Map<String, Object>>> claims = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                claims.add(pool.submit(() -> {
                    together.await(1, TimeUnit.MINUTES);
                    return claim("--dataset", "a", "--worker", "w" + Thread.currentThread().getId());
                }));
            }
            Set<Object> distinct = new HashSet<>();
            Set<Object> trials = new HashSet<>();
            for (Future<Map<String, Object>> f : claims) {
                Map<String, Object> c = f.get(3, TimeUnit.MINUTES);
                distinct.add(c.get("params"));
                trials.add(c.get("trial"));
            }
            assertThat(trials).hasSize(workers);
            assertThat(distinct).as("settings of 16 concurrent claims").hasSize(workers);
        } finally {
            pool.shutdownNow();
        }
        List<Document> tpe = runs(name).stream().filter(r -> r.get("chosen") != null
                && "tpe".equals(r.get("chosen", Document.class).getString("how"))).toList();
        assertThat(tpe).as("all but the start-up trials were chosen by TPE").hasSize(16);
    }

    @Test
    void log_prunes_a_run_that_falls_behind_at_a_rung_and_exits_10() throws IOException {
        create("{method: random, trials: 4, seed: 2, early_stopping: {method: asha, min_epochs: 1, eta: 3}}");
        Map<String, Object> first = claim("--dataset", "a");
        Map<String, Object> second = claim("--dataset", "a");
        String run1 = (String) first.get("run");
        String run2 = (String) second.get("run");
        String token1 = (String) first.get("token");
        String token2 = (String) second.get("token");
        ok("log", "--run", run1, "--token", token1, "--epoch", "1", "val.score=0.9");
        // Epoch 2 is no rung: never judged.
        ok("log", "--run", run2, "--token", token2, "--epoch", "2", "val.score=0.1");
        CliRun.Result pruned = cli().run("log", "--run", run2, "--token", token2, "--epoch", "1", "val.score=0.5", "-o", "json");
        assertThat(pruned.code()).as(pruned.toString()).isEqualTo(10);
        assertThat(pruned.err()).contains("pruned at rung epoch 1").contains("stop training");
        Map<String, Object> summary = Json.parseObject(pruned.out().strip());
        assertThat(summary).containsEntry("pruned", true).containsEntry("lines", 1L);
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", run2)).first();
        assertThat(run.getString("status")).isEqualTo("pruned");
        assertThat(run.getString("message")).contains("0.500000 against 2 runs");
        assertThat(run.get("summary", Document.class).get("objective", Document.class).getDouble("last"))
                .as("the judged epoch is recorded first").isEqualTo(0.1);

        // The worker hears it again rather than "lease lost", and its own end is no conflict.
        CliRun.Result again = cli().run("log", "--run", run2, "--token", token2, "--epoch", "3", "val.score=0.2");
        assertThat(again.code()).as(again.toString()).isEqualTo(10);
        CliRun.Result end = cli().run("end", "--run", run2, "--token", token2, "--status", "failed", "--exit-code", "141");
        assertThat(end.code()).as(end.toString()).isZero();
        assertThat(end.err()).contains("ended pruned by early stopping").contains("it stays pruned");
        assertThat(DB.mongo().getCollection("runs").find(Filters.eq("_id", run2)).first().getString("status")).isEqualTo("pruned");

        // The first run goes on at rung 1 and rung 3, and completes.
        ok("log", "--run", run1, "--token", token1, "--epoch", "3", "val.score=0.95");
        ok("end", "--run", run1, "--token", token1, "--status", "completed");
        // A pruned run is finished: never handed out again; the cell's other runs are.
        Set<String> handed = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            CliRun.Result r = cli().run("next", "-e", name, "-o", "json");
            if (r.code() == 3) {
                break;
            }
            assertThat(r.code()).as(r.toString()).isZero();
            Map<String, Object> c = Json.parseObject(r.out().strip());
            handed.add((String) c.get("run"));
            ok("end", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--status", "cancelled");
        }
        assertThat(handed).hasSize(6).doesNotContain(run1, run2);
        String status = ok("status", "-e", name, "-o", "json").out();
        assertThat(status).contains("\"pruned\"");
    }

    @Test
    void the_median_rule_waits_for_its_runs_then_stops_the_worse_half() throws IOException {
        create("{method: random, trials: 5, seed: 3, early_stopping: {method: median, min_epochs: 1, min_runs: 2}}");
        List<Map<String, Object>> c = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            c.add(claim("--dataset", "a"));
        }
        CliRun.Result r0 = cli().run("log", "--run", (String) c.get(0).get("run"), "--token", (String) c.get(0).get("token"),
                "--epoch", "1", "val.score=0.1");
        assertThat(r0.code()).as("nobody to compare with yet").isZero();
        CliRun.Result r1 = cli().run("log", "--run", (String) c.get(1).get("run"), "--token", (String) c.get(1).get("token"),
                "--epoch", "1", "val.score=0.5");
        assertThat(r1.code()).as("one other run, the rule waits for two").isZero();
        CliRun.Result r2 = cli().run("log", "--run", (String) c.get(2).get("run"), "--token", (String) c.get(2).get("token"),
                "--epoch", "1", "val.score=0.2");
        assertThat(r2.code()).as("0.2 < median(0.1, 0.5) = 0.3\n" + r2).isEqualTo(10);
        CliRun.Result r3 = cli().run("log", "--run", (String) c.get(3).get("run"), "--token", (String) c.get(3).get("token"),
                "--epoch", "1", "val.score=0.4");
        assertThat(r3.code()).as("0.4 >= median(0.1, 0.5, 0.2) = 0.2\n" + r3).isZero();
    }

    @Test
    void minimizing_objectives_prune_the_larger_values() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, definition("{method: random, trials: 3, early_stopping: {method: asha}}")
                .replace("goal: maximize", "goal: minimize"));
        ok("create", f.toString());
        Map<String, Object> a = claim("--dataset", "a");
        Map<String, Object> b = claim("--dataset", "a");
        ok("log", "--run", (String) a.get("run"), "--token", (String) a.get("token"), "--epoch", "1", "val.score=0.3");
        assertThat(cli().run("log", "--run", (String) b.get("run"), "--token", (String) b.get("token"), "--epoch", "1", "val.score=0.2")
                .code()).as("lower is better").isZero();
        Map<String, Object> c = claim("--dataset", "a");
        assertThat(cli().run("log", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--epoch", "1", "val.score=0.4")
                .code()).isEqualTo(10);
    }

    @Test
    void with_transfer_a_cell_starts_from_the_same_models_trials_on_the_other_datasets() throws IOException {
        create("{method: tpe, trials: 8, startup: 3, transfer: true, seed: 4}");
        for (int i = 0; i < 3; i++) {
            Map<String, Object> c = claim("--dataset", "a");
            finish(c, score((Map<?, ?>) c.get("params")));
        }
        // Cell b has nothing of its own, but a's three finished trials: no start-up for it.
        Map<String, Object> b = claim("--dataset", "b");
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", b.get("run"))).first();
        Document chosen = run.get("chosen", Document.class);
        assertThat(chosen.getString("how")).isEqualTo("tpe");
        assertThat(chosen.get("seen", Document.class).getInteger("transferred")).isEqualTo(3);
        assertThat(chosen.get("seen", Document.class).getInteger("finished")).isZero();
        assertThat(ok("show", (String) b.get("run")).out()).contains("and 3 of the same model on other datasets");
    }

    @Test
    void extending_an_adaptive_experiment_adds_trials_chosen_from_everything_finished() throws IOException {
        create("{method: tpe, trials: 4, startup: 2, seed: 6}");
        List<Object> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> c = claim("--dataset", "a");
            before.add(c.get("params"));
            finish(c, score((Map<?, ?>) c.get("params")));
        }
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, definition("{method: tpe, trials: 6, startup: 2, seed: 6}"));
        CliRun.Result extended = cli().run("create", f.toString(), "--extend");
        assertThat(extended.code()).as(extended.toString()).isZero();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> c = claim("--dataset", "a");
            assertThat(((Number) c.get("trial")).intValue()).isEqualTo(4 + i);
            finish(c, score((Map<?, ?>) c.get("params")));
        }
        List<Document> cellA = runs(name).stream().filter(r -> r.getString("dataset").equals("a")).toList();
        assertThat(cellA).hasSize(6).allMatch(r -> r.get("params") != null);
        Document trial5 = cellA.stream().filter(r -> r.getInteger("trial") == 5).findFirst().orElseThrow();
        assertThat(trial5.get("chosen", Document.class).get("seen", Document.class).getInteger("finished")).isEqualTo(5);
        // The trials before the extension kept their settings.
        for (Document r : cellA.stream().filter(r -> r.getInteger("trial") < 4).toList()) {
            assertThat(new java.util.TreeMap<>(r.get("params", Document.class))).as("trial " + r.getInteger("trial"))
                    .isEqualTo(new java.util.TreeMap<>((Map<?, ?>) before.get(r.getInteger("trial"))));
        }
    }
}
