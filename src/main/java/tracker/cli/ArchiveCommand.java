package tracker.cli;

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
import tracker.json.JsonWriter;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Lifecycle;
import tracker.util.Plurals;

@Command(name = "archive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Archive an experiment version: hidden from 'tracker list' (see list --archived) and read-only - next, log, "
                + "heartbeat, end, requeue, cancel and create --extend refuse it - while show, status, report and export work as before. "
                + "'tracker unarchive' undoes it.",
                "-e NAME is its latest version only.",
                "",
                "Examples:",
                "  tracker archive -e mnist@1",
                "  tracker archive -e mnist --force     # runs in flight are cancelled first"})
public final class ArchiveCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME[@N]",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Option(names = "--force", description = "Archive even while runs are in flight: they are cancelled (as 'cancel --running' "
            + "does; their workers' next write is refused with exit 6). Pending runs stay pending, for after an unarchive.")
    boolean force;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        Lifecycle lifecycle = new Lifecycle(db);
        ExperimentRecord e = experiments.resolve(experiment);
        long running = experiments.live(e).counts().getOrDefault("running", 0L);
        if (running > 0 && !force && lifecycle.mark(e.id()) != Lifecycle.Mark.archived) {
            throw new TrackerException(ExitCode.CONFLICT, e.id() + " has " + Plurals.count(running, "run") + " in flight; not archived",
                    "wait for them to end, or add --force to cancel them (their workers stop) and archive it");
        }
        // Marked first, so no claim hands out another run while the ones in flight are cancelled;
        // cut in between, archive --force again cancels what is left.
        if (!lifecycle.archive(e.id())) {
            throw Lifecycle.goneMeanwhile(e.id());
        }
        long cancelled = force ? lifecycle.cancelInFlight(e) : 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.id());
        m.put("archived", true);
        m.put("cancelled", cancelled);
        cli.note("archived " + e.id() + (force ? " (cancelled " + Plurals.count(cancelled, "run") + " in flight)" : "")
                + "; 'tracker unarchive -e " + e.id() + "' makes it writable again");
        print(cli, format, m);
        return ExitCode.OK;
    }

    static void print(Cli cli, Format format, Map<String, Object> m) {
        cli.out().println(format == Format.json ? JsonWriter.write(m) : String.valueOf(m.get("experiment")));
        cli.out().flush();
    }
}
