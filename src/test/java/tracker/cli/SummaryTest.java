package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/**
 * A run's summary always agrees with its stored epochs: logging an epoch again (a resume from an
 * older checkpoint, a retry after an expired lease) with a better or worse value, epochs out of
 * order, NaN replacing a number and back - and every report and export uses what the epochs hold.
 */
class SummaryTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;
    Map<String, Object> claim;

    @BeforeEach
    void claimARun(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {lr: [0.1]}}
                search: {method: grid}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
        CliRun.Result r = cli().run("next", "-e", name);
        assertThat(r.code()).as(r.toString()).isZero();
        claim = Json.parseObject(r.out().strip());
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    void log(long epoch, String... pairs) {
        List<String> args = new ArrayList<>(List.of("log", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"),
                "--epoch", Long.toString(epoch)));
        args.addAll(List.of(pairs));
        CliRun.Result r = cli().run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
    }

    Document summary() {
        return DB.mongo().getCollection("runs").find(Filters.eq("_id", claim.get("run"))).first().get("summary", Document.class);
    }

    Document objective() {
        return summary().get("objective", Document.class);
    }

    @Test
    void an_epoch_logged_again_with_a_worse_value_takes_the_best_away_everywhere() {
        log(1, "val.acc=0.6");
        log(2, "val.acc=0.75");
        log(3, "val.acc=0.7");
        assertThat(objective().getDouble("best")).isEqualTo(0.75);
        log(2, "val.acc=0.738"); // the trainer resumed from epoch 1's checkpoint
        assertThat(objective().getDouble("best")).isEqualTo(0.738);
        assertThat(objective().get("bestEpoch", Number.class).longValue()).isEqualTo(2);
        assertAgreesWithEpochs();
        assertThat(cli().run("end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"), "--status", "completed")
                .code()).isZero();
        assertThat(cli().run("report", "-e", name, "-o", "json").out()).contains("0.738").doesNotContain("0.75");
        assertThat(cli().run("report", "-e", name, "--view", "leaderboard", "-o", "json").out()).contains("0.738").doesNotContain("0.75");
        assertThat(cli().run("report", "-e", name, "--view", "runs", "-o", "json").out()).contains("0.738").doesNotContain("0.75");
        assertThat(cli().run("export", "-e", name).out()).contains("0.738").doesNotContain("0.75");
    }

    @Test
    void a_batch_that_finished_leaves_no_mark_so_the_next_one_is_folded_in_not_rebuilt() {
        log(1, "val.acc=0.6");
        log(2, "val.acc=0.7");
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", claim.get("run"))).first();
        assertThat(run.get("logging")).as("a batch in progress is marked until its summary is written").isNull();
        assertThat(summary().get("version", Number.class).longValue()).isEqualTo(2);
    }

    @Test
    void an_epoch_logged_again_with_a_better_value_becomes_the_best() {
        log(1, "val.acc=0.6");
        log(2, "val.acc=0.75");
        log(3, "val.acc=0.7");
        log(3, "val.acc=0.9");
        assertThat(objective().getDouble("best")).isEqualTo(0.9);
        assertThat(objective().get("bestEpoch", Number.class).longValue()).isEqualTo(3);
        assertThat(objective().getDouble("last")).isEqualTo(0.9);
        assertAgreesWithEpochs();
    }

    @Test
    void epochs_out_of_order_give_the_same_summary() {
        log(3, "val.acc=0.7", "train.loss=0.2");
        log(1, "val.acc=0.6", "train.loss=0.9");
        log(2, "val.acc=0.75", "train.loss=0.5");
        assertThat(objective().getDouble("last")).as("the latest epoch's, not the latest logged").isEqualTo(0.7);
        assertThat(objective().getDouble("best")).isEqualTo(0.75);
        assertThat(summary().get("lastEpoch", Number.class).longValue()).isEqualTo(3);
        Document loss = summary().get("metrics", Document.class).get("train", Document.class).get("loss", Document.class);
        assertThat(loss.getDouble("last")).isEqualTo(0.2);
        assertThat(loss.getDouble("max")).isEqualTo(0.9);
        assertAgreesWithEpochs();
    }

    @Test
    void nan_replacing_the_best_and_back() {
        log(1, "val.acc=0.6");
        log(2, "val.acc=0.75");
        log(3, "val.acc=0.7");
        log(2, "val.acc=NaN");
        assertThat(objective().getDouble("best")).isEqualTo(0.7);
        assertThat(objective().get("bestEpoch", Number.class).longValue()).isEqualTo(3);
        Document acc = summary().get("metrics", Document.class).get("val", Document.class).get("acc", Document.class);
        assertThat(acc.getDouble("max")).isEqualTo(0.7);
        assertAgreesWithEpochs();
        log(2, "val.acc=0.8");
        assertThat(objective().getDouble("best")).isEqualTo(0.8);
        assertThat(objective().get("bestEpoch", Number.class).longValue()).isEqualTo(2);
        assertAgreesWithEpochs();
    }

    @Test
    void any_sequence_of_logs_and_relogs_leaves_the_summary_equal_to_the_epochs() {
        Random random = new Random(42);
        for (int step = 0; step < 60; step++) {
            long epoch = random.nextInt(8);
            double acc = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(100) / 100.0;
            double loss = random.nextInt(100) / 10.0;
            if (random.nextBoolean()) {
                log(epoch, "val.acc=" + acc, "train.loss=" + loss);
            } else {
                log(epoch, "val.acc=" + acc);
            }
            assertAgreesWithEpochs();
        }
    }

    @Test
    void phase_names_like_the_documents_own_fields_are_just_names() {
        log(1, "at.x=1", "run.y=2", "experiment.z=3", "epoch.w=4", "_id.q=5", "v.u=6", "val.acc=0.5");
        log(2, "at.x=7", "val.acc=0.6");
        Document e1 = StoredData.stored(DB.mongo(), (String) claim.get("run")).get(0).get("v", Document.class);
        assertThat(e1.get("epoch", Document.class).getDouble("w")).isEqualTo(4.0);
        assertThat(e1.get("at", Document.class).getDouble("x")).isEqualTo(1.0);
        assertThat(e1.get("_id", Document.class).getDouble("q")).isEqualTo(5.0);
        assertThat(e1.get("v", Document.class).getDouble("u")).isEqualTo(6.0);
        assertAgreesWithEpochs();
        assertThat(cli().run("export", "-e", name, "--epochs").out()).contains(",1,at,x,1.0").contains(",2,at,x,7.0")
                .contains(",1,_id,q,5.0");
    }

    /** Every metric's last, min and max and the objective's best and last, computed here from the stored epochs. */
    void assertAgreesWithEpochs() {
        List<Document> epochs = StoredData.stored(DB.mongo(), (String) claim.get("run"));
        Map<String, Document> expected = new TreeMap<>();
        Double best = null;
        Long bestEpoch = null;
        for (Document e : epochs) {
            long n = e.get("epoch", Number.class).longValue();
            for (String phase : e.get("v", Document.class).keySet()) {
                for (Map.Entry<String, Object> mv : e.get("v", Document.class).get(phase, Document.class).entrySet()) {
                    double v = ((Number) mv.getValue()).doubleValue();
                    Document m = expected.computeIfAbsent(phase + "." + mv.getKey(), k -> new Document());
                    m.put("last", v);
                    m.put("lastEpoch", n);
                    if (!Double.isNaN(v) && (m.get("min") == null || v < m.getDouble("min"))) {
                        m.put("min", v);
                    }
                    if (!Double.isNaN(v) && (m.get("max") == null || v > m.getDouble("max"))) {
                        m.put("max", v);
                    }
                    if ((phase + "." + mv.getKey()).equals("val.acc") && !Double.isNaN(v) && (best == null || v > best)) {
                        best = v;
                        bestEpoch = n;
                    }
                }
            }
        }
        Document summary = summary();
        for (Map.Entry<String, Document> e : expected.entrySet()) {
            String[] pm = e.getKey().split("\\.", 2);
            Document m = summary.get("metrics", Document.class).get(pm[0], Document.class).get(pm[1], Document.class);
            assertThat(m.get("last")).as(e.getKey() + " last in " + summary.toJson()).isEqualTo(e.getValue().get("last"));
            assertThat(m.get("lastEpoch", Number.class).longValue()).as(e.getKey()).isEqualTo(e.getValue().get("lastEpoch"));
            assertThat(m.get("min")).as(e.getKey() + " min in " + summary.toJson()).isEqualTo(e.getValue().get("min"));
            assertThat(m.get("max")).as(e.getKey() + " max in " + summary.toJson()).isEqualTo(e.getValue().get("max"));
        }
        Document objective = summary.get("objective", Document.class);
        assertThat(objective.get("best")).as("best in " + summary.toJson()).isEqualTo(best);
        assertThat(objective.get("bestEpoch") == null ? null : objective.get("bestEpoch", Number.class).longValue()).isEqualTo(bestEpoch);
        assertThat(objective.get("last")).isEqualTo(expected.get("val.acc").get("last"));
    }
}
