package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.testing.CliRun;

/** The committed completion scripts must match the commands; the build regenerates them. */
class CompletionsTest {
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
        assertThat(bash.out()).isEqualTo(CompletionScripts.bash()).contains("complete -F", "server", "ping");
        assertThat(bash.out()).doesNotContain("__warmup");
        CliRun.Result zsh = CliRun.in(tmp).run("completion", "zsh");
        assertThat(zsh.out()).startsWith("#compdef tracker").contains("bashcompinit");
        assertThat(CliRun.in(tmp).run("completion", "fish").code()).isEqualTo(2);
    }
}
