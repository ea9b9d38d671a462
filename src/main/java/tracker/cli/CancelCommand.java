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
import tracker.cli.options.ExperimentSelection;
import tracker.json.JsonWriter;
import tracker.store.Admin;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.util.Plurals;

@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cancel pending runs (all of the experiment's, or those of --model, --dataset, --run).",
                "With --running, runs in flight too: their workers' next log, heartbeat or end is refused (exit 6), which "
                        + "tells them to stop. 'tracker requeue --status cancelled' undoes it."})
public final class CancelCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Mixin
    ExperimentSelection selection;

    @Option(names = "--running", description = "Also cancel runs in flight (the whole experiment when given no filter).")
    boolean running;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        ExperimentRecord e = new Experiments(db).resolve(selection.experiment);
        Admin.Cancelled n = new Admin(db).cancel(e, new Admin.Selection(selection.models, selection.datasets, selection.runs), running);
        cli.note("cancelled " + (running ? n.pending() + " pending and " + Plurals.count(n.running(), "running run")
                : Plurals.count(n.pending(), "pending run")) + " of " + e.id());
        if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", e.id());
            m.put("pending", n.pending());
            m.put("running", n.running());
            cli.out().println(JsonWriter.write(m));
        } else {
            cli.out().println(n.pending() + n.running());
        }
        cli.out().flush();
        return ExitCode.OK;
    }
}
