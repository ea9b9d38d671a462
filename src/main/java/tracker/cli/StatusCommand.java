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
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.Table;
import tracker.store.Admin;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.util.Durations;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show an experiment's runs by state, the runs in flight with their workers and lease ages, and expired leases.")
public final class StatusCommand extends ConnectedCommand {
    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "NAME or NAME@VERSION.")
    String experiment;

    @Option(names = "--recount", description = "First set the completed and failed counts from the per-cell results: repairs them "
            + "after a worker died in the middle of ending a run. Run it while no run is ending.")
    boolean recount;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(Format.table, Format.table, Format.json);
        Experiments experiments = new Experiments(db);
        ExperimentRecord stored = experiments.resolve(experiment);
        if (recount) {
            List<String> fixed = new ArrayList<>();
            experiments.recount(stored).forEach((status, n) -> {
                if (n[0] != n[1]) {
                    fixed.add(status + " " + n[0] + " -> " + n[1]);
                }
            });
            cli.note(fixed.isEmpty() ? "the counts of " + stored.id() + " were right"
                    : "recounted " + stored.id() + ": " + String.join(", ", fixed));
            stored = experiments.resolve(stored.id());
        }
        ExperimentRecord e = experiments.live(stored);
        List<Admin.InFlight> flying = new Admin(db).inFlight(e);
        Instant now = Instant.now();
        if (format == Format.json) {
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
            cli.out().println(JsonWriter.write(m));
            cli.out().flush();
            return ExitCode.OK;
        }
        cli.out().println(e.id() + "  " + e.total() + " runs: " + String.join(", ", ExperimentRecord.STATUSES.stream()
                .map(s -> s + " " + e.counts().getOrDefault(s, 0L)).toList()));
        if (flying.isEmpty()) {
            cli.out().println("no runs in flight");
            cli.out().flush();
            return ExitCode.OK;
        }
        cli.out().println();
        Table t = new Table("RUN", "WORKER", "ATTEMPT", "CLAIMED", "LAST SIGN", "LEASE").alignRight(2, 3, 4);
        int expired = 0;
        for (Admin.InFlight f : flying) {
            Duration left = Duration.between(now, f.leaseUntil().toInstant());
            boolean gone = left.isNegative();
            expired += gone ? 1 : 0;
            t.row(f.run(), f.worker(), f.attempt(), ago(now, f.claimedAt().toInstant()),
                    f.heartbeatAt() == null ? "-" : ago(now, f.heartbeatAt().toInstant()),
                    gone ? "EXPIRED " + Durations.format(left.negated().withNanos(0)) + " ago" : Durations.format(left.withNanos(0)) + " left");
        }
        t.print(cli.out());
        if (expired > 0) {
            cli.out().println();
            cli.out().println(expired + " expired lease" + (expired == 1 ? "" : "s") + ": the next 'tracker next' hands "
                    + (expired == 1 ? "it" : "them") + " out again (or fails them after runs.max_attempts)");
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    private static String ago(Instant now, Instant then) {
        return Durations.format(Duration.between(then, now).withNanos(0)) + " ago";
    }
}
