package tracker.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.RunStatus;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.RunOptions;
import tracker.cli.options.StatusNames;
import tracker.TrackerException;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.store.Database;
import tracker.store.RunWrites;

@Command(name = "end", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finish the run this worker claimed.",
                "preempted puts it back in the queue, to be resumed first (with its last checkpoint). The kinds of failure - "
                        + "failed, timeout (ran past its time limit), out_of_memory, node_fail (its machine went away) - are "
                        + "counted as failed in reports and shown by name for each run. Ending again with the "
                        + "same status does nothing (exit 0); a different end of an ended run is exit 8; a lost lease exit 6."})
public final class EndCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--status", required = true, paramLabel = "STATUS", converter = StatusNames.End.class,
            description = "${COMPLETION-CANDIDATES}")
    RunWrites.End status;

    @Option(names = "--exit-code", paramLabel = "N", description = "The training command's exit code, for the record.")
    Integer exitCode;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why it ended this way (kept with the run).")
    String message;

    // What 'tracker run' keeps of a command's output ({tail, lines, chars, truncated}); hidden: the API's end takes it
    // (output=) so that a worker going through tracker serve keeps it as one on the database does.
    @Option(names = "--output-json", hidden = true, paramLabel = "JSON")
    String outputJson;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        String run = runOptions.run(cli.env());
        Map<String, Object> commandOutput;
        try {
            commandOutput = outputJson == null ? null : Json.parseObject(outputJson);
        } catch (RuntimeException e) {
            throw TrackerException.usage("--output-json is not a JSON object: " + e.getMessage(), null);
        }
        RunWrites.Ended e = new RunWrites(db).end(run, runOptions.token(cli.env()), status, exitCode, message, commandOutput);
        String now = e.run().getString("status");
        boolean pruned = RunStatus.PRUNED.equals(now) && status != RunWrites.End.pruned;
        if (pruned) {
            stayedPruned(cli, run, " (" + e.run().getString("message") + ")");
        } else {
            say(cli, run, e.changed(), Boolean.TRUE.equals(e.run().getBoolean("noObjective")));
        }
        if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run);
            m.put("status", pruned ? now : status.name());
            m.put("changed", e.changed());
            m.put("noObjective", Boolean.TRUE.equals(e.run().getBoolean("noObjective")));
            cli.out().println(JsonWriter.write(m));
            cli.out().flush();
        }
        return ExitCode.OK;
    }

    /** Early stopping ended the run before its worker's end: that end changed nothing. */
    private static void stayedPruned(Cli cli, String run, String why) {
        cli.note("run " + run + " was ended pruned by early stopping" + why + "; it stays pruned");
    }

    private void say(Cli cli, String run, boolean changed, boolean noObjective) {
        if (changed && noObjective) {
            cli.note("warning: run " + run + " completed without any value of the objective metric; "
                    + "it is flagged and reports will not rank it");
        }
        if (!changed) {
            cli.verbose("run " + run + " had already ended as " + status);
        }
    }

    /** Through tracker serve: the same end; its answer is what -o json prints here, and says whether to warn. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        String run = runOptions.run(cli.env());
        String body = serve.post("runs/" + Query.path(run) + "/end", Query.of().add("token", runOptions.token(cli.env()))
                .add("status", status.name()).add("exit_code", exitCode).add("message", message).add("output", outputJson), true).body();
        Map<String, Object> m = Json.parseObject(body);
        if (RunStatus.PRUNED.equals(m.get("status")) && status != RunWrites.End.pruned) {
            stayedPruned(cli, run, "");
        } else {
            say(cli, run, Boolean.TRUE.equals(m.get("changed")), Boolean.TRUE.equals(m.get("noObjective")));
        }
        if (format == Format.json) {
            cli.out().print(body);
            cli.out().flush();
        }
        return ExitCode.OK;
    }
}
