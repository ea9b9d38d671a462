package tracker.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.output.Table;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Lifecycle;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List experiments: every version, when it was created, and its runs by status.",
                "-o names prints only the experiments' names, one a line (what shell completion offers for -e)."})
public final class ListCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json, Format.names);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = "--archived", description = "Only archived experiments (hidden by default; see 'tracker archive').")
    boolean archived;

    @Option(names = "--all", description = "Archived experiments too (marked so in the table).")
    boolean everything;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        // Experiments being deleted are never listed; archived ones as the options say.
        Map<String, Lifecycle.Mark> marks = new Lifecycle(db).marks();
        if (format == Format.names) {
            // for completion: one name per line, without counting anyone's runs; archived ones can still be reported on
            experiments.all().stream().filter(e -> marks.get(e.id()) != Lifecycle.Mark.deleting)
                    .map(ExperimentRecord::name).distinct().forEach(cli.out()::println);
            cli.out().flush();
            return ExitCode.OK;
        }
        List<Map<String, Object>> all = new ArrayList<>();
        long hidden = 0;
        for (ExperimentRecord e : experiments.all()) {
            Lifecycle.Mark mark = marks.getOrDefault(e.id(), Lifecycle.Mark.live);
            boolean isArchived = mark == Lifecycle.Mark.archived;
            if (mark == Lifecycle.Mark.deleting || (archived ? !isArchived : isArchived && !everything)) {
                hidden += isArchived ? 1 : 0;
                continue;
            }
            Map<String, Object> m = json(experiments.live(e));
            m.put("archived", isArchived);
            all.add(m);
        }
        if (all.isEmpty() && format != Format.json && (archived || hidden > 0)) {
            cli.note(archived ? "no archived experiments" : "no experiments listed; " + hidden + " archived ('tracker list --all' shows them)");
            return ExitCode.OK;
        }
        print(cli, format, all);
        return ExitCode.OK;
    }

    /** Through tracker serve: the experiments its key reaches, printed as they are here. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object e : (List<?>) Json.parse(serve.get("experiments", Query.of()).body())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) e;
            all.add(m);
        }
        if (format == Format.names) {
            all.stream().map(m -> String.valueOf(m.get("name"))).distinct().forEach(cli.out()::println);
            cli.out().flush();
            return ExitCode.OK;
        }
        print(cli, format, all);
        return ExitCode.OK;
    }

    /** The list as -o json prints it, or as a table drawn from the same values. */
    private static void print(Cli cli, Format format, List<Map<String, Object>> all) {
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(all));
            cli.out().flush();
            return;
        }
        if (all.isEmpty()) {
            cli.note("no experiments yet; create one with 'tracker create FILE'");
            return;
        }
        // PRUNED only when some experiment has pruned runs: a list without early stopping reads as it always did.
        boolean pruned = all.stream().anyMatch(e -> ((Map<?, ?>) e.get("counts")).get("pruned") instanceof Number n && n.longValue() > 0);
        List<String> headers = new ArrayList<>(List.of("EXPERIMENT", "CREATED", "RUNS", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"));
        if (pruned) {
            headers.add("PRUNED");
        }
        Table t = new Table(headers).alignRightFrom(2);
        for (Map<String, Object> e : all) {
            Map<?, ?> counts = (Map<?, ?>) e.get("counts");
            Object created = e.get("createdAt");
            List<Object> row = new ArrayList<>(Arrays.asList(e.get("id") + ("ready".equals(e.get("state")) ? "" : " (planning)")
                            + (Boolean.TRUE.equals(e.get("archived")) ? " (archived)" : ""),
                    created == null ? "-" : created.toString().substring(0, 19).replace('T', ' '),
                    e.get("runs"), counts.get("pending"), counts.get("running"), counts.get("completed"), counts.get("failed"),
                    counts.get("cancelled")));
            if (pruned) {
                // through an older tracker serve the count may be missing: none were pruned there
                row.add(counts.get("pruned") == null ? 0L : counts.get("pruned"));
            }
            t.row(row);
        }
        t.print(cli.out());
    }

    static Map<String, Object> json(ExperimentRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("version", e.version());
        m.put("hash", e.hash());
        m.put("state", e.state());
        m.put("createdAt", e.createdAt() == null ? null : e.createdAt().toString());
        m.put("cells", e.cells());
        m.put("runs", e.total());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String s : ExperimentRecord.STATUSES) {
            counts.put(s, e.counts().getOrDefault(s, 0L));
        }
        m.put("counts", counts);
        return m;
    }
}
