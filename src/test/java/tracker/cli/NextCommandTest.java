package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.json.Json;
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestNames;
import tracker.testing.TestDatabase;

class NextCommandTest {
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

    void create(String extra) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris, wine]
                models:
                  mlp: {datasets: [iris, wine], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}}}
                  knn: {datasets: [iris, wine], params: {k: [1, 3, 5]}}
                search: {trials: 2, replicates: 1, seed: 3}
                """.formatted(name) + extra);
        CliRun.Result r = cli().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    Map<String, Object> next(String... extra) {
        List<String> args = new ArrayList<>(List.of("next", "-e", name));
        args.addAll(List.of(extra));
        CliRun.Result r = cli().run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.parseObject(r.out().strip());
    }

    CliRun.Result end(Map<String, Object> claim, String status) {
        return cli().run("end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"), "--status", status);
    }

    @Test
    void claims_each_run_once_every_cell_first_trial_before_any_second() throws IOException {
        create("");
        List<Map<String, Object>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(next());
        }
        assertThat(claims.stream().map(c -> c.get("run"))).doesNotHaveDuplicates().hasSize(8);
        assertThat(claims.subList(0, 4)).allSatisfy(c -> assertThat(c.get("trial")).isEqualTo(0L));
        assertThat(claims.subList(0, 4).stream().map(c -> c.get("model") + "/" + c.get("dataset")))
                .containsExactlyInAnyOrder("knn/iris", "knn/wine", "mlp/iris", "mlp/wine");
        assertThat(claims.get(0)).containsKeys("token", "seed", "params", "args", "leaseUntil").containsEntry("attempt", 1L);

        CliRun.Result busy = cli().run("next", "-e", name);
        assertThat(busy.code()).as("runs in flight").isEqualTo(4);
        assertThat(busy.err()).contains("nothing claimable now").contains("8 runs in flight");
        for (Map<String, Object> c : claims) {
            assertThat(end(c, "completed").code()).isZero();
        }
        CliRun.Result done = cli().run("next", "-e", name);
        assertThat(done.code()).isEqualTo(3);
        assertThat(done.err()).contains("nothing left to run in " + name + "@1");
        assertThat(cli().run("status", "-e", name, "-o", "json").out())
                .contains("\"counts\":{\"pending\":0,\"running\":0,\"completed\":8,\"failed\":0,\"cancelled\":0,\"pruned\":0}");
    }

    @Test
    void filters_serve_only_some_cells() throws IOException {
        create("");
        Set<String> seen = new HashSet<>();
        CliRun.Result r;
        while ((r = cli().run("next", "-e", name, "--model", "knn", "--dataset", "wine")).code() == 0) {
            Map<String, Object> c = Json.parseObject(r.out().strip());
            seen.add(c.get("model") + "/" + c.get("dataset"));
            end(c, "completed");
        }
        assertThat(r.code()).isEqualTo(3);
        assertThat(seen).containsExactly("knn/wine");
        assertThat(cli().run("next", "-e", name).code()).as("other cells are untouched").isZero();
        assertThat(cli().run("next", "-e", name, "--model", "svm").code()).isEqualTo(2);
    }

    @Test
    void env_output_survives_eval_with_hostile_values() throws Exception {
        String hostile = "it's \\\"q\\\" $(touch " + tmp + "/pwned) `touch " + tmp + "/pwned2` ; rm -rf / \\\\ & | > <";
        create("");
        // a second experiment whose parameter values are hostile
        name = name + "-h";
        Path f = tmp.resolve("hostile.yaml");
        Files.writeString(f, "name: " + name + "\nobjective: {metric: acc, goal: maximize}\ndatasets: [d]\n"
                + "models:\n  m: {datasets: [d], params: {x: \"" + hostile + "\", y: \"two\\nlines\", z: ''}}\n");
        assertThat(cli().run("create", f.toString()).code()).isZero();
        CliRun.Result r = cli().run("next", "-e", name, "-o", "env");
        assertThat(r.code()).as(r.toString()).isZero();
        Path script = tmp.resolve("claim.sh");
        Files.writeString(script, r.out());
        Process p = new ProcessBuilder("bash", "-c", "eval \"$(cat " + script + ")\" && printf '%s\\0%s\\0%s\\0%s' "
                + "\"$TRACKER_PARAM_X\" \"$TRACKER_PARAM_Y\" \"$TRACKER_PARAM_Z\" \"$TRACKER_RUN\"").start();
        String[] values = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\0", -1);
        assertThat(p.waitFor()).isZero();
        String expected = hostile.replace("\\\"", "\"").replace("\\\\", "\\");
        assertThat(values).containsExactly(expected, "two\nlines", "", name + "@1/m/d/0");
        assertThat(tmp.resolve("pwned")).doesNotExist();
        assertThat(tmp.resolve("pwned2")).doesNotExist();

        CliRun.Result none = cli().run("next", "-e", name, "-o", "env");
        assertThat(none.code()).isEqualTo(4);
        assertThat(none.out().strip()).isEqualTo("(exit 4)");
    }

    @Test
    void an_expired_lease_goes_to_the_next_worker_and_the_old_token_writes_nothing() throws Exception {
        create("");
        Map<String, Object> first = next("--lease", "4s", "--worker", "w1");
        long claimed = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            end(next(), "completed");
        }
        assertThat(System.nanoTime() - claimed).as("the other runs were done within the lease").isLessThan(4_000_000_000L);
        Thread.sleep(Math.max(0, 4300 - (System.nanoTime() - claimed) / 1_000_000));
        Map<String, Object> second = next("--worker", "w2");
        assertThat(second.get("run")).isEqualTo(first.get("run"));
        assertThat(second.get("attempt")).isEqualTo(2L);
        assertThat(second.get("token")).isNotEqualTo(first.get("token"));

        CliRun.Result late = end(first, "completed");
        assertThat(late.code()).isEqualTo(6);
        assertThat(late.err()).contains("lease lost on run " + first.get("run")).contains("attempt 2 of worker w2");
        assertThat(cli().run("heartbeat", "--run", (String) first.get("run"), "--token", (String) first.get("token")).code()).isEqualTo(6);
        assertThat(cli().run("heartbeat", "--run", (String) second.get("run"), "--token", (String) second.get("token")).code()).isZero();
        assertThat(end(second, "completed").code()).isZero();

        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", second.get("run"))).first();
        assertThat(run.getString("status")).isEqualTo("completed");
        List<Document> history = run.getList("history", Document.class);
        assertThat(history).extracting(h -> h.getString("how")).containsExactly("expired", "completed");
        assertThat(history.get(0).getString("worker")).isEqualTo("w1");
        assertThat(cli().run("next", "-e", name).code()).isEqualTo(3);
    }

    @Test
    void a_run_fails_when_its_last_attempt_expires() throws Exception {
        create("runs: {max_attempts: 1}\n");
        Map<String, Object> claim = next("--lease", "1s");
        for (int i = 0; i < 7; i++) {
            end(next(), "completed");
        }
        Thread.sleep(1300);
        assertThat(cli().run("next", "-e", name).code()).isEqualTo(3);
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", claim.get("run"))).first();
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("message")).contains("lease expired");
    }

    @Test
    void wait_blocks_until_a_lease_expires() throws Exception {
        create("");
        Map<String, Object> claim = next("--lease", "6s");
        long claimed = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            end(next(), "completed");
        }
        assertThat(cli().run("next", "-e", name, "--wait", "300ms").code()).isEqualTo(4);
        assertThat((System.nanoTime() - claimed) / 1e9).as("the rest was done within the lease").isLessThan(6);
        Map<String, Object> again = next("--wait", "30s");
        assertThat(again.get("run")).isEqualTo(claim.get("run"));
        assertThat((System.nanoTime() - claimed) / 1e9).as("soon after the lease ended").isBetween(6.0, 16.0);
    }

    @Test
    void a_preempted_run_is_resumed_first() throws IOException {
        create("");
        Map<String, Object> first = next();
        assertThat(end(first, "preempted").code()).isZero();
        Map<String, Object> again = next();
        assertThat(again.get("run")).isEqualTo(first.get("run"));
        assertThat(again.get("attempt")).isEqualTo(2L);
        assertThat(again.get("resumed")).isEqualTo(true);
    }

    @Test
    void ending_twice_is_a_no_op_and_a_different_end_a_conflict() throws IOException {
        create("");
        Map<String, Object> c = next();
        assertThat(end(c, "failed").code()).isZero();
        assertThat(end(c, "failed").code()).isZero();
        CliRun.Result conflict = end(c, "completed");
        assertThat(conflict.code()).isEqualTo(8);
        assertThat(conflict.err()).contains("already ended as failed");
        assertThat(cli().run("status", "-e", name, "-o", "json").out()).contains("\"pending\":7,\"running\":0,\"completed\":0,\"failed\":1");
    }

    @Test
    void ending_again_finishes_what_a_first_end_that_died_half_way_left_undone() throws IOException {
        create("");
        Map<String, Object> c = next();
        assertThat(end(c, "completed").code()).isZero();
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", c.get("run"))).first();
        String cell = StoredData.resultsPage(run.getString("cell"), run.getInteger("pos"));
        String entry = StoredData.resultsEntry(run.getInteger("pos"));
        // As if the first end had died right after updating the run: no outcome recorded for the report.
        DB.mongo().getCollection("results").updateOne(Filters.eq("_id", cell), com.mongodb.client.model.Updates.unset(entry));
        assertThat(DB.mongo().getCollection("results").countDocuments(Filters.and(Filters.eq("_id", cell), Filters.exists(entry)))).isZero();
        assertThat(end(c, "completed").code()).isZero(); // the retry
        assertThat(DB.mongo().getCollection("results").countDocuments(Filters.and(Filters.eq("_id", cell), Filters.exists(entry)))).isOne();
    }

    @Test
    void worker_commands_need_a_run_and_token() {
        CliRun.Result r = cli().env("TRACKER_RUN", null).run("end", "--status", "completed");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("which run?");
        assertThat(cli().run("next", "-e", "no-such-experiment").code()).isEqualTo(7);
        assertThat(cli().run("end", "--run", "nope/x/y/0", "--token", "t", "--status", "completed").code()).isEqualTo(7);
    }

    @Test
    void the_claim_records_its_provenance() throws IOException {
        create("");
        Map<String, Object> c = next("--worker", "gpu-7");
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", c.get("run"))).first();
        Document p = run.get("provenance", Document.class);
        assertThat(p.getString("worker")).isEqualTo("gpu-7");
        assertThat(p.getString("host")).isNotBlank();
        assertThat(p.get("pid", Number.class).longValue()).isEqualTo(ProcessHandle.current().pid());
        assertThat(p.getString("user")).isNotBlank();
    }
}
