package tracker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.WorkerSelection;
import tracker.json.JsonWriter;
import tracker.output.Shell;
import tracker.remote.ClaimRequest;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.remote.ServeException;
import tracker.store.Claim;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.util.Durations;
import tracker.util.FloatText;
import tracker.util.Plurals;
import tracker.worker.ClaimValues;
import tracker.worker.Provenance;

@Command(name = "next", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Claim the next run of an experiment for this worker.",
                "Exit 0: claimed (printed as -o json, env, args or yaml). Exit 3: nothing left - stop. "
                        + "Exit 4: nothing claimable now, runs are in flight - wait and retry (or use --wait). "
                        + "Without a claim, -o json and yaml print {\"claimed\": false, \"reason\": \"nothing_left\" or "
                        + "\"nothing_now\", ...} and -o env prints '(exit 3)' or '(exit 4)'.",
                "Every format carries the run and its token, which log, heartbeat and end need: -o env exports TRACKER_RUN "
                        + "and TRACKER_TOKEN (which they read); -o args prints shell words, --run=ID --token=TOKEN first, then "
                        + "one --NAME=VALUE per parameter.",
                "In a shell loop (bash, zsh, sh):  while eval \"$(tracker next --experiment NAME -o env)\"; do "
                        + "eval \"set -- $TRACKER_ARGS\"; ...; done   (see the README)",
                ""})
