package tracker.cli.server;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.cli.Cli;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.config.Settings;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show whether the embedded database runs, its pid, address, data directory and size.",
                "Exit 0 either way; -o json prints running, pid, uri, dataDir, sizeBytes, startedAt, idleTimeout, version."})
public final class ServerStatusCommand implements Callable<Integer>, Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--show-uri", description = {"Show the URI with the server's credentials in it, for mongosh or pymongo.",
            "Whoever has it can read and change all your experiments: keep it to yourself."})
    boolean showUri;

    @Override
    public Integer call() {
        Cli cli = Cli.of(spec);
        Format format = output.choose(FORMATS);
        ServerManager manager = new ServerManager(Settings.homeOf(cli.env()), cli.env());
        ServerInfo info = manager.running().orElse(null);
        String uri = info == null ? null : showUri ? manager.uriWithCredentials(info) : info.uri();
        ServerStatus.print(cli.out(), format, manager, info, uri);
        return ExitCode.OK.code;
    }
}
