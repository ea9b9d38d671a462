package tracker.cli;

import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
import tracker.plan.GridStages;
import tracker.plan.Plan;
import tracker.spec.Canonical;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;

@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show an experiment: its stored definition in canonical YAML and its plan.",
                "-o yaml prints only the definition, which 'tracker create' reads back as the same experiment.",
                "Show a run (NAME@VERSION/MODEL/DATASET/N): its parameters, provenance, progress, notes, attempts, and its "
                        + "per-epoch and per-step metrics as tables and as curves; -o svg draws its learning curves (a panel "
                        + "per metric, a line per phase, the objective's chosen epoch marked)."})
public final class ShowCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json, Format.yaml, Format.svg);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "EXPERIMENT|RUN", description = "NAME (its latest version), NAME@VERSION, or a run id.")
    String experiment;

    @picocli.CommandLine.Option(names = "--origins", description = "End each line of the definition with where its value was written "
            + "when the experiment was created or last extended: file:line:column (the file itself, an include, a template "
            + "it extends), the --set that wrote it, or 'default'.")
    boolean origins;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        if (experiment.contains("/")) {
            return RunView.show(db, cli, experiment, output.choose(Formats.of(Format.table, Format.json, Format.svg)));
        }
        Format format = output.choose(FORMATS);
        if (format == Format.svg) {
            throw TrackerException.usage("-o svg draws a run's learning curves, not an experiment",
                    "give a run id (NAME@VERSION/MODEL/DATASET/N), or: tracker report -e " + experiment + " --view curves -o svg");
        }
        Experiments experiments = new Experiments(db);
        ExperimentRecord e = experiments.live(experiments.resolve(experiment));
        Definition def = DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)");
        // Written anew rather than the stored text, so an experiment stored by an older tracker
        // shows its numbers as today's do (0.0001, not 1.0e-4); both read back to the same definition.
        if (origins && format == Format.json) {
            throw TrackerException.usage("--origins annotates the YAML of the definition", "use -o yaml or the table");
        }
        String yaml = origins ? Canonical.yaml(def, experiments.origins(e.id())) : Canonical.yaml(def);
        Map<String, Object> m = ListCommand.json(e);
        m.put("derivations", experiments.derivedFrom(e.id())); // the other end of derived_from
        m.put("source", e.source());
        m.put("definition", yaml);
        List<Map<String, Object>> priorities = experiments.priorityChanges(e.id());
        if (!priorities.isEmpty()) {
            m.put("priorityChanges", priorities);
        }
        GridStages grids = experiments.gridStages(e.id());
        if (!grids.isEmpty()) {
            m.put("grids", grids.json()); // how its grids grew: its plan, here and through tracker serve
        }
        print(cli, format, m, def, e.hash());
        return ExitCode.OK;
    }

    /**
     * Through tracker serve: an experiment as -o json gives it, its definition (-o yaml) or the
     * same text drawn from those values; a run as -o json (its tables and curves need the database).
     */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        if (experiment.contains("/")) {
            Format format = output.choose(Formats.of(Format.table, Format.json, Format.svg));
            if (format != Format.json) {
                throw TrackerException.usage("through tracker serve, 'show RUN' prints -o json only (" + serve.where() + " answers it)",
                        "add -o json, or run 'tracker show RUN' where the database is reachable");
            }
            cli.out().print(serve.get("runs/" + Query.path(experiment), Query.of()).body());
            cli.out().flush();
            return ExitCode.OK;
        }
        Format format = output.choose(FORMATS);
        if (format == Format.svg) {
            throw TrackerException.usage("-o svg draws a run's learning curves, not an experiment",
                    "give a run id (NAME@VERSION/MODEL/DATASET/N), or: tracker report -e " + experiment + " --view curves -o svg");
        }
        if (origins) {
            throw TrackerException.usage("--origins reads the database: through tracker serve it is not available",
                    "run 'tracker show " + experiment + " -o yaml --origins' where the database is reachable");
        }
        Map<String, Object> m = Json.parseObject(serve.get("experiments/" + Query.segment(experiment), Query.of()).body());
        String id = String.valueOf(m.get("id"));
        print(cli, format, m, DefinitionParser.parse(String.valueOf(m.get("definition")), id + " (stored)"), String.valueOf(m.get("hash")));
        return ExitCode.OK;
    }

    /** One line of the history's priority changes: when, what, from, to. */
    private static String priorityChange(Map<?, ?> c) {
        String at = String.valueOf(c.get("at")).replace('T', ' ');
        at = at.length() > 19 ? at.substring(0, 19) : at;
        if (c.get("priorities") instanceof List<?> models) {
            return at + "  extension: " + String.join(", ", models.stream().map(o -> (Map<?, ?>) o)
                    .map(p -> p.get("model") + " " + p.get("from") + " -> " + p.get("to")).toList());
        }
        if (c.get("run") != null) {
            return at + "  run " + c.get("run") + ": " + c.get("from") + " -> " + c.get("to");
        }
        List<?> cells = (List<?>) c.get("cells");
        List<?> from = (List<?>) c.get("from");
        List<String> each = new java.util.ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            each.add(cells.get(i) + " " + from.get(i));
        }
        return at + "  " + String.join(", ", each) + " -> " + c.get("to");
    }

    /** The experiment as -o json gives it ({@code m}), or its definition, or the text drawn from the same values. */
    private static void print(Cli cli, Format format, Map<String, Object> m, Definition def, String hash) {
        String yaml = String.valueOf(m.get("definition"));
        GridStages grids = GridStages.fromJson(m.get("grids"));
        if (format == Format.yaml) {
            cli.out().print(yaml);
        } else if (format == Format.json) {
            if (!m.containsKey("plan")) { // computed only when printed: a large plan takes a while
                m.put("plan", PlanSummary.json(Plan.of(def, grids)));
            }
            cli.out().println(JsonWriter.write(m));
        } else {
            Map<?, ?> counts = (Map<?, ?>) m.get("counts");
            cli.out().println("# " + m.get("id") + "  hash " + hash.substring(0, 12) + "  created "
                    + m.get("createdAt") + ("ready".equals(m.get("state")) ? "" : "  (still planning)"));
            cli.out().println("# from " + m.get("source"));
            if (m.get("derivedFrom") != null) {
                cli.out().println("# derived from " + m.get("derivedFrom"));
            }
            if (m.get("derivations") instanceof List<?> l && !l.isEmpty()) {
                cli.out().println("# derived into " + String.join(", ", l.stream().map(String::valueOf).toList()));
            }
            cli.out().print(yaml);
            cli.out().println();
            cli.out().println("# runs: " + m.get("runs") + " (" + String.join(", ", ExperimentRecord.shownStatuses(counts).stream()
                    .map(st -> st + " " + (counts.get(st) == null ? 0L : counts.get(st))).toList()) + ")");
            if (m.get("priorityChanges") instanceof List<?> changes) {
                cli.out().println("# priority changes:");
                for (Object c : changes) {
                    cli.out().println("#   " + priorityChange((Map<?, ?>) c));
                }
            }
            java.io.StringWriter sw = new java.io.StringWriter();
            PlanSummary.print(new java.io.PrintWriter(sw), Plan.of(def, grids), "");
            sw.toString().lines().forEach(l -> cli.out().println(l.isEmpty() ? "#" : "# " + l));
        }
        cli.out().flush();
    }
}