public final class NextCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.json, Format.env, Format.args, Format.yaml);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Mixin
    WorkerSelection selection;

    @Option(names = "--worker", paramLabel = "ID", description = "This worker's id (default: host:pid).")
    String worker;

    @Option(names = "--lease", paramLabel = "DURATION", description = "Lease length (default: the definition's runs.lease).")
    String lease;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = "forever",
            description = "While runs are in flight, keep polling (with backoff) until one is claimable or all are done; "
                    + "at most DURATION if given.")
    String waitFor;

    @Override
    protected ExitCode run(Database db, Cli cli) throws InterruptedException {
        Format format = output.choose(FORMATS);
        Duration leaseLength = lease == null ? null : positive(lease, "--lease");
        Duration limit = waitFor == null ? Duration.ZERO : waitFor.equals("forever") ? null : positive(waitFor, "--wait");
        ExperimentRecord exp = new Experiments(db).resolve(selection.experiment);
        Claims.Filter filter = selection.filter(exp);
        String workerId = worker != null ? worker : cli.hosted() != null ? cli.hosted().defaultWorker() : Provenance.defaultWorker(cli.env());
        Document provenance = new Document(cli.hosted() != null ? cli.hosted().provenanceOf(workerId) : Provenance.collect(cli.env(), workerId));
        Claims claims = new Claims(db);
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long backoff = 250;
        while (true) {
            ClaimOutcome o = claims.next(exp, filter, workerId, leaseLength, provenance);
            if (o instanceof ClaimOutcome.Claimed c) {
                print(cli, format, c.claim());
                return ExitCode.OK;
            }
            if (o instanceof ClaimOutcome.NothingLeft) {
                nothing(cli, format, ExitCode.NOTHING_LEFT, "nothing left to run in " + exp.id() + filterText(), exp, 0);
                return ExitCode.NOTHING_LEFT;
            }
            ClaimOutcome.NothingNow now = (ClaimOutcome.NothingNow) o;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                nothing(cli, format, ExitCode.NOTHING_NOW, "nothing claimable now in " + exp.id() + filterText() + ": "
                        + Plurals.count(now.inFlight(), "run") + " in flight" + (now.nextExpiry() == null ? ""
                        : ", the next lease ends " + Instant.now().until(now.nextExpiry(), java.time.temporal.ChronoUnit.SECONDS) + "s from now"),
                        exp, now.inFlight());
                return ExitCode.NOTHING_NOW;
            }
            Thread.sleep(Math.max(1, now.pauseMillis(Math.min(backoff, remaining / 1_000_000))));
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    /**
     * Through tracker serve: the same claim, printed in the format asked for by the server itself;
     * --wait polls here, with the same backoff, while the server answers "nothing claimable now".
     */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) throws InterruptedException {
        Format format = output.choose(FORMATS);
        if (lease != null) {
            positive(lease, "--lease");
        }
        Duration limit = waitFor == null ? Duration.ZERO : waitFor.equals("forever") ? null : positive(waitFor, "--wait");
        String workerId = worker != null ? worker : Provenance.defaultWorker(cli.env());
        Query form = ClaimRequest.form(workerId, lease, selection.models, selection.datasets, format.name(),
                Provenance.collect(cli.env(), workerId));
        String path = "experiments/" + Query.segment(selection.experiment) + "/next";
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long backoff = 250;
        while (true) {
            try {
                cli.out().print(serve.post(path, form, false).body());
                cli.out().flush();
                return ExitCode.OK;
            } catch (ServeException e) {
                long remaining = deadline - System.nanoTime();
                if (e.exitCode() == ExitCode.NOTHING_LEFT || (e.exitCode() == ExitCode.NOTHING_NOW && remaining <= 0)) {
                    cli.note(e.getMessage());
                    cli.out().print(e.output());
                    cli.out().flush();
                    return e.exitCode();
                }
                if (e.exitCode() != ExitCode.NOTHING_NOW) {
                    throw e;
                }
                Thread.sleep(Math.max(1, Math.min(backoff, remaining / 1_000_000)));
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private String filterText() {
        String f = (selection.models.isEmpty() ? "" : " model " + String.join(",", selection.models))
                + (selection.datasets.isEmpty() ? "" : " dataset " + String.join(",", selection.datasets));
        return f.isEmpty() ? "" : " (for" + f + ")";
    }

    /**
     * No claim: a message on stderr, and on stdout what the format's reader expects — under -o env
     * a line that makes eval return the same exit code; under json and yaml an object that says
     * there is no claim and why (a script that parses stdout must not have to tell empty from broken).
     */
    private static void nothing(Cli cli, Format format, ExitCode code, String message, ExperimentRecord exp, long inFlight) {
        cli.note(message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimed", false);
        m.put("reason", code == ExitCode.NOTHING_LEFT ? "nothing_left" : "nothing_now");
        m.put("exitCode", code.code);
        m.put("experiment", exp.id());
        m.put("inFlight", inFlight);
        switch (format) {
            case env -> cli.out().println("(exit " + code.code + ")");
            case json -> cli.out().println(JsonWriter.write(m));
            case yaml -> m.forEach((k, v) -> cli.out().println(k + ": " + yamlScalar(v)));
            default -> {
                // args: a run's words, and there is no run; the exit code says why
            }
        }
        cli.out().flush();
    }

    private static Duration positive(String text, String option) {
        Duration d = Durations.parseOrNull(text);
        if (d == null || d.isZero()) {
            throw TrackerException.usage(option + " '" + text + "' is not a duration", "write it like 30s, 10m or 2h");
        }
        return d;
    }

    static Map<String, Object> json(Claim c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimed", true);
        m.put("run", c.run());
        m.put("token", c.token());
        m.put("experiment", c.experiment());
        m.put("model", c.model());
        m.put("dataset", c.dataset());
        m.put("trial", c.trial());
        m.put("replicate", c.replicate());
        m.put("seed", c.seed());
        m.put("attempt", c.attempt());
        m.put("params", c.params());
        m.put("args", ClaimValues.shellArgs(c.params()));
        m.put("leaseUntil", c.leaseUntil().toString());
        m.put("leaseSeconds", c.leaseMillis() / 1000.0);
        m.put("resumed", c.resumed());
        m.put("checkpoint", c.checkpoint());
        return m;
    }

    private static void print(Cli cli, Format format, Claim c) {
        switch (format) {
            case env -> ClaimValues.environment(c, Map.of()).forEach((k, v) -> cli.out().println("export " + k + "=" + Shell.quote(v)));
            // The claim first: a format without the run and its token would claim a run nobody can log or end.
            case args -> cli.out().println(Shell.quote("--run=" + c.run()) + " " + Shell.quote("--token=" + c.token())
                    + (c.params().isEmpty() ? "" : " " + ClaimValues.shellArgs(c.params())));
            case yaml -> {
                Map<String, Object> m = json(c);
                m.forEach((k, v) -> {
                    if (v instanceof Map<?, ?> params) {
                        cli.out().println(k + ":" + (params.isEmpty() ? " {}" : ""));
                        params.forEach((pk, pv) -> cli.out().println("  " + pk + ": " + yamlScalar(pv)));
                    } else {
                        cli.out().println(k + ": " + yamlScalar(v));
                    }
                });
            }
            default -> cli.out().println(JsonWriter.write(json(c)));
        }
        cli.out().flush();
    }

    private static String yamlScalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return FloatText.yaml(d); // 1.0e-05: PyYAML reads 1e-05 as text
        }
        if (v instanceof Number || v instanceof Boolean) {
            return ClaimValues.text(v);
        }
        StringBuilder sb = new StringBuilder();
        JsonWriter.quote(sb, v.toString());
        return sb.toString();
    }
}
