package tracker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.RunOptions;
import tracker.cli.options.StatusNames;
import tracker.store.Database;
import tracker.store.RunWrites;

@Command(name = "end", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Finish the run this worker claimed.",
                "preempted puts it back in the queue, to be resumed first (with its last checkpoint). The kinds of failure - "
                        + "failed, timeout (ran past its time limit), out_of_memory, node_fail (its machine went away) - are "
                        + "counted as failed in reports and shown by name for each run. Ending again with the "
                        + "same status does nothing (exit 0); a different end of an ended run is exit 8; a lost lease exit 6."})
public final class EndCommand extends ConnectedCommand {
    @Mixin
    RunOptions runOptions;

    @Option(names = "--status", required = true, paramLabel = "STATUS", converter = StatusNames.End.class,
            description = "${COMPLETION-CANDIDATES}")
    RunWrites.End status;

    @Option(names = "--exit-code", paramLabel = "N", description = "The training command's exit code, for the record.")
    Integer exitCode;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why it ended this way (kept with the run).")
    String message;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        String run = runOptions.run(cli.env());
        RunWrites.Ended e = new RunWrites(db).end(run, runOptions.token(cli.env()), status, exitCode, message);
        if (e.changed() && Boolean.TRUE.equals(e.run().getBoolean("noObjective"))) {
            cli.note("warning: run " + run + " completed without any value of the objective metric; "
                    + "it is flagged and reports will not rank it");
        }
        if (!e.changed()) {
            cli.verbose("run " + run + " had already ended as " + status);
        }
        return ExitCode.OK;
    }
}
