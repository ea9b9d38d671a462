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
        description = {"List experiments: every version, when it was created, its runs by status, its tags and description.",
                "--tag keeps those that have every given tag; --sort orders them by name (default), creation or last activity "
                        + "(the latest of: created or extended, a run's end, a live run's last sign of life), newest first.",
                "-o names prints only the experiments' names, one a line (what shell completion offers for -e).",
                "", "Examples:", "  tracker list --tag baseline --sort activity", "  tracker list -o json --tag paper-2027"})
public final class ListCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json, Format.names);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @picocli.CommandLine.Option(names = "--tag", paramLabel = "TAG", description = "Only experiments with this tag (repeat: with every one of them).")
    List<String> tags = new ArrayList<>();

    enum Order { name, created, activity }

    @picocli.CommandLine.Option(names = "--sort", paramLabel = "ORDER", description = "name (default: by name, then version), created or "
            + "activity (newest first; the table then shows when each was last active).")
    Order sort = Order.name;

    @Option(names = "--archived", description = "Only archived experiments (hidden by default; see 'tracker archive').")
    boolean archived;

    @Option(names = "--all", description = "Archived experiments too (marked so in the table).")
    boolean everything;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        // Experiments being deleted are never listed; archived ones as the options say.
        if (format == Format.names) {
            // for completion: one name per line, without counting anyone's runs; archived ones can still be reported on
            experiments.all().stream().filter(e -> e.mark() != Lifecycle.Mark.deleting)
                    .filter(e -> tags.isEmpty() || e.tags() != null && e.tags().containsAll(tags))
                    .map(ExperimentRecord::name).distinct().forEach(cli.out()::println);
            cli.out().flush();
            return ExitCode.OK;
        }
        List<Map<String, Object>> all = new ArrayList<>();
        long hidden = 0;
        for (ExperimentRecord e : experiments.all()) {
            if (!tags.isEmpty() && (e.tags() == null || !e.tags().containsAll(tags))) {
                continue;
            }
            Lifecycle.Mark mark = e.mark();
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
        print(cli, format, chosen(all));
        return ExitCode.OK;
    }

    /** The experiments --tag keeps, in --sort's order (the list comes in name order). */
    private List<Map<String, Object>> chosen(List<Map<String, Object>> all) {
        List<Map<String, Object>> out = new ArrayList<>(all.stream()
                .filter(m -> tags.isEmpty() || m.get("tags") instanceof List<?> t && t.containsAll(tags))
                .toList());
        if (sort != Order.name) {
            String key = sort == Order.created ? "createdAt" : "lastActivity";
            // ISO-8601 UTC text sorts as time; newest first
            out.sort(java.util.Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get(key))).reversed());
        }
        return out;
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
        all = chosen(all);
        if (format == Format.names) {
            all.stream().map(m -> String.valueOf(m.get("name"))).distinct().forEach(cli.out()::println);
            cli.out().flush();
            return ExitCode.OK;
        }
        print(cli, format, all);
        return ExitCode.OK;
    }

    /** The list as -o json prints it, or as a table drawn from the same values. */
    private void print(Cli cli, Format format, List<Map<String, Object>> all) {
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(all));
            cli.out().flush();
            return;
        }
        if (all.isEmpty()) {
            cli.note(tags.isEmpty() ? "no experiments yet; create one with 'tracker create FILE'"
                    : "no experiment has the tag" + (tags.size() > 1 ? "s " : " ") + String.join(", ", tags));
            return;
        }
        // PRUNED only when some experiment has pruned runs: a list without early stopping reads as it always did.
        boolean pruned = all.stream().anyMatch(e -> ((Map<?, ?>) e.get("counts")).get("pruned") instanceof Number n && n.longValue() > 0);
        boolean active = sort == Order.activity;
        boolean tagged = all.stream().anyMatch(e -> e.get("tags") instanceof List<?> l && !l.isEmpty());
        boolean described = all.stream().anyMatch(e -> e.get("description") instanceof String d && !d.isBlank());
        List<String> headers = new ArrayList<>(List.of("EXPERIMENT", "CREATED"));
        if (active) {
            headers.add("ACTIVE");
        }
        int counts0 = headers.size();
        headers.addAll(List.of("RUNS", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"));
        if (pruned) {
            headers.add("PRUNED");
        }
        int countsEnd = headers.size();
        if (tagged) {
            headers.add("TAGS");
        }
        if (described) {
            headers.add("DESCRIPTION");
        }
        Table t = new Table(headers);
        for (int c = counts0; c < countsEnd; c++) {
            t.alignRight(c);
        }
        if (described) {
            t.fit(Tty.width(null, cli.env()).get(), headers.size() - 1); // a long description is cut, not wrapped over the counts
        }
        for (Map<String, Object> e : all) {
            Map<?, ?> counts = (Map<?, ?>) e.get("counts");
            Object created = e.get("createdAt");
            List<Object> row = new ArrayList<>(Arrays.asList(e.get("id") + ("ready".equals(e.get("state")) ? "" : " (planning)")
                            + (Boolean.TRUE.equals(e.get("archived")) ? " (archived)" : ""),
                    time(created)));
            if (active) {
                row.add(time(e.get("lastActivity")));
            }
            row.addAll(Arrays.asList(e.get("runs"), counts.get("pending"), counts.get("running"), counts.get("completed"), counts.get("failed"),
                    counts.get("cancelled")));
            if (pruned) {
                // through an older tracker serve the count may be missing: none were pruned there
                row.add(counts.get("pruned") == null ? 0L : counts.get("pruned"));
            }
            if (tagged) {
                row.add(e.get("tags") instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : "");
            }
            if (described) {
                row.add(e.get("description") instanceof String d ? d.replaceAll("\\s+", " ").trim() : "");
            }
            t.row(row);
        }
        t.print(cli.out());
    }

    private static String time(Object iso) {
        return iso == null ? "-" : iso.toString().substring(0, 19).replace('T', ' ');
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
        m.put("description", e.description());
        m.put("tags", e.tags());
        m.put("derivedFrom", e.derivedFrom());
        m.put("lastActivity", e.lastActivity() == null ? null : e.lastActivity().toString());
        return m;
    }
}
