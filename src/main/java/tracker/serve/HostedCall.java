package tracker.serve;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.ExitCode;
import tracker.Tracker;
import tracker.cli.Hosted;
import tracker.json.Json;
import tracker.store.Database;

/**
 * Runs one tracker command inside the server for an HTTP request, exactly as the CLI would run it
 * (same options, same checks, same output), on the server's open database: so the API answers
 * what {@code tracker CMD -o json} prints, by construction rather than by a second implementation.
 * Its exit code becomes the HTTP status ({@link #status}) and its JSON error the response body.
 */
final class HostedCall {
    private final Database db;

    HostedCall(Database db) {
        this.db = db;
    }

    /** What the command did: exit code, stdout, stderr. */
    record Outcome(int exitCode, String out, String err) {
    }

    /**
     * Runs the command; when the embedded database went away under it (killed, restarted on another
     * port), starts or finds it again and runs the command once more, as a worker would: every command
     * is safe to repeat (writes are conditional or idempotent; a claim whose reply was lost expires).
     */
    Outcome run(List<String> args, byte[] stdin, String defaultWorker, Map<String, Object> provenance) {
        Outcome o = once(args, stdin, defaultWorker, provenance);
        if (o.exitCode() == ExitCode.UNREACHABLE.code && db.embedded() != null) {
            try {
                db.reconnect();
            } catch (RuntimeException e) {
                return o;
            }
            return once(args, stdin, defaultWorker, provenance);
        }
        return o;
    }

    private Outcome once(List<String> args, byte[] stdin, String defaultWorker, Map<String, Object> provenance) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Hosted hosted = new Hosted(db, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), defaultWorker, provenance);
        Map<String, String> env = Map.of("NO_COLOR", "1", "TERM", "dumb");
        int code = Tracker.commandLine(new Tracker(env, hosted), new PrintWriter(out), new PrintWriter(err), false)
                .execute(args.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** The reply for an outcome: stdout as the body on success, else the command's error as JSON. */
    static Reply reply(Outcome o, String mediaType) {
        // log's exit 10 is no failure: the epoch is recorded and the reply says "pruned" (curl loops read it).
        if (o.exitCode() == 0 || o.exitCode() == ExitCode.PRUNED.code) {
            String body = o.out();
            if (body.isEmpty() && mediaType.equals("application/json")) {
                body = "{\"ok\": true}\n";
            }
            return Reply.text(200, mediaType, body).withHeader("Tracker-Exit-Code", Integer.toString(o.exitCode()));
        }
        ExitCode code = exitCode(o.exitCode());
        Reply r = errorBody(o, code);
        if (code == ExitCode.NOTHING_NOW) {
            r = r.withHeader("Retry-After", "5");
        }
        return r.withHeader("Tracker-Exit-Code", Integer.toString(o.exitCode()));
    }

    /**
     * The command's own JSON error when it printed one (it does for every exception), else its last
     * note. With {@code details}, the notes it printed before the error (which metric lines were
     * rejected, and why): a terminal shows them above the error, a client finds them here. With
     * {@code output}, what it printed on stdout before it failed (next's {@code {"claimed": false,
     * ...}}, log's summary), so the CLI's remote mode prints what it would locally.
     */
    @SuppressWarnings("unchecked")
    private static Reply errorBody(Outcome o, ExitCode code) {
        List<String> notes = new ArrayList<>();
        for (String line : o.err().split("\n")) {
            if (line.startsWith("{\"error\"")) {
                try {
                    if (Json.parse(line) instanceof Map<?, ?> parsed && parsed.get("error") instanceof Map<?, ?> e) {
                        Map<String, Object> error = new LinkedHashMap<>((Map<String, Object>) e);
                        if (!notes.isEmpty()) {
                            if (error.get("message") instanceof String message) {
                                error.put("message", message.replace("(see above)", "(see details)"));
                            }
                            error.put("details", notes);
                        }
                        if (!o.out().isEmpty()) {
                            error.put("output", o.out());
                        }
                        return Reply.json(status(code), Map.of("error", error));
                    }
                } catch (RuntimeException e) {
                    // not ours after all; fall through to the notes
                }
            } else if (line.startsWith("tracker: ")) {
                notes.add(line.substring("tracker: ".length()));
            }
        }
        String message = notes.isEmpty() ? code.meaning : notes.get(notes.size() - 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.code);
        body.put("kind", code.name().toLowerCase(java.util.Locale.ROOT));
        body.put("message", message);
        if (!o.out().isEmpty()) {
            body.put("output", o.out());
        }
        return Reply.json(status(code), Map.of("error", body));
    }

    private static ExitCode exitCode(int n) {
        ExitCode c = ExitCode.of(n);
        return c != null ? c : ExitCode.INTERNAL;
    }

    /**
     * Exit code to HTTP status, one table (docs/api.md): a shell loop around curl branches on these
     * as one around the CLI branches on exit codes.
     */
    static int status(ExitCode code) {
        return switch (code) {
            case OK, PRUNED -> 200;  // PRUNED: log's reply says {"pruned": true, "reason"}
            case USAGE -> 400;
            case NOTHING_LEFT -> 410;   // Gone: this queue is done for good - stop the worker
            case NOTHING_NOW -> 503;    // with Retry-After: runs in flight, ask again later
            case UNREACHABLE -> 502;    // the server cannot reach its database
            case LEASE_LOST -> 409;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case NEWER_DATABASE -> 409; // the server's tracker is older than its database: upgrade it
            case INVALID -> 422;
            case INTERNAL, INTERRUPTED, TERMINATED -> 500;
        };
    }
}
