package tracker.cli.server;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.cli.Cli;
import tracker.cli.options.Format;
import tracker.cli.options.OutputOptions;
import tracker.config.Settings;
import tracker.embedded.ServerManager;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show whether the embedded database runs, its pid, address, data directory and size.",
                "Exit 0 either way; -o json prints running, pid, uri, dataDir, sizeBytes, startedAt, idleTimeout, version."})
public final class ServerStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Cli cli = Cli.of(spec);
        Format format = output.choose(Format.table, Format.table, Format.json);
        ServerManager manager = new ServerManager(Settings.homeOf(cli.env()), cli.env());
        ServerStatus.print(cli.out(), format, manager, manager.running().orElse(null));
        return ExitCode.OK.code;
    }
}
