package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;

/** The committed completion scripts match the commands, and real bash and zsh load and use them. */
class CompletionsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void committed_scripts_match_the_command_model() throws IOException {
        assertThat(Files.readString(Path.of("completions/tracker.bash")))
                .as("completions/tracker.bash is stale: run mvn package and commit it")
                .isEqualTo(CompletionScripts.bash());
        assertThat(Files.readString(Path.of("completions/tracker.zsh")))
                .as("completions/tracker.zsh is stale: run mvn package and commit it")
                .isEqualTo(CompletionScripts.zsh());
    }

    @Test
    void completion_command_prints_them() {
        CliRun.Result bash = CliRun.in(tmp).run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).isEqualTo(CompletionScripts.bash()).contains("complete -F _tracker tracker", "server", "ping");
        assertThat(bash.out()).doesNotContain("__warmup");
        CliRun.Result zsh = CliRun.in(tmp).run("completion", "zsh");
        assertThat(zsh.out()).isEqualTo(CompletionScripts.zsh()).startsWith("#compdef tracker\n")
                .doesNotContain("bashcompinit").doesNotContain("__warmup")
                .contains("'(-e --experiment)'{-e,--experiment}'[The experiment: NAME", ":NAME:_tracker_experiments'")
                .contains("'report:The model x dataset picture of an experiment")
                .contains("'(-o --format)'{-o,--format}'[Output format: json (default), env, args, yaml", ":FORMAT:(json env args yaml)'");
        assertThat(CliRun.in(tmp).run("completion", "fish").code()).isEqualTo(2);
    }

    /** A tracker on this test's class path, as the shell finds it, pointed at the test database. */
    private Path trackerLauncher() throws IOException {
        Path launcher = tmp.resolve("tracker");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' tracker.Tracker \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        return launcher;
    }

    private static String shell(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("TRACKER_URI", DB.uri());
        pb.environment().put("TRACKER_DATABASE", DB.name());
        pb.environment().put("TRACKER_COMPLETION_TIMEOUT", "60"); // a loaded test machine starts a JVM slowly
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void bash_completes_commands_options_values_and_stored_experiment_names() throws Exception {
        Path def = tmp.resolve("completed.yaml");
        Files.writeString(def, """
                name: completed-in-bash
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  knn: {datasets: [iris], params: {k: [1]}}
                search: {method: grid, trials: 1, replicates: 1, seed: 3}
                """);
        CliRun.Result created = CliRun.in(tmp).database(DB).run("create", def.toString());
        assertThat(created.code()).as(created.toString()).isZero();
        String tracker = trackerLauncher().toString();
        String out = shell(tmp, List.of("bash", "--norc", "--noprofile", "-c", """
                source completions/tracker.bash
                complete -p tracker
                t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _tracker; echo "$* -> ${COMPREPLY[*]}"; }
                T=%s
                t $T rep
                t $T report --view ''
                t $T report --view = pr
                t $T next -o ''
                t $T server start --fo
                t $T help ser
                t $T report -e comp
                t $T status --experiment = ''
                """.formatted(tracker)));
        assertThat(out.lines()).containsExactly(
                "complete -F _tracker tracker",
                tracker + " rep -> report",
                tracker + " report --view  -> matrix significance progress leaderboard runs curves",
                tracker + " report --view = pr -> progress",
                tracker + " next -o  -> json env args yaml",
                tracker + " server start --fo -> --foreground --format",
                tracker + " help ser -> server serve",
                tracker + " report -e comp -> completed-in-bash",
                tracker + " status --experiment =  -> completed-in-bash");
    }

    @Test
    void zsh_loads_the_native_script_with_compinit_and_defines_the_completion() throws Exception {
        String why = DebianPackages.ensure(Path.of("/usr/bin/zsh"), "zsh");
        assumeTrue(why == null, "zsh cannot be installed here: " + why);
        String out = shell(tmp, List.of("zsh", "-f", "-c",
                "autoload -U compinit; compinit -u; source completions/tracker.zsh; print ${_comps[tracker]}; "
                        + "whence -w _tracker_report _tracker_server_start _tracker_experiments"));
        assertThat(out.lines()).containsExactly("_tracker", "_tracker_report: function", "_tracker_server_start: function",
                "_tracker_experiments: function");
        // the script is also a valid autoloaded function file (what fpath installs do)
        assertThat(shell(tmp, List.of("zsh", "-f", "-n", "completions/tracker.zsh"))).isEmpty();
    }
}
