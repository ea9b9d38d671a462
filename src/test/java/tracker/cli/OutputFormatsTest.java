package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import tracker.Tracker;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** Every command's -o lists only what it prints, and -o json works on every command that prints. */
class OutputFormatsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void create(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  knn: {datasets: [iris], params: {k: [1, 3]}}
                search: {method: grid, trials: 2, replicates: 1, seed: 3}
                """.formatted(name));
        CliRun.Result r = cli().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    static List<CommandLine> commandsWithFormat(CommandLine cmd) {
        List<CommandLine> out = new ArrayList<>();
        if (cmd.getCommandSpec().findOption("--format") != null) {
            out.add(cmd);
        }
        cmd.getSubcommands().values().forEach(sub -> out.addAll(commandsWithFormat(sub)));
        return out;
    }

    @Test
    void each_commands_help_and_completion_list_exactly_the_formats_it_prints() {
        CommandLine root = Tracker.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        List<CommandLine> commands = commandsWithFormat(root);
        assertThat(commands.stream().map(c -> c.getCommandSpec().name()).toList())
                .contains("list", "show", "next", "log", "end", "status", "requeue", "cancel", "report", "export", "ping", "create");
        for (CommandLine c : commands) {
            assertThat((Object) c.getCommand()).as(c.getCommandSpec().qualifiedName()).isInstanceOf(Formats.Printing.class);
            Formats formats = ((Formats.Printing) c.getCommand()).formats();
            OptionSpec o = c.getCommandSpec().findOption("--format");
            List<String> candidates = new ArrayList<>();
            o.completionCandidates().forEach(candidates::add);
            assertThat(candidates).as(c.getCommandSpec().qualifiedName())
                    .containsExactlyElementsOf(formats.accepted().stream().map(Enum::name).toList());
            String help = String.join(" ", o.description());
            assertThat(help).contains(formats.describe());
            for (Format f : Format.values()) {
                if (!formats.accepted().contains(f)) {
                    assertThat(help).as(c.getCommandSpec().qualifiedName() + " help lists " + f).doesNotContainPattern("\\b" + f + "\\b");
                }
            }
        }
    }

    @Test
    void a_format_the_command_lacks_is_a_usage_error_that_lists_the_ones_it_has() {
        CliRun.Result r = cli().run("requeue", "-e", name, "-o", "csv");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("does not print -o csv").contains("text (default), json");
    }

    @Test
    void next_o_json_prints_an_object_when_there_is_nothing_to_claim() {
        CliRun c = cli();
        Map<String, Object> first = Json.parseObject(c.run("next", "-e", name, "-o", "json").out().strip());
        assertThat(first).containsEntry("claimed", true);
        Json.parseObject(c.run("next", "-e", name).out().strip());

        CliRun.Result now = c.run("next", "-e", name, "-o", "json");
        assertThat(now.code()).as(now.toString()).isEqualTo(4);
        assertThat(Json.parseObject(now.out().strip())).containsEntry("claimed", false).containsEntry("reason", "nothing_now")
                .containsEntry("exitCode", 4L).containsEntry("inFlight", 2L).containsEntry("experiment", name + "@1");

        c.run("cancel", "-e", name, "--running");
        CliRun.Result left = c.run("next", "-e", name);
        assertThat(left.code()).as(left.toString()).isEqualTo(3);
        assertThat(Json.parseObject(left.out().strip())).containsEntry("claimed", false).containsEntry("reason", "nothing_left");

        CliRun.Result yaml = c.run("next", "-e", name, "-o", "yaml");
        assertThat(yaml.code()).isEqualTo(3);
        assertThat(yaml.out()).startsWith("claimed: false\nreason: \"nothing_left\"\n");
    }

    @Test
    void log_end_requeue_cancel_and_export_print_json() {
        CliRun c = cli();
        Map<String, Object> claim = Json.parseObject(c.run("next", "-e", name).out().strip());
        c.env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));

        CliRun.Result log = c.run("log", "-o", "json", "--epoch", "1", "val.acc=0.5", "train.loss=0.7");
        assertThat(log.code()).as(log.toString()).isZero();
        assertThat(Json.parseObject(log.out().strip())).containsEntry("run", claim.get("run")).containsEntry("lines", 1L)
                .containsEntry("values", 2L).containsEntry("rejected", 0L);

        CliRun.Result end = c.run("end", "-o", "json", "--status", "failed");
        assertThat(end.code()).as(end.toString()).isZero();
        assertThat(Json.parseObject(end.out().strip())).containsEntry("run", claim.get("run")).containsEntry("status", "failed")
                .containsEntry("changed", true);
        assertThat(Json.parseObject(c.run("end", "-o", "json", "--status", "failed").out().strip())).containsEntry("changed", false);

        CliRun.Result requeue = c.run("requeue", "-e", name, "-o", "json");
        assertThat(Json.parseObject(requeue.out().strip())).containsEntry("experiment", name + "@1").containsEntry("requeued", 1L);

        CliRun.Result export = c.run("export", "-e", name, "-o", "json");
        assertThat(export.code()).as(export.toString()).isZero();
        assertThat((List<?>) Json.parse(export.out())).hasSize(2);
        CliRun.Result epochs = c.run("export", "-e", name, "-o", "json", "--epochs");
        assertThat((List<?>) Json.parse(epochs.out())).hasSize(2);

        CliRun.Result cancel = c.run("cancel", "-e", name, "-o", "json");
        assertThat(Json.parseObject(cancel.out().strip())).containsEntry("pending", 2L).containsEntry("running", 0L);
        CliRun.Result none = c.run("export", "-e", name, "-o", "json", "--epochs", "--model", "knn");
        assertThat(none.code()).isEqualTo(2); // export has no --model: the usage error is JSON too
        assertThat(Json.parseObject(none.err().strip())).containsKey("error");
    }
}
