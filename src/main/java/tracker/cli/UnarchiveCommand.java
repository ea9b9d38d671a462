package tracker.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Lifecycle;

@Command(name = "unarchive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make an archived experiment version writable and listed again: workers can claim its pending runs; "
                + "runs that archive --force cancelled come back with 'tracker requeue --status cancelled'.",
                "-e NAME is its latest version only.",
                "",
                "Example:",
                "  tracker unarchive -e mnist@1"})
public final class UnarchiveCommand extends ConnectedCommand implements Formats.Printing {
    @Override
    public Formats formats() {
        return ArchiveCommand.FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME[@N]",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(ArchiveCommand.FORMATS);
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        if (!new Lifecycle(db).unarchive(e.id())) {
            throw Lifecycle.goneMeanwhile(e.id());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.id());
        m.put("archived", false);
        cli.note("unarchived " + e.id());
        ArchiveCommand.print(cli, format, m);
        return ExitCode.OK;
    }
}
