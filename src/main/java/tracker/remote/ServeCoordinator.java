package tracker.remote;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tracker.ExitCode;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.plan.EarlyStopper;
import tracker.protocol.TrainerLine;
import tracker.store.Claim;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.RunWrites;
import tracker.worker.Coordinator;

/**
 * A worker's runs through {@code tracker serve}: {@code tracker run} with TRACKER_URL claims, logs,
 * heartbeats and ends over the API (docs/api.md), with the same fencing tokens and exit codes as
 * on the database. The server's answers carry the CLI's exit codes ({@link ServeClient}), so a
 * lost lease is exit 6 here as there; the server away (refused, timed out, 502) is transient, and
 * the worker retries for its --patience as it does when a database goes away.
 */
public final class ServeCoordinator implements Coordinator {
    /** Characters of trainer lines in one request at most: a quarter of the server's body limit (a character is at most 3 bytes of UTF-8). */
    static final int MAX_BODY_CHARS = 4 << 20;

    private final ServeClient serve;

    public ServeCoordinator(ServeClient serve) {
        this.serve = serve;
    }

    @Override
    public String where() {
        return serve.where();
    }

    @Override
    public Optional<Counts> counts(String experimentId) {
        Map<String, Object> status;
        try {
            status = Json.parseObject(serve.get(experiment(experimentId) + "/status", Query.of()).body());
        } catch (ServeException e) {
            if (e.exitCode() == ExitCode.UNREACHABLE && !e.transientFailure()) {
                return Optional.empty(); // a key that may not read the counts: the worker goes on without its progress line
            }
            throw e;
        }
        Map<String, Long> byStatus = new LinkedHashMap<>();
        if (status.get("counts") instanceof Map<?, ?> counts) {
            counts.forEach((k, v) -> byStatus.put(String.valueOf(k), ((Number) v).longValue()));
        }
        return Optional.of(new Counts(String.valueOf(status.get("id")), ((Number) status.get("runs")).longValue(), byStatus));
    }

    @Override
    public ClaimOutcome claim(String experimentId, Claims.Filter filter, String worker, Duration lease, Map<String, Object> provenance) {
        Query form = ClaimRequest.form(worker, lease == null ? null : lease.toMillis() + "ms", filter.models(), filter.datasets(), "json",
                provenance);
        try {
            return new ClaimOutcome.Claimed(claim(Json.parseObject(serve.post(experiment(experimentId) + "/next", form, false).body())));
        } catch (ServeException e) {
            if (e.exitCode() == ExitCode.NOTHING_LEFT) {
                return new ClaimOutcome.NothingLeft();
            }
            if (e.exitCode() == ExitCode.NOTHING_NOW) {
                return new ClaimOutcome.NothingNow(0, null); // the server says when to ask again (Retry-After), not when a lease ends
            }
            throw e;
        }
    }

    /** A claim as {@code next -o json} prints it. */
    static Claim claim(Map<String, Object> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = m.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        return new Claim(text(m, "run"), text(m, "token"), text(m, "experiment"), text(m, "model"), text(m, "dataset"),
                number(m, "trial").intValue(), number(m, "replicate").intValue(), number(m, "seed").longValue(),
                number(m, "attempt").intValue(), params, Instant.parse(text(m, "leaseUntil")),
                Math.round(number(m, "leaseSeconds").doubleValue() * 1000), (String) m.get("checkpoint"), null,
                Boolean.TRUE.equals(m.get("resumed")));
    }

    @Override
    public void started(String run, String token, List<String> argv, long pid) {
        serve.post(run(run) + "/heartbeat", Query.of().add("token", token).add("pid", pid).addAll("argv", argv), true);
    }

    /**
     * One POST of trainer lines per batch; a batch of very long lines goes in several, each under
     * {@link #MAX_BODY_CHARS}, well within the server's request limit.
     */
    @Override
    public EarlyStopper.Verdict log(String run, String token, List<TrainerLine> lines) {
        StringBuilder body = new StringBuilder();
        for (TrainerLine l : lines) {
            String text = l.asText();
            if (body.length() > 0 && body.length() + text.length() + 1 > MAX_BODY_CHARS) {
                EarlyStopper.Verdict verdict = verdict(serve.postText(run(run) + "/log", Query.of().add("token", token), body.toString(),
                        "text/plain", true));
                if (verdict != null && verdict.stop()) {
                    return verdict; // the run is ended: the rest would only be refused
                }
                body.setLength(0);
            }
            body.append(text).append('\n');
        }
        return verdict(serve.postText(run(run) + "/log", Query.of().add("token", token), body.toString(), "text/plain", true));
    }

    /** Early stopping's verdict in a log reply ({@code "pruned": true, "reason"}), as the local command has it. */
    static EarlyStopper.Verdict verdict(ServeClient.Answer answer) {
        if (Json.parse(answer.body()) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("pruned"))) {
            return new EarlyStopper.Verdict(true, String.valueOf(m.get("reason")));
        }
        return null;
    }

    @Override
    public void heartbeat(String run, String token) {
        serve.post(run(run) + "/heartbeat", Query.of().add("token", token), true);
    }

    @Override
    public void end(String run, String token, RunWrites.End how, Integer exitCode, String message, Map<String, Object> output) {
        serve.post(run(run) + "/end", Query.of().add("token", token).add("status", how.name()).add("exit_code", exitCode)
                .add("message", message).add("output", output == null ? null : JsonWriter.write(output)), true);
    }

    @Override
    public boolean isTransient(RuntimeException e) {
        return e instanceof ServeException s && s.transientFailure();
    }

    @Override
    public String describe(RuntimeException e) {
        return e.getMessage();
    }

    @Override
    public void reconnect() {
        // every request connects anew when it must: nothing to restart on this side
    }

    static String experiment(String id) {
        return "experiments/" + Query.segment(id);
    }

    static String run(String id) {
        return "runs/" + Query.path(id);
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new ServeException(ExitCode.INTERNAL, "tracker serve's claim has no '" + key + "'", List.of(),
                    "is the server a tracker of the same version?", null, false, null);
        }
        return String.valueOf(v);
    }

    private static Number number(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Number n) {
            return n;
        }
        throw new ServeException(ExitCode.INTERNAL, "tracker serve's claim has no number '" + key + "'", List.of(),
                "is the server a tracker of the same version?", null, false, null);
    }
}
