package tracker.cli.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.Cli;
import tracker.config.Settings;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.util.Durations;

@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stop the embedded database: it finishes the commands in progress, commits and closes its files.",
                "Workers still connected lose their connection. Exit 0 also when none was running."})
public final class ServerStopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "How long to wait for a clean stop before killing it (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        Cli cli = Cli.of(spec);
        Duration wait = Durations.parseOrNull(timeout);
        if (wait == null) {
            throw TrackerException.usage("--timeout '" + timeout + "' is not a duration", "write it like 20s or 1m");
        }
        ServerManager manager = new ServerManager(Settings.homeOf(cli.env()), cli.env());
        Optional<ServerInfo> stopped = manager.stop(wait);
        cli.note(stopped.map(i -> "stopped the embedded database (pid " + i.pid() + ", " + manager.home() + ")")
                .orElse("no embedded database was running in " + manager.home()));
        return ExitCode.OK.code;
    }
}
