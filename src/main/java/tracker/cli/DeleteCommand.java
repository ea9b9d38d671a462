package tracker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Lifecycle;
import tracker.util.Plurals;

@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Delete an experiment version and everything of it: its runs, metric epochs and steps, results, queues, "
                + "adaptive trials and early-stopping rungs. It cannot be undone (archive hides an experiment and keeps it).",
                "-e NAME is its latest version only; delete other versions by NAME@N, one at a time.",
                "On a terminal it shows what will be deleted and asks you to type the experiment id; elsewhere it needs --yes.",
                "Cut short (killed, connection lost), the experiment stays hidden as 'being deleted'; running delete again "
                        + "(no confirmation needed) or 'tracker gc' finishes it.",
                "",
                "Examples:",
                "  tracker delete -e mnist@2            # asks: type mnist@2 to delete it",
                "  tracker delete -e mnist@1 --yes -o json",
                "  tracker delete -e mnist --force --yes   # the latest version, even with runs in flight"})
public final class DeleteCommand extends ConnectedCommand implements Formats.Printing, ConnectedCommand.OwnExperimentOption {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    // Given explicitly: a destructive command takes no default from TRACKER_EXPERIMENT or the config file.
    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME[@N]", required = true,
            description = "The experiment version to delete: NAME@N, or NAME for its latest version only.")
    String experiment;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when stdin is not a terminal).")
    boolean yes;

    @Option(names = "--force", description = "Delete even while runs are in flight: their workers' next log, heartbeat or end "
            + "is refused (exit 6), which tells them to stop.")
    boolean force;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        Lifecycle lifecycle = new Lifecycle(db);
        ExperimentRecord e = experiments.resolveAny(experiment);
        boolean resumed = lifecycle.mark(e.id()) == Lifecycle.Mark.deleting;
        if (resumed) {
            cli.note(e.id() + " was being deleted (a delete cut short): finishing it");
        } else {
            Map<String, Long> counts = experiments.live(e).counts();
            long running = counts.getOrDefault("running", 0L);
            if (running > 0 && !force) {
                throw new TrackerException(ExitCode.CONFLICT, e.id() + " has " + Plurals.count(running, "run") + " in flight; nothing deleted",
                        "wait for them to end, or add --force: their workers' next log, heartbeat or end is then refused (exit 6) and they stop");
            }
            if (!yes) {
                confirm(cli, e, counts);
            }
            if (!lifecycle.markDeleting(e.id())) {
                throw new TrackerException(ExitCode.NOT_FOUND, "experiment " + e.id() + " went away meanwhile; nothing deleted", null);
            }
        }
        Lifecycle.Removed removed = lifecycle.finishDelete(e.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.id());
        m.put("resumed", resumed);
        m.put("removed", removed.documents());
        m.put("bytes", removed.totalBytes());
        cli.note("deleted " + e.id() + ": " + Removals.sentence(removed));
        if (format == Format.json) {
            cli.out().println(tracker.json.JsonWriter.write(m));
        } else {
            Removals.table(removed).print(cli.out());
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    /** Shows what will go and asks for the experiment id; refuses without a terminal to ask on. */
    private void confirm(Cli cli, ExperimentRecord e, Map<String, Long> counts) {
        if (cli.hosted() != null || !Tty.stdinIsTerminal()) {
            throw TrackerException.usage("refusing to delete " + e.id() + " without confirmation: stdin is not a terminal",
                    "add --yes to delete it: 'tracker delete -e " + e.id() + " --yes'");
        }
        cli.err().println("tracker: this deletes " + e.id() + " for good: " + Plurals.count(counts.getOrDefault("total", 0L), "run")
                + " (" + byStatus(counts) + ") with their metrics, results and queues");
        cli.err().print("tracker: type " + e.id() + " to delete it: ");
        cli.err().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException ex) {
            answer = null;
        }
        if (!confirmed(answer, e.id())) {
            throw TrackerException.usage("not confirmed; nothing deleted", "type the experiment id exactly (" + e.id() + "), or add --yes");
        }
    }

    /** Whether the answer names the experiment to delete (surrounding blanks aside). */
    static boolean confirmed(String answer, String experimentId) {
        return answer != null && answer.strip().equals(experimentId);
    }

    static String byStatus(Map<String, Long> counts) {
        StringBuilder b = new StringBuilder();
        for (String s : ExperimentRecord.shownStatuses(counts)) {
            b.append(b.isEmpty() ? "" : ", ").append(counts.getOrDefault(s, 0L)).append(' ').append(s);
        }
        return b.toString();
    }
}
