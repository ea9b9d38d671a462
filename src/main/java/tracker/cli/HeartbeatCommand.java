package tracker.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.RunOptions;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.store.Database;
import tracker.store.RunWrites;

@Command(name = "heartbeat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Renew the lease of the run this worker claimed (log and end renew it too).",
                "Exit 6 when the lease was lost: the run went to another worker; stop working on it."})
public final class HeartbeatCommand extends ConnectedCommand {
    @Mixin
    RunOptions runOptions;

    // What 'tracker run' records when it starts a run's command; hidden: the API's heartbeat takes them
    // (pid=, argv=) so that a worker going through tracker serve records its commands as one on the database does.
    @Option(names = "--started-pid", hidden = true, paramLabel = "PID")
    Long startedPid;

    @Option(names = "--started-argv", hidden = true, paramLabel = "WORD")
    List<String> startedArgv = new ArrayList<>();

    @Override
    protected ExitCode run(Database db, Cli cli) {
        String run = runOptions.run(cli.env());
        String token = runOptions.token(cli.env());
        if (startedPid != null) {
            new RunWrites(db).started(run, token, startedArgv, startedPid);
        } else if (!startedArgv.isEmpty()) {
            throw TrackerException.usage("--started-argv goes with --started-pid", null);
        } else {
            new RunWrites(db).heartbeat(run, token);
        }
        return ExitCode.OK;
    }

    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        String run = runOptions.run(cli.env());
        String token = runOptions.token(cli.env());
        if (startedPid == null && !startedArgv.isEmpty()) {
            throw TrackerException.usage("--started-argv goes with --started-pid", null);
        }
        serve.post("runs/" + Query.path(run) + "/heartbeat", Query.of().add("token", token).add("pid", startedPid)
                .addAll("argv", startedArgv), true);
        return ExitCode.OK;
    }
}
