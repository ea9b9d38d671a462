package tracker.cli.server;

import picocli.CommandLine.Command;

/** {@code tracker server …}: the embedded default database. Holds only its subcommands. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Manage the embedded database that tracker uses when no --uri, TRACKER_URI or config file names one.",
                "It starts by itself on first use and stops by itself when idle; these commands are for control."},
        subcommands = {ServerStartCommand.class, ServerStopCommand.class, ServerStatusCommand.class})
public final class ServerCommand {
}
