package tracker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Priorities;
import tracker.util.Plurals;

@Command(name = "priority", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Change the claim order of a live experiment: the cells of --model and --dataset (every cell without "
                + "either) get PRIORITY; higher is claimed first, as the definition's priority. With --run, one pending run is "
                + "moved ahead: it is claimed before the runs of every cell below PRIORITY, and first of its own cell.",
                "Each change is recorded in the experiment's history. 'create --extend' keeps these changes, except for the "
                        + "models whose priority the extended definition changes itself."},
        footerHeading = "%nExamples:%n",
        footer = {"  tracker priority -e tabular --model xgboost 10       xgboost's cells first",
                "  tracker priority -e tabular --dataset higgs -5        higgs after the rest",
                "  tracker priority -e tabular --run tabular@1/mlp/iris/7 100",
                "                                                        that run next", ""})
public final class PriorityCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Option(names = "--model", paramLabel = "MODEL", split = ",", description = "Only the cells of these models.")
    Set<String> models = new LinkedHashSet<>();

    @Option(names = "--dataset", paramLabel = "DATASET", split = ",", description = "Only the cells of these datasets.")
    Set<String> datasets = new LinkedHashSet<>();

    @Option(names = "--run", paramLabel = "RUN", description = "Move this pending run ahead instead (a run id as 'tracker next' prints it).")
    String run;

    @Parameters(index = "0", paramLabel = "PRIORITY", description = "The new priority, an integer (higher is claimed first).")
    int priority;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        check();
        Format format = output.choose(FORMATS);
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        Priorities priorities = new Priorities(db);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.id());
        m.put("priority", (long) priority);
        if (run != null) {
            Priorities.Boosted b = priorities.run(e, run, priority);
            m.put("run", b.run());
            m.put("cell", b.cell());
            m.put("from", (long) b.from());
            m.put("to", (long) b.to());
            m.put("changed", b.changed());
        } else {
            Priorities.CellsChanged c = priorities.cells(e, models, datasets, priority);
            List<Object> changed = new ArrayList<>();
            for (Priorities.Change ch : c.changed()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("cell", ch.cell());
                one.put("from", (long) ch.from());
                one.put("to", (long) ch.to());
                changed.add(one);
            }
            m.put("changed", changed);
            m.put("unchanged", (long) c.unchanged());
        }
        print(cli, format, m);
        return ExitCode.OK;
    }

    /** Through tracker serve (an admin key): the same change; its answer is what -o json prints. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        check();
        Format format = output.choose(FORMATS);
        Query form = Query.of().addAll("model", models).addAll("dataset", datasets).add("priority", Integer.toString(priority));
        if (run != null) {
            form.add("run", run);
        }
        print(cli, format, Json.parseObject(serve.post("experiments/" + Query.segment(experiment) + "/priority", form, false).body()));
        return ExitCode.OK;
    }

    private void check() {
        if (priority == Integer.MIN_VALUE) { // as the definition's: its negation must be a priority too
            throw TrackerException.usage("PRIORITY must be at least -2147483647, not " + priority, null);
        }
        if (run != null && (!models.isEmpty() || !datasets.isEmpty())) {
            throw TrackerException.usage("--run moves one run; it does not go with --model or --dataset",
                    "give either --run RUN, or --model/--dataset for whole cells");
        }
    }

    /** Prints from the answer's map, so the local command and the one through tracker serve print alike. */
    @SuppressWarnings("unchecked")
    private static void print(Cli cli, Format format, Map<String, Object> m) {
        if (m.containsKey("run")) {
            boolean changed = Boolean.TRUE.equals(m.get("changed"));
            cli.note(changed ? "moved " + m.get("run") + " ahead: priority " + m.get("from") + " -> " + m.get("to")
                    + " until it is claimed" : m.get("run") + " has priority " + m.get("to") + " already");
            cli.out().println(format == Format.json ? JsonWriter.write(m) : m.get("run") + "  " + m.get("from") + " -> " + m.get("to"));
        } else {
            List<Object> changed = (List<Object>) m.get("changed");
            long unchanged = ((Number) m.get("unchanged")).longValue();
            cli.note("priority " + m.get("priority") + " for " + Plurals.count(changed.size(), "cell") + " of " + m.get("experiment")
                    + (unchanged == 0 ? "" : " (" + Plurals.count(unchanged, "other cell") + " had it already)"));
            if (format == Format.json) {
                cli.out().println(JsonWriter.write(m));
            } else {
                for (Object o : changed) {
                    Map<String, Object> ch = (Map<String, Object>) o;
                    cli.out().println(ch.get("cell") + "  " + ch.get("from") + " -> " + ch.get("to"));
                }
            }
        }
        cli.out().flush();
    }
}
