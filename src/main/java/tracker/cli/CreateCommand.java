package tracker.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.cli.options.ConnectionOptions;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.KeyValues;
import tracker.plan.Plan;
import tracker.spec.Canonical;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.store.ExperimentCreator;
import tracker.store.ExperimentCreator.Mode;
import tracker.store.ExperimentCreator.Outcome;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.util.Plurals;

@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Store an experiment definition and plan its runs.",
                "Creating the same name with the definition of any stored version (the latest or an older one) reconnects "
                        + "to that version (exit 0); with a different definition it is "
                        + "refused with a diff (exit 8) unless --extend or --new-version says what to do. "
                        + "An invalid file is exit 9 with file:line:column for every problem; nothing is stored. "
                        + "A plan of more than search.run_limit runs (1,000,000 unless the definition raises it) is refused "
                        + "before anything is planned. Run again, a create that was interrupted while planning finishes its plan.",
                ""})
public final class CreateCommand implements Callable<Integer>, Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "FILE", description = "The definition (YAML); see docs/definitions.md.")
    Path file;

    @ArgGroup(exclusive = true)
    Change change;

    static final class Change {
        @Option(names = "--extend", required = true,
                description = "Add to the existing experiment: new models, datasets or suites, more trials or replicates. "
                        + "Existing runs and their results are kept; any other change is refused.")
        boolean extend;

        @Option(names = "--new-version", required = true,
                description = "Start a new version NAME@N+1 when the definition differs from every stored version; "
                        + "the old ones stay as they are. A definition identical to an older version reconnects to that version.")
        boolean newVersion;
    }

    @Option(names = "--dry-run", description = "Validate and print the plan summary; store nothing (no database needed).")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Cli cli = Cli.of(spec);
        Format format = output.choose(FORMATS);
        Definition def = DefinitionParser.parse(file);
        String hash = Canonical.hash(def);
        if (dryRun) {
            Plan plan = Plan.of(def);
            if (format == Format.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", def.name());
                m.put("hash", hash);
                m.put("dryRun", true);
                m.putAll(PlanSummary.json(plan));
                cli.out().println(JsonWriter.write(m));
            } else {
                cli.out().println("experiment  " + def.name() + " (hash " + hash.substring(0, 12) + "), dry run: nothing stored");
                PlanSummary.print(cli.out(), plan, "");
            }
            cli.out().flush();
            return ExitCode.OK.code;
        }
        Mode mode = change == null ? Mode.CREATE : change.extend ? Mode.EXTEND : Mode.NEW_VERSION;
        return ConnectedCommand.withDatabase(connection, cli, "create", db -> {
            Outcome o = new ExperimentCreator(db).create(def, file.toAbsolutePath().normalize().toString(), mode);
            ExperimentRecord e = new Experiments(db).live(o.experiment());
            switch (o.action()) {
                case created -> cli.note("created experiment " + e.id() + " with " + Plurals.count(o.newRuns(), "run") + " in " + Plurals.count(e.cells(), "cell"));
                case reconnected -> noteReconnected(cli, o, e, mode);
                case extended -> cli.note("extended experiment " + e.id() + " with " + Plurals.count(o.newRuns(), "new run") + " ("
                        + o.plannedRuns() + " in all)");
            }
            if (format == Format.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("name", e.name());
                m.put("version", e.version());
                m.put("hash", e.hash());
                m.put("action", o.action().name());
                m.put("latestVersion", o.latestVersion());
                m.put("cells", e.cells());
                m.put("runs", o.plannedRuns());
                m.put("newRuns", o.newRuns());
                m.put("counts", e.counts());
                cli.out().println(JsonWriter.write(m));
            } else {
                KeyValues kv = new KeyValues().add("id", e.id()).add("action", o.action());
                if (o.olderVersion()) {
                    kv.add("latest", ExperimentRecord.id(e.name(), o.latestVersion()));
                }
                kv.add("hash", e.hash().substring(0, 12)).add("cells", e.cells())
                        .add("runs", o.plannedRuns() + " (" + o.newRuns() + " new)").print(cli.out());
            }
            cli.out().flush();
            return ExitCode.OK;
        }).code;
    }

    /**
     * Says which version it reconnected to; for an older one also that -e NAME means the latest,
     * since a worker started with -e NAME would run another definition than this file's.
     */
    private static void noteReconnected(Cli cli, Outcome o, ExperimentRecord e, Mode mode) {
        String finished = o.newRuns() > 0 ? " (finished planning " + Plurals.count(o.newRuns(), "run") + ")" : "";
        if (!o.olderVersion()) {
            cli.note("reconnected to experiment " + e.id() + ": same definition, nothing changed" + finished);
            return;
        }
        String latest = ExperimentRecord.id(e.name(), o.latestVersion());
        cli.note(e.id() + " already exists with this definition (latest is " + latest + "); reconnected to it, nothing changed" + finished);
        if (mode == Mode.NEW_VERSION) {
            cli.note("--new-version starts a version only for a definition that no version has");
        }
        cli.note("-e " + e.name() + " means " + latest + "; name this one -e " + e.id() + " in next, run and report");
    }
}
