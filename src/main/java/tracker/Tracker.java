package tracker;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tracker.cli.ArchiveCommand;
import tracker.cli.CancelCommand;
import tracker.cli.DeleteCommand;
import tracker.cli.GcCommand;
import tracker.cli.UnarchiveCommand;
import tracker.cli.CompletionCommand;
import tracker.cli.ReportCommand;
import tracker.cli.PriorityCommand;
import tracker.cli.RequeueCommand;
import tracker.cli.RunCommand;
import tracker.cli.StatusCommand;
import tracker.cli.CreateCommand;
import tracker.cli.EndCommand;
import tracker.cli.ExportCommand;
import tracker.cli.HeartbeatCommand;
import tracker.cli.LogCommand;
import tracker.cli.NextCommand;
import tracker.cli.ListCommand;
import tracker.cli.ShowCommand;
import tracker.cli.Errors;
import tracker.cli.PingCommand;
import tracker.cli.VersionProvider;
import tracker.cli.WarmupCommand;
import tracker.cli.options.DiagnosticOptions;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.ServeCommand;
import tracker.cli.keys.KeysCommand;
import tracker.cli.server.ServerCommand;

/** The root command and main(): wiring only. */
@Command(name = "tracker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Orchestrate and record machine-learning experiments: models x datasets, in MongoDB.",
        description = {
                "One YAML file defines models, hyperparameter spaces and datasets; workers anywhere claim small runs, "
                        + "log per-epoch metrics and finish them; the report shows the model x dataset picture.",
                "",
                "With no --uri, TRACKER_URI or config file, tracker starts an embedded database on first use "
                        + "(data in $TRACKER_HOME, default ~/.local/share/tracker). With TRACKER_URL and TRACKER_API_KEY "
                        + "(or --url), the commands go through 'tracker serve' instead (docs/remote.md).",
                ""},
        subcommands = {
                CreateCommand.class,
                ListCommand.class,
                ShowCommand.class,
                NextCommand.class,
                LogCommand.class,
                HeartbeatCommand.class,
                EndCommand.class,
                StatusCommand.class,
                RequeueCommand.class,
                CancelCommand.class,
                PriorityCommand.class,
                ArchiveCommand.class,
                UnarchiveCommand.class,
                DeleteCommand.class,
                GcCommand.class,
                RunCommand.class,
                ReportCommand.class,
                ExportCommand.class,
                PingCommand.class,
                ServerCommand.class,
                ServeCommand.class,
                KeysCommand.class,
                CompletionCommand.class,
                WarmupCommand.class,
                CommandLine.HelpCommand.class})
public final class Tracker implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    DiagnosticOptions diagnostics;

    private final Map<String, String> env;
    private final tracker.cli.Hosted hosted;

    public Tracker(Map<String, String> env) {
        this(env, null);
    }

    /** An invocation inside {@code tracker serve} (hosted != null) or from a shell. */
    public Tracker(Map<String, String> env, tracker.cli.Hosted hosted) {
        this.env = env;
        this.hosted = hosted;
    }

    public Tracker() {
        this(System.getenv());
    }

    /** The process environment as this invocation sees it (tests pass their own). */
    public Map<String, String> env() {
        return env;
    }

    /** Non-null when the command runs inside {@code tracker serve} for an HTTP request. */
    public tracker.cli.Hosted hosted() {
        return hosted;
    }

    public DiagnosticOptions diagnostics() {
        return diagnostics;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** A fully wired command line; out and err are where data and messages go. */
    public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err, boolean color) {
        return commandLine(new Tracker(env), out, err, color);
    }

    /** A fully wired command line around this root (a hosted one for tracker serve). */
    public static CommandLine commandLine(Tracker root, PrintWriter out, PrintWriter err, boolean color) {
        CommandLine cmd = new CommandLine(root);
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            codes.put(String.format("%3d", c.code), c.meaning);
        }
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        narrowFormats(cmd);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setColorScheme(Help.defaultColorScheme(color ? Help.Ansi.AUTO : Help.Ansi.OFF));
        Errors errors = new Errors();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        return cmd;
    }

    /** Each command's -o lists only the formats it prints, in its help and its completion. */
    private static void narrowFormats(CommandLine cmd) {
        if (cmd.getCommand() instanceof Formats.Printing p) {
            OutputOptions.narrow(cmd.getCommandSpec(), p.formats());
        }
        cmd.getSubcommands().values().forEach(Tracker::narrowFormats);
    }

    /** Runs one invocation and returns its exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        boolean color = tracker.cli.Tty.colourAllowed(env) && !java.util.Arrays.asList(args).contains("--no-color");
        int code = commandLine(env, out, err, color).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code;
        try {
            code = run(args, System.getenv(), out, err);
        } catch (VirtualMachineError e) {
            // picocli hands only Exceptions to Errors; a JVM error would otherwise end in a stack trace
            // that hides the one thing a user can act on
            String what = e instanceof OutOfMemoryError ? "out of memory (" + e.getMessage() + ")" : e.toString();
            err.println("tracker: error: " + what + "; hint: give the JVM more, e.g. TRACKER_JAVA_OPTS=-Xmx4g,"
                    + " or ask for less at once; run with -x for the stack trace");
            if (java.util.Arrays.asList(args).contains("-x") || java.util.Arrays.asList(args).contains("--stacktrace")) {
                e.printStackTrace(err);
            }
            err.flush();
            code = ExitCode.INTERNAL.code;
        }
        System.exit(code);
    }
}
