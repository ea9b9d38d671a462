package tracker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.Table;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;

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

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        if (format == Format.names) {
            // for completion: one name per line, without counting anyone's runs
            experiments.all().stream().map(ExperimentRecord::name).distinct().forEach(cli.out()::println);
            cli.out().flush();
            return ExitCode.OK;
        }
        List<ExperimentRecord> all = experiments.all().stream().map(experiments::live).toList();
        if (format == Format.json) {
            List<Object> out = new ArrayList<>();
            for (ExperimentRecord e : all) {
                out.add(json(e));
            }
            cli.out().println(JsonWriter.write(out));
            cli.out().flush();
            return ExitCode.OK;
        }
        if (all.isEmpty()) {
            cli.note("no experiments yet; create one with 'tracker create FILE'");
            return ExitCode.OK;
        }
        Table t = new Table("EXPERIMENT", "CREATED", "RUNS", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")
                .alignRight(2, 3, 4, 5, 6, 7);
        for (ExperimentRecord e : all) {
            t.row(e.id() + (e.ready() ? "" : " (planning)"), e.createdAt() == null ? "-" : e.createdAt().toString().substring(0, 19).replace('T', ' '),
                    e.total(), e.counts().getOrDefault("pending", 0L), e.counts().getOrDefault("running", 0L),
                    e.counts().getOrDefault("completed", 0L), e.counts().getOrDefault("failed", 0L),
                    e.counts().getOrDefault("cancelled", 0L));
        }
        t.print(cli.out());
        return ExitCode.OK;
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
