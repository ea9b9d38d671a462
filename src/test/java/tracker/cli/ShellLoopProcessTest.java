package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.output.Shell;
import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;
import tracker.testing.ShellWorkers;
import tracker.testing.TestNames;
import tracker.testing.TrackerProcess;

/**
 * The worker loop the README documents, run for real in bash, zsh and dash with parameter values
 * that break naive quoting, and the README's pipe of the demo trainer into {@code log --stdin}.
 */
class ShellLoopProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** One value with everything that breaks word splitting, quoting or eval. */
    static final String HOSTILE = "a  b 'c' \"d\" $(touch PWNED) `touch PWNED2` ${HOME} * ; | & \\ end";

    /** The loop of the README, word for word but for the trainer (which records what it was given). */
    static final String LOOP = """
            exit_file=$(mktemp)
            while eval "$(tracker next --experiment "$EXPERIMENT" -o env --wait)"; do
              eval "set -- $TRACKER_ARGS"                  # the parameters, one word each, in any shell
              { ./trainer --model "$TRACKER_MODEL" --seed "$TRACKER_SEED" "$@"
                echo "$?" > "$exit_file"; } | tracker log --stdin     # metric lines; renews the lease
              code=$(cat "$exit_file")
              if [ "$code" = 0 ]; then tracker end --status completed
              else tracker end --status failed --exit-code "$code"; fi
            done
            rm -f "$exit_file"
            """;

    @TempDir
    Path tmp;

    @Test
    void the_readme_loop_works_in_bash_zsh_and_dash_with_hostile_values(TestInfo info) throws Exception {
        String zshMissing = DebianPackages.ensure(Path.of("/usr/bin/zsh"), "zsh");
        Path tracker = launcher();
        Path trainer = tmp.resolve("trainer");
        // Records its arguments NUL-separated, prints two metric lines, exits with --exit=N.
        Files.writeString(trainer, """
                #!/bin/sh
                for a in "$@"; do printf '%s\\0' "$a"; done > "args.$TRACKER_MODEL"
                code=0
                for a in "$@"; do case $a in --exit=*) code=${a#--exit=};; esac; done
                echo "training $TRACKER_MODEL"
                echo '{"epoch": 1, "val": {"acc": 0.5}}'
                echo "epoch=2 val.acc=0.75"
                exit "$code"
                """);
        trainer.toFile().setExecutable(true);
        List<String> shells = new ArrayList<>(List.of("bash", "dash"));
        if (zshMissing == null) {
            shells.add("zsh");
        }
        List<Process> loops = new ArrayList<>();
        List<String> experiments = new ArrayList<>();
        for (String shell : shells) {
            String name = TestNames.experiment(info) + "-" + shell;
            Path dir = Files.createDirectories(tmp.resolve(shell));
            Files.copy(trainer, dir.resolve("trainer"));
            dir.resolve("trainer").toFile().setExecutable(true);
            Path def = dir.resolve("exp.yaml");
            Files.writeString(def, "name: " + name + "\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [d]\n"
                    + "models:\n"
                    + "  ok: {datasets: [d], params: {exit: 0, text: " + yamlString(HOSTILE) + ", empty: ''}}\n"
                    + "  bad: {datasets: [d], params: {exit: 3}}\n");
            CliRun.Result created = CliRun.in(tmp).database(DB).run("create", def.toString());
            assertThat(created.code()).as(created.toString()).isZero();
            ProcessBuilder pb = new ProcessBuilder(shell, "-c", LOOP).directory(dir.toFile()).redirectErrorStream(true);
            environment(pb, tracker);
            pb.environment().put("EXPERIMENT", name);
            loops.add(pb.start());
            experiments.add(name);
        }
        for (int i = 0; i < shells.size(); i++) {
            String shell = shells.get(i);
            CliRun.Result r = TrackerProcess.finish(loops.get(i), Duration.ofMinutes(3));
            assertThat(r.code()).as(shell + ": the loop ends when next says nothing is left\n" + r).isZero();
            assertThat(r.out()).as(shell).contains("nothing left to run");
            assertThat(r.out()).as(shell).contains("training ok").contains("training bad");
            Path dir = tmp.resolve(shell);
            String[] args = Files.readString(dir.resolve("args.ok"), StandardCharsets.UTF_8).split("\0");
            assertThat(Arrays.asList(args)).as(shell + ": what the trainer received")
                    .containsExactlyInAnyOrder("--model", "ok", "--seed", seed(experiments.get(i), "ok"),
                            "--exit=0", "--text=" + HOSTILE, "--empty=");
            assertThat(dir.resolve("PWNED")).as(shell).doesNotExist();
            assertThat(dir.resolve("PWNED2")).as(shell).doesNotExist();
            Document ok = run(experiments.get(i), "ok");
            assertThat(ok.getString("status")).as(shell).isEqualTo("completed");
            assertThat(ok.get("summary", Document.class).get("objective", Document.class).getDouble("best")).isEqualTo(0.75);
            Document bad = run(experiments.get(i), "bad");
            assertThat(bad.getString("status")).as(shell).isEqualTo("failed");
            assertThat(bad.get("exitCode", Number.class).intValue()).as(shell).isEqualTo(3);
        }
        assumeTrue(zshMissing == null, "zsh could not be installed, so the loop was tried in bash and dash only: " + zshMissing);
    }

    @Test
    void the_demo_trainer_piped_into_log_stdin_logs_its_epochs_and_checkpoints(TestInfo info) throws Exception {
        String name = TestNames.experiment(info);
        Path def = tmp.resolve("exp.yaml");
        Files.writeString(def, "name: " + name + "\nobjective: {metric: accuracy, phase: val, goal: maximize}\ndatasets: [iris]\n"
                + "models:\n  softmax: {datasets: [iris], params: {epochs: 3}}\n");
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", def.toString()).code()).isZero();
        CliRun.Result next = cli.run("next", "-e", name, "-o", "env");
        assertThat(next.code()).as(next.toString()).isZero();
        Path repo = Path.of("").toAbsolutePath();
        // The README's pipe: the trainer's JSON lines (metrics, then a checkpoint after each epoch) into log --stdin.
        String pipe = next.out() + "\neval \"set -- $TRACKER_ARGS\"\n"
                + "java " + Shell.quote(repo.resolve("experiments/tabular/Train.java").toString()) + " --model softmax --data "
                + Shell.quote(repo.resolve("experiments/tabular/data/iris.csv").toString()) + " --seed \"$TRACKER_SEED\" \"$@\""
                + " | tracker log --stdin\n";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", pipe).directory(tmp.toFile());
        environment(pb, launcher());
        pb.environment().put("TRACKER_CHECKPOINT_DIR", tmp.resolve("ck").toString());
        CliRun.Result r = TrackerProcess.finish(pb.start(), Duration.ofMinutes(2));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as("the header line passes through").startsWith("training softmax");
        assertThat(r.err()).doesNotContain("rejected");
        Document run = run(name, "softmax");
        assertThat(run.get("summary", Document.class).get("lastEpoch", Number.class).longValue()).isEqualTo(3);
        assertThat(run.getString("checkpoint")).endsWith(".ckpt");
        assertThat(Path.of(run.getString("checkpoint"))).exists();
    }

    /** A {@code tracker} command on the PATH: this build's classes in a quickly starting JVM. */
    private Path launcher() throws IOException {
        return ShellWorkers.launcher(tmp);
    }

    private void environment(ProcessBuilder pb, Path tracker) {
        ShellWorkers.environment(pb, tmp, tracker, DB);
    }

    private static Document run(String experiment, String model) {
        return DB.mongo().getCollection("runs").find(Filters.and(Filters.eq("experiment", experiment + "@1"), Filters.eq("model", model)))
                .first();
    }

    private static String seed(String experiment, String model) {
        return String.valueOf(run(experiment, model).get("seed"));
    }

    /** A YAML double-quoted scalar. */
    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
