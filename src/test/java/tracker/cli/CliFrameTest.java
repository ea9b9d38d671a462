package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;
import tracker.cli.VersionProvider;
import tracker.testing.CliRun;

class CliFrameTest {
    @TempDir
    Path tmp;

    @Test
    void help_lists_the_commands_and_the_exit_code_table() {
        CliRun.Result r = CliRun.in(tmp).run("--help");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Usage: tracker", "ping", "server", "completion", "Exit codes:");
        for (ExitCode c : ExitCode.values()) {
            assertThat(r.out()).contains(String.format("%3d   %s", c.code, c.meaning.substring(0, 20)));
        }
        assertThat(r.out()).doesNotContain("__warmup");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void version_comes_from_the_build() {
        CliRun.Result r = CliRun.in(tmp).run("--version");
        assertThat(r.code()).isZero();
        assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(r.out()).startsWith("tracker " + VersionProvider.version() + "\n");
    }

    @Test
    void every_command_has_help() {
        for (String[] cmd : new String[][] {{"create"}, {"list"}, {"show"}, {"next"}, {"log"}, {"heartbeat"}, {"end"},
                {"status"}, {"requeue"}, {"cancel"}, {"priority"}, {"report"}, {"export"}, {"ping"}, {"server"}, {"server", "start"},
                {"server", "stop"},
                {"server", "status"}, {"completion"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            CliRun.Result r = CliRun.in(tmp).run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).contains("Usage: tracker " + String.join(" ", cmd));
        }
    }

    @Test
    void unknown_option_is_a_one_line_usage_error_with_a_hint() {
        CliRun.Result r = CliRun.in(tmp).run("server", "status", "--colour");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("tracker: error: Unknown option: '--colour'; hint: ")
                .contains("'tracker server status --help'");
    }

    @Test
    void misspelt_command_suggests_the_right_one() {
        CliRun.Result r = CliRun.in(tmp).run("srever");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("did you mean 'server'?");
    }

    @Test
    void near_misses_suggest_what_this_command_takes() {
        assertThat(CliRun.in(tmp).run("report", "-e", "x", "--veiw").err())
                .contains("Unknown option: '--veiw'; hint: did you mean '--view'? see 'tracker report --help'");
        assertThat(CliRun.in(tmp).run("next", "-e", "x", "--wiat").err()).contains("did you mean '--wait'?");
        assertThat(CliRun.in(tmp).run("next", "-e", "x", "--wiat=5m").err()).contains("did you mean '--wait'?");
        assertThat(CliRun.in(tmp).run("reprot").err()).contains("hint: did you mean 'report'? see");
        assertThat(CliRun.in(tmp).run("end", "--status", "complete").err())
                .contains("'complete' is not a status (one of: completed, failed, timeout, out_of_memory, node_fail, cancelled, pruned, preempted);"
                        + " hint: did you mean 'completed'? see 'tracker end --help'");
        assertThat(CliRun.in(tmp).run("requeue", "-e", "x", "--status", "failed,cancelld").err())
                .contains("hint: did you mean 'cancelled'? see 'tracker requeue --help'");
        assertThat(CliRun.in(tmp).run("report", "-e", "x", "--view", "prgress").err()).contains("did you mean 'progress'?");
        assertThat(CliRun.in(tmp).run("list", "-o", "jsn").err()).contains("did you mean 'json'?");
        CliRun.Result far = CliRun.in(tmp).run("next", "-e", "x", "--colour");
        assertThat(far.code()).isEqualTo(2);
        assertThat(far.err()).as("nothing close: no guess").doesNotContain("did you mean");
    }

    @Test
    void no_command_is_a_usage_error() {
        CliRun.Result r = CliRun.in(tmp).run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tracker: error: missing command");
    }

    @Test
    void errors_are_json_under_o_json_and_carry_a_stack_trace_only_with_x() {
        CliRun.Result plain = CliRun.in(tmp).run("ping", "--uri", "mongodb://localhost:1/?serverSelectionTimeoutMS=200", "-o", "json");
        assertThat(plain.code()).isEqualTo(5);
        assertThat(plain.err().strip()).startsWith("{\"error\":{\"code\":5,\"kind\":\"unreachable\",\"message\":\"cannot reach MongoDB at localhost:1\"");
        assertThat(plain.err()).doesNotContain("\tat ");

        CliRun.Result traced = CliRun.in(tmp).run("ping", "--uri", "mongodb://localhost:1/?serverSelectionTimeoutMS=200", "-x");
        assertThat(traced.code()).isEqualTo(5);
        assertThat(traced.err()).contains("\tat ", "MongoTimeoutException")
                .contains("tracker: error: cannot reach MongoDB at localhost:1; hint:");
    }

    @Test
    void format_a_command_does_not_print_is_a_usage_error() {
        CliRun.Result r = CliRun.in(tmp).run("server", "status", "-o", "csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not print -o csv").contains("table (default), json");
    }
}
