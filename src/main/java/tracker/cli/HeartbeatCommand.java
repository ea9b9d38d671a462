package tracker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tracker.ExitCode;
import tracker.cli.options.RunOptions;
import tracker.store.Database;
import tracker.store.RunWrites;

@Command(name = "heartbeat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Renew the lease of the run this worker claimed (log and end renew it too).",
                "Exit 6 when the lease was lost: the run went to another worker; stop working on it."})
public final class HeartbeatCommand extends ConnectedCommand {
    @Mixin
    RunOptions runOptions;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        new RunWrites(db).heartbeat(runOptions.run(cli.env()), runOptions.token(cli.env()));
        return ExitCode.OK;
    }
}
