package tracker.cli.keys;

import picocli.CommandLine.Command;

/** {@code tracker keys …}: the API keys of tracker serve. Holds only its subcommands. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Manage the API keys that 'tracker serve' accepts (sent as 'Authorization: Bearer KEY').",
                "Roles: reader (reports, runs, the dashboard), worker (claim, log, heartbeat and end runs of its "
                        + "experiments, and read their definition and status), admin (everything, including create, requeue and cancel)."},
        subcommands = {KeysCreateCommand.class, KeysListCommand.class, KeysRevokeCommand.class})
public final class KeysCommand {
}
