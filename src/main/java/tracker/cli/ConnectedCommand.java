package tracker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.ConnectionOptions;
import tracker.config.Remote;
import tracker.config.Settings;
import tracker.remote.ServeClient;
import tracker.remote.ServeException;
import tracker.store.Database;
import tracker.store.Schema;
import tracker.store.StoreErrors;

/**
 * A command that works on the database: resolves the settings, opens the connection (starting the
 * embedded server if that is the one), runs the body, maps connection failures to exit code 5.
 */
public abstract class ConnectedCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ConnectionOptions connection;

    protected abstract ExitCode run(Database db, Cli cli) throws Exception;

    /**
     * The same command through {@code tracker serve} (remote mode: a URL is configured): the API
     * request its options make, its answer printed as {@link #run} prints locally. Commands without
     * an endpoint say that they need a database connection.
     */
    protected ExitCode run(ServeClient serve, Cli cli) throws Exception {
        throw needsDatabase(serve, spec.qualifiedName());
    }

    @Override
    public Integer call() throws Exception {
        Cli cli = Cli.of(spec);
        chooseExperiment(spec, cli);
        Remote remote = databaseOnly() ? null : remote(connection, cli);
        if (remote != null) {
            return remotely(remote, cli, spec.qualifiedName(), serve -> run(serve, cli)).code;
        }
        return withDatabase(connection, cli, spec.qualifiedName(), db -> run(db, cli)).code;
    }

    /** True for a command that is never remote, whatever URL is configured ({@code tracker serve} is the server). */
    protected boolean databaseOnly() {
        return false;
    }

    /** The tracker serve to go through, or null for the database (always inside tracker serve itself). */
    static Remote remote(ConnectionOptions connection, Cli cli) {
        return cli.hosted() != null ? null : Remote.resolve(connection.url, connection.uri, connection.database, cli.env());
    }

    /** The body of a command in remote mode. */
    @FunctionalInterface
    public interface RemoteBody {
        ExitCode run(ServeClient serve) throws Exception;
    }

    /**
     * Runs a remote body; a failure the server-side command had printed output before (next's
     * {"claimed": false, ...}) prints that output first, as the command does locally.
     */
    public static ExitCode remotely(Remote remote, Cli cli, String name, RemoteBody body) throws Exception {
        cli.verbose("tracker serve at " + remote.hostPort() + " (from " + remote.urlSource() + "), key from " + remote.keySource());
        long t0 = System.nanoTime();
        try {
            return body.run(new ServeClient(remote));
        } catch (ServeException e) {
            if (!e.output().isEmpty()) {
                cli.out().print(e.output());
                cli.out().flush();
            }
            throw e;
        } finally {
            cli.verbose(String.format("%s took %.0f ms", name, (System.nanoTime() - t0) / 1e6));
        }
    }

    static TrackerException needsDatabase(ServeClient serve, String command) {
        return TrackerException.usage("'" + command + "' works on the database itself, and " + serve.remote().urlSource()
                + " points to " + serve.where() + " (its API has no endpoint for it)", "run it where the database is: without a "
                + "tracker serve URL (with --uri or TRACKER_URI), e.g. on the machine of tracker serve");
    }

    /**
     * Fills in the {@code -e/--experiment} option of a command that has one and was given none:
     * from TRACKER_EXPERIMENT, else the config file (see {@link Settings#experiment}); before any
     * connection, so a missing experiment costs no server start. Done here, on the option itself,
     * so every command with -e gets the same default and the same error without a line of its own.
     */
    static void chooseExperiment(CommandSpec spec, Cli cli) {
        OptionSpec option = spec.findOption("--experiment");
        if (option == null || spec.userObject() instanceof OwnExperimentOption) {
            return;
        }
        if (option.isMultiValue()) { // report -e A -e B: the default stands in for none given
            java.util.List<String> given = option.getValue();
            if (given == null || given.isEmpty()) {
                Settings.Experiment e = Settings.experiment(null, cli.env());
                option.setValue(new java.util.ArrayList<>(java.util.List.of(e.name())));
                cli.verbose("experiment '" + e.name() + "' (from " + e.source() + ")");
            }
            return;
        }
        Settings.Experiment e = Settings.experiment(option.getValue(), cli.env());
        option.setValue(e.name());
        cli.verbose("experiment '" + e.name() + "' (from " + e.source() + ")");
    }

    /** A command whose -e means something else than "the experiment to work on" (keys create: the key's scope, none = all). */
    public interface OwnExperimentOption {
    }

    /** The body of a database command; also for commands that need the database only sometimes. */
    @FunctionalInterface
    public interface Body {
        ExitCode run(Database db) throws Exception;
    }

    /**
     * The commands that never write (status --repair checks for itself): they read a database of a
     * newer tracker; every other command refuses to write to one ({@link Schema}).
     */
    static final java.util.Set<String> READ_ONLY = java.util.Set.of("tracker list", "tracker show", "tracker report", "tracker export",
            "tracker status", "tracker ping", "tracker keys list");

    public static ExitCode withDatabase(ConnectionOptions connection, Cli cli, String name, Body body) throws Exception {
        if (cli.hosted() != null) { // inside tracker serve: its one pool, opened once and closed by the server
            Database db = cli.hosted().database();
            try {
                return body.run(db);
            } catch (RuntimeException e) {
                TrackerException t = StoreErrors.translate(e, db.hosts());
                throw t != null ? t : e;
            }
        }
        Settings settings = Settings.resolve(connection.uri, connection.database, cli.env());
        long t0 = System.nanoTime();
        try (Database db = Database.open(settings, cli.env())) {
            cli.verbose("database '" + db.name() + "' (from " + settings.databaseSource() + ") at " + db.hosts()
                    + (db.embedded() != null ? " (embedded, data in " + settings.home() + ")" : " (from " + settings.uriSource() + ")"));
            String skew = db.clock().warning(db.hosts());
            if (skew != null) {
                cli.note("warning: " + skew);
            }
            try {
                // First of all: a database of another layout is upgraded, or refused, before the command reads it.
                String layout = new Schema(db).ensure(!READ_ONLY.contains(name));
                if (layout != null) {
                    cli.note("warning: " + layout);
                }
                return body.run(db);
            } catch (RuntimeException e) {
                TrackerException t = StoreErrors.translate(e, db.hosts());
                throw t != null ? t : e;
            } finally {
                cli.verbose(String.format("%s took %.0f ms", name, (System.nanoTime() - t0) / 1e6));
            }
        }
    }
}
