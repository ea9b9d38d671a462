package tracker.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.RunStatus;
import tracker.cli.options.ExperimentSelection;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.StatusNames;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.store.Admin;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;

@Command(name = "requeue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Put failed or cancelled runs (and pruned ones, named with --status pruned) back in the queue, with a fresh budget "
                + "of attempts; they are claimed before runs that never ran (with their last checkpoint). Their earlier attempts stay in their history."})
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

    /** What can be requeued: every finished status but completed. */
    static final List<String> REQUEUEABLE = RunStatus.FINISHED.stream().filter(s -> !s.equals(RunStatus.COMPLETED)).toList();
    /**
     * What is requeued without --status: all of those but pruned. Early stopping ended a pruned run
     * on purpose, so it is finished like a completed one; it goes back only when asked by name.
     */
    static final List<String> REQUEUED_BY_DEFAULT = REQUEUEABLE.stream().filter(s -> !s.equals(RunStatus.PRUNED)).toList();

    @Option(names = "--status", paramLabel = "STATUS", split = ",", converter = Requeueable.class, completionCandidates = Statuses.class,
            description = "Which runs, comma-separated: failed, timeout, out_of_memory, node_fail, cancelled, pruned "
                    + "(default: all of them but pruned, which early stopping ended on purpose; each names exactly that status).")
    Set<String> statuses = new LinkedHashSet<>(REQUEUED_BY_DEFAULT);

    /** For completion and for Errors' "did you mean". */
    static final class Statuses implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return REQUEUEABLE.iterator();
        }
    }

    static final class Requeueable implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return StatusNames.check(value, REQUEUEABLE);
        }
    }

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        ExperimentRecord e = new Experiments(db).resolve(selection.experiment);
        long n = new Admin(db).requeue(e, statuses, new Admin.Selection(selection.models, selection.datasets, selection.runs));
        print(cli, format, e.id(), n);
        return ExitCode.OK;
    }

    /** Through tracker serve (an admin key): the same requeue; its answer is what -o json prints. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        Query form = Query.of().addAll("model", selection.models).addAll("dataset", selection.datasets).addAll("run", selection.runs)
                .add("status", String.join(",", statuses));
        Map<String, Object> m = Json.parseObject(serve.post("experiments/" + Query.segment(selection.experiment) + "/requeue", form, false).body());
        print(cli, format, String.valueOf(m.get("experiment")), ((Number) m.get("requeued")).longValue());
        return ExitCode.OK;
    }

    private static void print(Cli cli, Format format, String experiment, long n) {
        cli.note("requeued " + n + " run" + (n == 1 ? "" : "s") + " of " + experiment);
        cli.out().println(format == Format.json ? JsonWriter.write(Map.of("experiment", experiment, "requeued", n)) : String.valueOf(n));
        cli.out().flush();
    }
}
