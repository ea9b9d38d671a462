package tracker.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tracker.TrackerException;
import tracker.cli.VersionProvider;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.store.ApiKeys;
import tracker.store.ApiKeys.Role;
import tracker.store.Database;
import tracker.store.Experiments;

/**
 * The versioned HTTP API (docs/api.md) and, off {@code /api}, the dashboard. Each endpoint names
 * the command that answers it and the roles that may call it; the command runs as the CLI would
 * ({@link HostedCall}), so {@code GET /api/v1/experiments/demo/report} is {@code tracker report -e
 * demo -o json}, byte for byte.
 *
 * <p>Run ids are paths ({@code NAME@VERSION/MODEL/DATASET/N}), and so are the run endpoints:
 * {@code /api/v1/runs/$TRACKER_RUN/log} needs no encoding in a shell loop.
 */
public final class Api implements HttpServer.Handler {
    /** Parameters a worker may send about itself with a claim (as the CLI reads them from its environment). */
    private static final Set<String> PROVENANCE_ENV = Set.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
            "SLURM_JOB_NAME", "SLURM_PROCID", "SLURM_NODEID", "SLURM_CLUSTER_NAME", "POD_NAME", "POD_NAMESPACE",
            "JOB_COMPLETION_INDEX");
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1000;

    private final Database db;
    private final Gate gate;
    private final HostedCall calls;
    private final Dashboard dashboard;
    private final java.util.concurrent.Semaphore heavyReads;

    public Api(Database db) {
        this(db, db.embedded() != null ? 1 : 4);
    }

    /** @param heavyReadsAtOnce how many reads over a whole experiment may run at once (see {@link #heavy}) */
    public Api(Database db, int heavyReadsAtOnce) {
        this.db = db;
        this.heavyReads = new java.util.concurrent.Semaphore(heavyReadsAtOnce, true);
        this.gate = new Gate(new ApiKeys(db));
        this.calls = new HostedCall(db);
        this.dashboard = new Dashboard();
    }

    @Override
    public Reply handle(Request r) {
        Reply reply;
        try {
            reply = route(r);
        } catch (Gate.Refused e) {
            reply = e.reply;
        } catch (TrackerException e) {
            reply = failure(e);
        } catch (RuntimeException e) { // the key check or a resolve reached the database and failed
            TrackerException t = tracker.store.StoreErrors.translate(e, db.hosts());
            if (t == null) {
                throw e;
            }
            if (t.exitCode() == tracker.ExitCode.UNREACHABLE && db.embedded() != null) {
                try {
                    db.reconnect(); // for the next request: the embedded server restarts as for any command
                } catch (RuntimeException again) {
                    // still unreachable: the reply says so
                }
            }
            reply = failure(t);
        }
        return Dashboard.secured(reply, r.segments().isEmpty() || !r.segments().get(0).equals("api"));
    }

    private static Reply failure(TrackerException e) {
        return Reply.error(HostedCall.status(e.exitCode()), e.exitCode().code, e.exitCode().name().toLowerCase(java.util.Locale.ROOT),
                e.getMessage(), e.hint());
    }

    private Reply route(Request r) {
        List<String> s = r.segments();
        if (s.isEmpty() || !s.get(0).equals("api")) {
            return dashboard.serve(r);
        }
        if (s.size() < 2 || !s.get(1).equals("v1")) {
            return Reply.error(404, 7, "not_found", "no such API: " + r.path(), "the API is under /api/v1 (docs/api.md)");
        }
        List<String> rest = s.subList(2, s.size());
        if (rest.equals(List.of("health"))) {
            method(r, "GET");
            return Reply.json(200, Map.of("ok", true)); // for load balancers and probes: says nothing else, needs no key
        }
        ApiKeys.Key key = gate.authenticate(r);
        if (rest.isEmpty()) {
            method(r, "GET");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("api", "v1");
            m.put("version", VersionProvider.version());
            m.put("key", Map.of("id", key.id(), "role", key.role().name(), "experiments", key.experiments()));
            return Reply.json(200, m);
        }
        return switch (rest.get(0)) {
            case "experiments" -> experiments(r, key, rest);
            case "runs" -> runs(r, key, rest);
            default -> notFound(r);
        };
    }

    private Reply experiments(Request r, ApiKeys.Key key, List<String> rest) {
        if (rest.size() == 1) {
            if (r.method().equals("POST")) {
                Gate.require(key, Role.admin);
                return create(r);
            }
            method(r, "GET");
            Gate.require(key, Role.reader, Role.admin);
            new Params(r, false).done();
            return listReachable(key, calls.run(List.of("list", "-o", "json"), null, null, null));
        }
        String exp = rest.get(1);
        reach(key, exp);
        String what = rest.size() == 2 ? "" : rest.get(2);
        if (rest.size() > 3) {
            return notFound(r);
        }
        List<String> args = new ArrayList<>();
        switch (what) {
            case "" -> {
                method(r, "GET");
                // a worker reads what it works on: 'tracker run' through the server needs the definition it runs
                Gate.require(key, Role.worker, Role.reader, Role.admin);
                new Params(r, false).done();
                return command(List.of("show", exp, "-o", "json"), null, "json");
            }
            case "status" -> {
                method(r, "GET");
                Gate.require(key, Role.worker, Role.reader, Role.admin); // and the progress it shows

                new Params(r, false).done();
                return command(List.of("status", "-e", exp, "-o", "json"), null, "json");
            }
            case "report" -> {
                method(r, "GET");
                Gate.require(key, Role.reader, Role.admin);
                Params p = new Params(r, false);
                args.addAll(List.of("report", "-e", exp));
                for (String other : p.all("with")) { // -e A -e B: both must be reachable
                    reach(key, other);
                    args.add("-e");
                    args.add(other);
                }
                p.option(args, "view", "--view").option(args, "metric", "--metric").option(args, "epoch", "--epoch")
                        .option(args, "agg", "--agg").option(args, "alpha", "--alpha").option(args, "top", "--top")
                        .option(args, "model", "--model").option(args, "dataset", "--dataset").option(args, "where", "--where")
                        .option(args, "sort", "--sort").option(args, "limit", "--limit").option(args, "offset", "--offset")
                        .option(args, "width", "--width")
                        .flag(args, "diff", "--diff").flag(args, "all_pairs", "--all-pairs").flag(args, "per_cell", "--per-cell")
                        .flag(args, "overall", "--overall");
                String format = lastParameterFormat(p, args, "json");
                return heavy(args, format);
            }
            case "runs" -> {
                method(r, "GET");
                Gate.require(key, Role.reader, Role.admin);
                Params p = new Params(r, false);
                int perPage = integer(p, "per_page", DEFAULT_PAGE, 1, MAX_PAGE);
                int page = integer(p, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE);
                args.addAll(List.of("report", "-e", exp, "--view", "runs", "--offset", Integer.toString((page - 1) * perPage),
                        "--limit", Integer.toString(perPage)));
                p.option(args, "where", "--where").option(args, "sort", "--sort").option(args, "metric", "--metric")
                        .option(args, "epoch", "--epoch");
                String format = lastParameterFormat(p, args, "json");
                return heavy(args, format);
            }
            case "export" -> {
                method(r, "GET");
                Gate.require(key, Role.reader, Role.admin);
                Params p = new Params(r, false);
                args.addAll(List.of("export", "-e", exp));
                p.flag(args, "epochs", "--epochs").flag(args, "wide", "--wide").flag(args, "steps", "--steps")
                        .option(args, "metric", "--metric").option(args, "epoch", "--epoch");
                String format = lastParameterFormat(p, args, "csv");
                return heavy(args, format);
            }
            case "next" -> {
                method(r, "POST");
                Gate.require(key, Role.worker, Role.admin);
                Params p = new Params(r, true);
                args.addAll(List.of("next", "-e", exp));
                p.option(args, "worker", "--worker").option(args, "lease", "--lease").option(args, "model", "--model")
                        .option(args, "dataset", "--dataset");
                Map<String, Object> provenance = provenance(r, p, key);
                String format = lastParameterFormat(p, args, "json");
                String host = (String) provenance.get("host");
                return command(args, null, format, host + ":http", provenance);
            }
            case "requeue", "cancel" -> {
                method(r, "POST");
                Gate.require(key, Role.admin);
                Params p = new Params(r, true);
                args.addAll(List.of(what, "-e", exp));
                p.option(args, "model", "--model").option(args, "dataset", "--dataset").option(args, "run", "--run");
                if (what.equals("requeue")) {
                    p.option(args, "status", "--status");
                } else {
                    p.flag(args, "running", "--running");
                }
                p.done();
                args.addAll(List.of("-o", "json"));
                return command(args, null, "json");
            }
            case "priority" -> {
                method(r, "POST");
                Gate.require(key, Role.admin);
                Params p = new Params(r, true);
                args.addAll(List.of("priority", "-e", exp));
                p.option(args, "model", "--model").option(args, "dataset", "--dataset").option(args, "run", "--run");
                String priority = p.one("priority");
                p.done();
                if (priority == null) {
                    return Reply.error(400, 2, "usage", "parameter 'priority' is missing", "priority=N, an integer (higher is claimed first)");
                }
                args.addAll(List.of("-o", "json", "--", priority)); // after --: a negative priority is not an option
                return command(args, null, "json");
            }
            default -> {
                return notFound(r);
            }
        }
    }

    /** /api/v1/runs/EXP@V/MODEL/DATASET/N[/epochs|log|heartbeat|end] */
    private Reply runs(Request r, ApiKeys.Key key, List<String> rest) {
        if (rest.size() < 5 || rest.size() > 6) {
            return Reply.error(404, 7, "not_found", "no such API: " + r.path(),
                    "a run's endpoints are /api/v1/runs/NAME@VERSION/MODEL/DATASET/N[/epochs|/log|/heartbeat|/end]");
        }
        String experimentId = rest.get(1);
        Gate.reach(key, experimentId);
        String run = String.join("/", rest.subList(1, 5));
        String what = rest.size() == 6 ? rest.get(5) : "";
        List<String> args = new ArrayList<>();
        switch (what) {
            case "", "epochs" -> {
                method(r, "GET");
                Gate.require(key, Role.reader, Role.admin);
                new Params(r, false).done();
                Reply shown = command(List.of("show", run, "-o", "json"), null, "json");
                if (what.isEmpty() || shown.status() != 200) {
                    return shown;
                }
                Map<String, Object> all = Json.parseObject(new String(shown.body(), StandardCharsets.UTF_8));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run", run);
                m.put("epochs", all.get("epochs"));
                m.put("steps", all.get("steps"));
                return Reply.json(200, m);
            }
            case "log" -> {
                method(r, "POST");
                Gate.require(key, Role.worker, Role.admin);
                Params p = new Params(r, false); // the body is trainer lines, whatever curl calls it
                args.addAll(List.of("log", "--run", run, "--stdin"));
                token(p, args);
                p.option(args, "progress", "--progress").option(args, "checkpoint", "--checkpoint").option(args, "note", "--note")
                        .option(args, "tag", "--tag").option(args, "artifact", "--artifact");
                p.done();
                args.addAll(List.of("-o", "json"));
                return command(args, r.body(), "json");
            }
            case "heartbeat" -> {
                method(r, "POST");
                Gate.require(key, Role.worker, Role.admin);
                Params p = new Params(r, true);
                args.addAll(List.of("heartbeat", "--run", run));
                token(p, args);
                p.option(args, "pid", "--started-pid").option(args, "argv", "--started-argv"); // tracker run: its command started
                p.done();
                return command(args, null, "json");
            }
            case "end" -> {
                method(r, "POST");
                Gate.require(key, Role.worker, Role.admin);
                Params p = new Params(r, true);
                args.addAll(List.of("end", "--run", run));
                token(p, args);
                p.option(args, "status", "--status").option(args, "exit_code", "--exit-code").option(args, "message", "--message")
                        .option(args, "output", "--output-json"); // tracker run: what the command printed last
                p.done();
                args.addAll(List.of("-o", "json"));
                return command(args, null, "json");
            }
            default -> {
                return notFound(r);
            }
        }
    }

    /** POST /api/v1/experiments with the definition (YAML) as the body: {@code tracker create}. */
    private Reply create(Request r) {
        Params p = new Params(r, false); // the body is the definition
        String sent = p.one("file");
        sent = sent == null || sent.isBlank() ? "definition.yaml" : sent;
        // stored under its last part only (nothing the client sends picks a path on the server)
        String name = sent.substring(sent.lastIndexOf('/') + 1);
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")) {
            name = "definition.yaml";
        }
        List<String> flags = new ArrayList<>();
        p.flag(flags, "extend", "--extend").flag(flags, "new_version", "--new-version").flag(flags, "dry_run", "--dry-run");
        p.done();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tracker-serve-create");
            Path file = dir.resolve(name);
            Files.write(file, r.body());
            List<String> args = new ArrayList<>(List.of("create", file.toString()));
            args.addAll(flags);
            args.addAll(List.of("-o", "json"));
            HostedCall.Outcome o = calls.run(args, null, null, null);
            // the messages name the file as the client sent it, not where the server put it
            String where = file.toString();
            String quoted = JsonWriter.write(sent); // out and err are JSON: the name goes into JSON strings
            String asSent = quoted.substring(1, quoted.length() - 1);
            return HostedCall.reply(new HostedCall.Outcome(o.exitCode(), o.out().replace(where, asSent), o.err().replace(where, asSent)),
                    "application/json");
        } catch (IOException e) {
            throw new TrackerException(tracker.ExitCode.INTERNAL, "cannot store the definition on the server: " + e.getMessage());
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** What a claim records about an HTTP worker: what it says about itself, and what the server knows. */
    private static Map<String, Object> provenance(Request r, Params p, ApiKeys.Key key) {
        Map<String, Object> m = new LinkedHashMap<>();
        String host = p.one("host");
        m.put("host", host != null && !host.isBlank() ? host : r.remote());
        for (String k : List.of("user", "pid", "cwd")) {
            String v = p.one(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        m.put("time", Instant.now().toString());
        m.put("via", "http");
        m.put("remote", r.remote());
        m.put("key", key.id());
        Map<String, Object> slurm = new LinkedHashMap<>();
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        for (String name : PROVENANCE_ENV.stream().sorted().toList()) {
            String v = p.one(name);
            if (v != null) {
                (name.startsWith("SLURM_") ? slurm : kubernetes).put(name, v);
            }
        }
        if (!slurm.isEmpty()) {
            m.put("slurm", slurm);
        }
        if (!kubernetes.isEmpty()) {
            m.put("kubernetes", kubernetes);
        }
        String commit = p.one("git_commit");
        if (commit != null) {
            m.put("git", Map.of("commit", commit));
        }
        return m;
    }

    private static void token(Params p, List<String> args) {
        String t = p.one("token");
        if (t == null) {
            throw new Gate.Refused(Reply.error(400, 2, "usage", "missing parameter 'token'", "send the claim's token, e.g. ?token=$TRACKER_TOKEN"));
        }
        args.add("--token");
        args.add(t);
    }

    /**
     * A key scoped to experiments reaches NAME when it names NAME; a key scoped to NAME@V reaches
     * NAME (which means its latest version) only while V is the latest.
     */
    private void reach(ApiKeys.Key key, String ref) {
        if (key.reaches(ref)) {
            return;
        }
        boolean someVersionOfIt = !ref.contains("@") && key.experiments().stream().anyMatch(e -> e.startsWith(ref + "@"));
        Gate.reach(key, someVersionOfIt ? new Experiments(db).resolve(ref).id() : ref);
    }

    private Reply listReachable(ApiKeys.Key key, HostedCall.Outcome o) {
        if (o.exitCode() != 0 || key.experiments().isEmpty()) {
            return HostedCall.reply(o, "application/json");
        }
        List<Object> kept = new ArrayList<>();
        for (Object e : (List<?>) Json.parse(o.out())) {
            if (e instanceof Map<?, ?> m && key.reaches(String.valueOf(m.get("id")))) {
                kept.add(e);
            }
        }
        return Reply.json(200, kept).withHeader("Tracker-Exit-Code", "0");
    }

    private Reply command(List<String> args, byte[] stdin, String format) {
        return command(args, stdin, format, null, null);
    }

    /**
     * A read that goes over a whole experiment (report, runs, export): at most {@link #heavyReads}
     * at once, the others wait their turn. On the embedded default that is one: its server's heap is
     * sized for one such read at a time (embedded/ServerJvm), and two at once over 100,000 runs ran it
     * out of memory. Claims, logs and ends never wait behind them.
     */
    private Reply heavy(List<String> args, String format) {
        try {
            heavyReads.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, 5, "unreachable", "the server is shutting down", "retry later");
        }
        try {
            return command(args, null, format);
        } finally {
            heavyReads.release();
        }
    }

    private Reply command(List<String> args, byte[] stdin, String format, String defaultWorker, Map<String, Object> provenance) {
        return HostedCall.reply(calls.run(args, stdin, defaultWorker, provenance), mediaType(format));
    }

    /** The reply's format (the `format` parameter, else {@code fallback}) as -o; every other parameter was read before. */
    private static String lastParameterFormat(Params p, List<String> args, String fallback) {
        String format = format(p, fallback);
        p.done();
        args.addAll(List.of("-o", format));
        return format;
    }

    private static String format(Params p, String fallback) {
        String f = p.one("format");
        return f == null ? fallback : f;
    }

    static String mediaType(String format) {
        return switch (format) {
            case "json" -> "application/json";
            case "jsonl" -> "application/x-ndjson";
            case "csv" -> "text/csv";
            case "tsv" -> "text/tab-separated-values";
            case "svg" -> "image/svg+xml";
            case "markdown" -> "text/markdown";
            default -> "text/plain"; // env, args, yaml, table, latex, text
        };
    }

    private static int integer(Params p, String name, int fallback, int min, int max) {
        String v = p.one(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Gate.Refused(Reply.error(400, 2, "usage", "parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + v + "'", null));
    }

    private static void method(Request r, String allowed) {
        if (!r.method().equals(allowed) && !(allowed.equals("GET") && r.method().equals("HEAD"))) {
            throw new Gate.Refused(Reply.error(405, 2, "usage", r.method() + " is not allowed on " + r.path(), "use " + allowed)
                    .withHeader("Allow", allowed));
        }
    }

    private static Reply notFound(Request r) {
        return Reply.error(404, 7, "not_found", "no such API: " + r.method() + " " + r.path(), "see docs/api.md for the endpoints");
    }
}
