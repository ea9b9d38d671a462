package tracker.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.ExperimentSelection;
import tracker.json.JsonWriter;
import tracker.store.Admin;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;

@Command(name = "requeue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Put failed or cancelled runs back in the queue, with a fresh budget of attempts; they are claimed "
                + "before runs that never ran. Their earlier attempts stay in their history."})
public final class RequeueCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Mixin
    ExperimentSelection selection;

    @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "Which runs: failed, cancelled (default: both).")
    Set<Which> statuses = new LinkedHashSet<>(List.of(Which.failed, Which.cancelled));

    enum Which { failed, cancelled }

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        ExperimentRecord e = new Experiments(db).resolve(selection.experiment);
        Set<String> s = new LinkedHashSet<>();
        statuses.forEach(w -> s.add(w.name()));
        long n = new Admin(db).requeue(e, s, new Admin.Selection(selection.models, selection.datasets, selection.runs));
        cli.note("requeued " + n + " run" + (n == 1 ? "" : "s") + " of " + e.id());
        cli.out().println(format == Format.json ? JsonWriter.write(Map.of("experiment", e.id(), "requeued", n)) : String.valueOf(n));
        cli.out().flush();
        return ExitCode.OK;
    }
}
