package tracker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import tracker.store.Admin;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Repair;
import tracker.util.Durations;
import tracker.util.Plurals;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show an experiment's runs by state, the runs in flight with their workers and lease ages, and expired leases.")
public final class StatusCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Option(names = "--repair", description = "First rebuild everything derived from the runs - queues, runs in flight, "
            + "outcomes and their counts, metric summaries - and say what was fixed. Claims and ends repair it on the way; "
            + "this is for when no worker is claiming. Idempotent and safe while workers run.")
    boolean repair;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Experiments experiments = new Experiments(db);
        ExperimentRecord stored = experiments.resolve(experiment);
        if (repair) {
            new tracker.store.Schema(db).requireWritable(); // a read-only command otherwise
            List<String> fixed = new ArrayList<>();
            new Repair(db).run(stored).forEach((what, n) -> fixed.add(n + " " + what));
            cli.note(fixed.isEmpty() ? "nothing to repair in " + stored.id() + ": everything agreed with its runs"
                    : "repaired " + stored.id() + ": " + String.join("; ", fixed));
        }
        ExperimentRecord e = experiments.live(stored);
        List<Admin.InFlight> flying = new Admin(db).inFlight(e);
        Instant now = Instant.now();
        Map<String, Object> m = ListCommand.json(e);
        List<Object> runs = new ArrayList<>();
        for (Admin.InFlight f : flying) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", f.run());
            r.put("worker", f.worker());
            r.put("attempt", f.attempt());
            r.put("claimedAt", f.claimedAt().toInstant().toString());
            r.put("heartbeatAt", f.heartbeatAt() == null ? null : f.heartbeatAt().toInstant().toString());
            r.put("leaseUntil", f.leaseUntil().toInstant().toString());
            r.put("expired", f.leaseUntil().toInstant().isBefore(now));
            runs.add(r);
        }
        m.put("inFlight", runs);
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(m));
            cli.out().flush();
            return ExitCode.OK;
        }
        table(cli, m, now);
        return ExitCode.OK;
    }

    /** Through tracker serve: its -o json, printed as it is or drawn as the same table here (lease ages on this clock). */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        if (repair) {
            throw ConnectedCommand.needsDatabase(serve, "tracker status --repair");
        }
        String body = serve.get("experiments/" + Query.segment(experiment) + "/status", Query.of()).body();
        if (format == Format.json) {
            cli.out().print(body);
            cli.out().flush();
            return ExitCode.OK;
        }
        table(cli, Json.parseObject(body), Instant.now());
        return ExitCode.OK;
    }

    /** The table, drawn from what -o json prints: one model, two renderings, whether the data came from the database or the API. */
    private static void table(Cli cli, Map<String, Object> m, Instant now) {
        Map<?, ?> counts = (Map<?, ?>) m.get("counts");
        long total = ((Number) m.get("runs")).longValue();
        cli.out().println(m.get("id") + "  " + Plurals.count(total, "run") + ": " + String.join(", ", ExperimentRecord.shownStatuses(counts).stream()
                .map(s -> s + " " + (counts.get(s) == null ? 0L : ((Number) counts.get(s)).longValue())).toList()));
        List<?> flying = (List<?>) m.get("inFlight");
        if (flying.isEmpty()) {
            cli.out().println("no runs in flight");
            cli.out().flush();
            return;
        }
        cli.out().println();
        Table t = new Table("RUN", "WORKER", "ATTEMPT", "CLAIMED", "LAST SIGN", "LEASE").alignRight(2, 3, 4);
        int expired = 0;
        for (Object o : flying) {
            Map<?, ?> f = (Map<?, ?>) o;
            Duration left = Duration.between(now, Instant.parse((String) f.get("leaseUntil")));
            boolean gone = left.isNegative();
            expired += gone ? 1 : 0;
            t.row(f.get("run"), f.get("worker"), ((Number) f.get("attempt")).intValue(), ago(now, Instant.parse((String) f.get("claimedAt"))),
                    f.get("heartbeatAt") == null ? "-" : ago(now, Instant.parse((String) f.get("heartbeatAt"))),
                    gone ? "EXPIRED " + Durations.format(left.negated().withNanos(0)) + " ago" : Durations.format(left.withNanos(0)) + " left");
        }
        t.print(cli.out());
        if (expired > 0) {
            cli.out().println();
            cli.out().println(expired + " expired lease" + (expired == 1 ? "" : "s") + ": the next 'tracker next' hands "
                    + (expired == 1 ? "it" : "them") + " out again (or fails them after runs.max_attempts)");
        }
        cli.out().flush();
    }

    private static String ago(Instant now, Instant then) {
        return Durations.format(Duration.between(then, now).withNanos(0)) + " ago";
    }
}
