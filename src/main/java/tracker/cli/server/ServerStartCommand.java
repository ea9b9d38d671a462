package tracker.cli.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.Cli;
import tracker.cli.VersionProvider;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.util.Durations;

@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the embedded database in the background (if it is not running) and print its status.",
                "Any command that needs the database does this by itself; use --foreground to run it in this terminal.",
                "It admits only the user who owns its data directory (through a secret kept there) and, since its "
                        + "connections are not encrypted, listens on 127.0.0.1 only, unless --bind and --allow-remote say otherwise."})
public final class ServerStartCommand implements Callable<Integer>, Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--foreground", description = "Run in this process until stopped (Ctrl-C, SIGTERM or idle).")
    boolean foreground;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on (default: the config file's server.port, else any free port).")
    Integer port;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Stop after this long without clients; 0 = never (default: $TRACKER_SERVER_IDLE_TIMEOUT, "
                    + "the config file's server.idle_timeout, else 30m).")
    String idleTimeout;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--allow-remote",
            description = "Allow --bind to a non-loopback address. Connections are not encrypted: anyone on the network can read the data sent.")
    boolean allowRemote;

    @Override
    public Integer call() throws Exception {
        Cli cli = Cli.of(spec);
        Format format = output.choose(FORMATS);
        Settings settings = Settings.resolve(null, null, cli.env());
        Duration idle = settings.idleTimeout();
        if (idleTimeout != null) {
            idle = Durations.parseOrNull(idleTimeout);
            if (idle == null) {
                throw TrackerException.usage("--idle-timeout '" + idleTimeout + "' is not a duration", "write it like 30m, 2h or 0");
            }
        }
        int listenPort = port != null ? port : settings.port();
        if (listenPort < 0 || listenPort > 65535) {
            throw TrackerException.usage("--port " + listenPort + " is not a port number", "use 1-65535, or 0 for any free port");
        }
        checkBind(cli);

        if (foreground) {
            return runForeground(cli, settings, listenPort, idle);
        }
        ServerManager manager = new ServerManager(settings.home(), cli.env());
        ServerInfo before = manager.running().orElse(null);
        ServerInfo info = manager.ensureRunning(new ServerManager.StartOptions(listenPort, idle, bind, allowRemote));
        if (before != null) {
            cli.note("the embedded database was already running (pid " + info.pid() + ")"
                    + (port != null && port != info.port() ? "; --port " + port + " not applied, stop it first" : ""));
        }
        ServerStatus.print(cli.out(), format, manager, info, info.uri());
        return ExitCode.OK.code;
    }

    private int runForeground(Cli cli, Settings settings, int listenPort, Duration idle) throws Exception {
        EmbeddedServer server = EmbeddedServer.start(settings.home(), bind, listenPort, idle, VersionProvider.version());
        Thread hook = new Thread(server::close, "tracker-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ServerInfo info = server.info();
        cli.note("embedded database listening on " + info.uri() + " (pid " + info.pid() + ", data in " + info.dataDir()
                + ", idle stop " + (idle.isZero() ? "never" : Durations.format(idle)) + ")");
        server.awaitStop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down because of a signal: the hook is running
        }
        return ExitCode.OK.code;
    }

    private void checkBind(Cli cli) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw TrackerException.usage("--bind '" + bind + "' is not an address of this machine", "use 127.0.0.1");
        }
        if (address.isLoopbackAddress()) {
            return;
        }
        if (!allowRemote) {
            throw TrackerException.usage("refusing to listen on " + bind + ": the embedded database's connections are not encrypted",
                    "add --allow-remote if the network between the machines is trusted; for a lab, use a real MongoDB");
        }
        cli.note("warning: listening on " + bind + " without encryption: the data crosses the network in the clear "
                + "(clients still need the secret in its data directory)");
    }
}
