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
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.id());
        m.put("pending", n.pending());
        m.put("running", n.running());
        print(cli, format, m);
        return ExitCode.OK;
    }

    /** Through tracker serve (an admin key): the same cancel; its answer is what -o json prints. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        Query form = Query.of().addAll("model", selection.models).addAll("dataset", selection.datasets).addAll("run", selection.runs)
                .flag("running", running);
        print(cli, format, Json.parseObject(serve.post("experiments/" + Query.segment(selection.experiment) + "/cancel", form, false).body()));
        return ExitCode.OK;
    }

    private void print(Cli cli, Format format, Map<String, Object> m) {
        long pending = ((Number) m.get("pending")).longValue();
        long inFlight = ((Number) m.get("running")).longValue();
        cli.note("cancelled " + (running ? pending + " pending and " + Plurals.count(inFlight, "running run")
                : Plurals.count(pending, "pending run")) + " of " + m.get("experiment"));
        cli.out().println(format == Format.json ? JsonWriter.write(m) : String.valueOf(pending + inFlight));
        cli.out().flush();
    }
}
