package tracker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import tracker.TrackerException;
import tracker.config.Remote;
import tracker.json.Json;
import tracker.remote.Query;
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
    static final Formats FORMATS = Formats.of(Format.table, Format.json, Format.yaml);

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
                description = "Add to the existing experiment: new models, datasets or suites, more trials or replicates, values added "
                        + "to a grid; priorities may change. "
                        + "Existing runs and their results are kept; any other change is refused.")
        boolean extend;

        @Option(names = "--new-version", required = true,
                description = "Start a new version NAME@N+1 when the definition differs from every stored version; "
                        + "the old ones stay as they are. A definition identical to an older version reconnects to that version.")
        boolean newVersion;
    }

    @Option(names = "--dry-run", description = "Validate and print the plan summary; store nothing (no database needed). "
            + "With -o yaml, print the resolved definition instead: includes, --set and extends: applied, defaults written out.")
    boolean dryRun;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = {"Override one value of the file, e.g. --set search.trials=20 --set models.mlp.params.lr.max=0.1 "
                    + "(VALUE is YAML: 20, [0.1, 0.01], {distribution: uniform, min: 0, max: 1}; ~ removes the key). "
                    + "Repeatable, applied in order, checked like the file; the result is the definition, hashed as if written so."})
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--origins", description = "With -o yaml: end each line of the definition with where its value was written "
            + "(file:line:column, the --set that wrote it, or 'default').")
    boolean origins;

    @Override
    public Integer call() throws Exception {
        Cli cli = Cli.of(spec);
        Format format = output.choose(FORMATS);
        if (origins && format != Format.yaml) {
            throw TrackerException.usage("--origins annotates the definition printed by -o yaml", "add -o yaml");
        }
        // Through tracker serve, includes are read here and the resolved definition is sent: the
        // server has not got the client's files (and must not read its own on a client's say).
        DefinitionParser.Resolved resolved = DefinitionParser.read(file, overrides, cli.hosted() == null);
        Definition def = resolved.definition();
        String hash = Canonical.hash(def);
        if (dryRun && format == Format.yaml) {
            cli.out().print(origins ? Canonical.yaml(def, resolved.origins()) : Canonical.yaml(def));
            cli.out().flush();
            return ExitCode.OK.code;
        }
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
        Remote remote = ConnectedCommand.remote(connection, cli);
        if (remote != null) {
            return ConnectedCommand.remotely(remote, cli, "create", serve -> {
                // Creating is idempotent (the same definition reconnects), so a lost reply may be asked again.
                String body = serve.postText("experiments", Query.of().add("file", file.getFileName().toString())
                        .flag("extend", mode == Mode.EXTEND).flag("new_version", mode == Mode.NEW_VERSION), sent(file, def), "application/yaml", true).body();
                Map<String, Object> m = Json.parseObject(body);
                Created c = new Created(String.valueOf(m.get("id")), String.valueOf(m.get("name")), ((Number) m.get("version")).intValue(),
                        String.valueOf(m.get("hash")), ExperimentCreator.Action.valueOf(String.valueOf(m.get("action"))),
                        ((Number) m.get("latestVersion")).intValue(), ((Number) m.get("cells")).intValue(),
                        ((Number) m.get("runs")).longValue(), ((Number) m.get("newRuns")).longValue(), m.get("counts"));
                print(cli, format, c, mode, def, resolved.origins());
                return ExitCode.OK;
            }).code;
        }
        return ConnectedCommand.withDatabase(connection, cli, "create", db -> {
            Outcome o = new ExperimentCreator(db).create(def, resolved.origins(), file.toAbsolutePath().normalize().toString(), mode);
            ExperimentRecord e = new Experiments(db).live(o.experiment());
            print(cli, format, new Created(e.id(), e.name(), e.version(), e.hash(), o.action(), o.latestVersion(), e.cells(), o.plannedRuns(),
                    o.newRuns(), e.counts()), mode, def, resolved.origins());
            return ExitCode.OK;
        }).code;
    }

    /** What create did, from the database or from tracker serve's answer (its -o json). */
    private record Created(String id, String name, int version, String hash, ExperimentCreator.Action action, int latestVersion, int cells,
                           long plannedRuns, long newRuns, Object counts) {
        boolean olderVersion() {
            return version < latestVersion;
        }
    }

    private void print(Cli cli, Format format, Created e, Mode mode, Definition def, tracker.spec.Origins where) {
        switch (e.action()) {
            case created -> cli.note("created experiment " + e.id() + " with " + Plurals.count(e.newRuns(), "run") + " in " + Plurals.count(e.cells(), "cell"));
            case reconnected -> noteReconnected(cli, e, mode);
            case extended -> cli.note("extended experiment " + e.id() + " with " + Plurals.count(e.newRuns(), "new run") + " ("
                    + e.plannedRuns() + " in all)");
        }
        if (format == Format.yaml) {
            cli.out().print(origins ? Canonical.yaml(def, where) : Canonical.yaml(def));
        } else if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("name", e.name());
            m.put("version", e.version());
            m.put("hash", e.hash());
            m.put("action", e.action().name());
            m.put("latestVersion", e.latestVersion());
            m.put("cells", e.cells());
            m.put("runs", e.plannedRuns());
            m.put("newRuns", e.newRuns());
            m.put("counts", e.counts());
            cli.out().println(JsonWriter.write(m));
        } else {
            KeyValues kv = new KeyValues().add("id", e.id()).add("action", e.action());
            if (e.olderVersion()) {
                kv.add("latest", ExperimentRecord.id(e.name(), e.latestVersion()));
            }
            kv.add("hash", e.hash().substring(0, 12)).add("cells", e.cells())
                    .add("runs", e.plannedRuns() + " (" + e.newRuns() + " new)").print(cli.out());
        }
        cli.out().flush();
    }

    /**
     * What remote mode sends: the file as written when it stands alone (the server's messages then
     * name its own lines), else the resolved definition, which the server reads as the same one.
     */
    private String sent(Path file, Definition def) {
        String text = read(file);
        boolean layered = !overrides.isEmpty() || text.lines().anyMatch(l -> l.matches("\\s*(include|templates|extends)\\s*:.*"));
        return layered ? Canonical.yaml(def) : text;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TrackerException.invalid("cannot read " + file + ": " + e.getMessage(), null);
        }
    }

    /**
     * Says which version it reconnected to; for an older one also that -e NAME means the latest,
     * since a worker started with -e NAME would run another definition than this file's.
     */
    private static void noteReconnected(Cli cli, Created o, Mode mode) {
        String finished = o.newRuns() > 0 ? " (finished planning " + Plurals.count(o.newRuns(), "run") + ")" : "";
        if (!o.olderVersion()) {
            cli.note("reconnected to experiment " + o.id() + ": same definition, nothing changed" + finished);
            return;
        }
        String latest = ExperimentRecord.id(o.name(), o.latestVersion());
        cli.note(o.id() + " already exists with this definition (latest is " + latest + "); reconnected to it, nothing changed" + finished);
        if (mode == Mode.NEW_VERSION) {
            cli.note("--new-version starts a version only for a definition that no version has");
        }
        cli.note("-e " + o.name() + " means " + latest + "; name this one -e " + o.id() + " in next, run and report");
    }
}
