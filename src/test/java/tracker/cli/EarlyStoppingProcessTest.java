package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.output.Shell;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.ShellWorkers;
import tracker.testing.TestNames;
import tracker.testing.TrackerProcess;

/**
 * Early stopping reaching real workers: a shell loop that honours log's exit 10, and
 * {@code tracker run} stopping a trainer that prints one line per epoch - with SIGTERM, so it may
 * checkpoint - and ending the run pruned.
 */
class EarlyStoppingProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    /**
     * A trainer of 9 epochs whose score is its --quality times a rising curve; on SIGTERM it writes
     * the epoch it reached to term.RUN (a checkpoint would go there) and exits 143.
     */
    static final String TRAINER = """
            #!/bin/sh
            quality=0
            for a in "$@"; do case $a in --quality=*) quality=${a#--quality=};; esac; done
            epoch=0
            trap 'echo "$epoch" > "term.$(echo "$TRACKER_RUN" | tr / _)"; exit 143' TERM
            while [ "$epoch" -lt 9 ]; do
              epoch=$((epoch + 1))
              echo "epoch=$epoch val.score=$(awk "BEGIN { print $quality * (1 - 1 / ($epoch + 1)) }")"
              sleep 0.3
            done
            """;

    /** The worker loop of docs/early-stopping.md: one log per epoch, stop training at exit 10. */
    static final String LOOP = """
            while eval "$(tracker next --experiment "$EXPERIMENT" -o env)"; do
              eval "set -- $TRACKER_ARGS"
              status=completed
              for epoch in 1 2 3 4 5 6 7 8 9; do
                quality=${1#--quality=}
                tracker log --epoch "$epoch" val.score="$(awk "BEGIN { print $quality * $epoch / 9 }")"
                case $? in
                  0) ;;
                  10) status=pruned; break ;;       # early stopping ended the run: train no further
                  *) status=failed; break ;;
                esac
                echo "$TRACKER_RUN $epoch" >> epochs.log
              done
              [ "$status" = pruned ] || tracker end --status "$status"
            done
            """;

    String create(TestInfo info, String extra) throws IOException {
        String name = TestNames.experiment(info);
        Path def = tmp.resolve("exp.yaml");
        // Grid of 4 qualities: with one worker, the best first, so the others fall behind it at rung 1.
        Files.writeString(def, "name: " + name + "\nobjective: {metric: score, phase: val, goal: maximize}\ndatasets: [d]\n"
                + "models:\n  m: {datasets: [d], params: {quality: [0.9, 0.5, 0.3, 0.1]}}\n"
                + "search: {method: grid, early_stopping: {method: asha, min_epochs: 1, eta: 3}}\n" + extra);
        CliRun.Result created = CliRun.in(tmp).database(DB).run("create", def.toString());
        assertThat(created.code()).as(created.toString()).isZero();
        return name;
    }

    static List<Document> runs(String name) {
        return DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).into(new ArrayList<>());
    }

    @Test
    void a_shell_loop_stops_training_a_run_when_log_says_pruned(TestInfo info) throws Exception {
        String name = create(info, "");
        // The best first: claim and finish it by hand, so every later run meets its value at rung 1.
        CliRun cli = CliRun.in(tmp).database(DB);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", LOOP).directory(tmp.toFile()).redirectErrorStream(true);
        environment(pb);
        pb.environment().put("EXPERIMENT", name);
        CliRun.Result loop = TrackerProcess.finish(pb.start(), Duration.ofMinutes(4));
        assertThat(loop.code()).as("the loop ends when next says nothing is left\n" + loop).isZero();
        List<Document> runs = runs(name);
        assertThat(runs).hasSize(4).allMatch(r -> List.of("completed", "pruned").contains(r.getString("status")));
        long pruned = runs.stream().filter(r -> r.getString("status").equals("pruned")).count();
        assertThat(pruned).as("runs behind the first at a rung\n" + loop).isGreaterThanOrEqualTo(1);
        List<String> trained = Files.readAllLines(tmp.resolve("epochs.log"));
        for (Document r : runs) {
            long epochs = trained.stream().filter(l -> l.startsWith(r.getString("_id") + " ")).count();
            if (r.getString("status").equals("pruned")) {
                long at = r.get("summary", Document.class).getLong("lastEpoch");
                assertThat(epochs).as(r.getString("_id") + ": the loop trained no epoch after the verdict").isEqualTo(at - 1);
                assertThat(r.getString("message")).startsWith("pruned at rung epoch " + at);
            } else {
                assertThat(epochs).isEqualTo(9);
            }
        }
        assertThat(loop.out()).contains("it is ended pruned - stop training it");
        String status = cli.run("status", "-e", name, "-o", "json").out();
        assertThat(status).contains("\"pruned\":" + pruned);
    }

    @Test
    void tracker_run_stops_a_pruned_trainer_with_sigterm_and_ends_the_run_pruned(TestInfo info) throws Exception {
        String name = create(info, "runs: {lease: 1m}\n");
        Path trainer = tmp.resolve("trainer.sh");
        Files.writeString(trainer, TRAINER);
        Files.setPosixFilePermissions(trainer, PosixFilePermissions.fromString("rwxr-xr-x"));
        TrackerProcess tracker = new TrackerProcess(tmp.resolve("home"), Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        ProcessBuilder pb = tracker.builder("tracker.Tracker", "run", "-e", name, "--grace", "10s", "--",
                "sh", "-c", Shell.quote(trainer.toString()) + " {args}");
        pb.directory(tmp.toFile()).redirectErrorStream(true);
        CliRun.Result r = TrackerProcess.finish(pb.start(), Duration.ofMinutes(4));
        assertThat(r.code()).as(r.toString()).isZero();
        List<Document> runs = runs(name);
        List<Document> pruned = runs.stream().filter(d -> d.getString("status").equals("pruned")).toList();
        assertThat(pruned).as(r.toString()).isNotEmpty();
        assertThat(runs.stream().filter(d -> d.getString("status").equals("completed"))).as(r.toString()).isNotEmpty();
        for (Document p : pruned) {
            long at = p.get("summary", Document.class).getLong("lastEpoch");
            assertThat(at).as("recorded up to the rung it was judged at, or the line after it").isLessThanOrEqualTo(4);
            assertThat(p.getString("message")).startsWith("pruned at rung epoch");
            assertThat(p.getInteger("attempt")).as("never retried").isEqualTo(1);
        }
        assertThat(r.out()).contains("stopping its command (SIGTERM)").contains("pruned");
        try (var files = Files.list(tmp)) {
            List<String> terms = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("term.")).toList();
            assertThat(terms).as("each pruned trainer got SIGTERM and could checkpoint\n" + r).hasSize(pruned.size());
        }
    }

    private void environment(ProcessBuilder pb) throws IOException {
        ShellWorkers.environment(pb, tmp, ShellWorkers.launcher(tmp), DB);
    }
}
