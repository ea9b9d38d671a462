package tracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tracker.ExitCode;
import tracker.Tracker;
import tracker.config.Settings;
import tracker.embedded.EmbeddedServer;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.store.Database;

/**
 * The training run for the launcher's class-data archive (AppCDS / AOT cache): it goes through the
 * code paths that ordinary commands take - an embedded server on a throw-away directory, a driver
 * connection and round trips, help for every command, JSON and YAML - so that their classes are
 * archived and later commands start faster. Hidden: the launcher runs it, users need not.
 */
@Command(name = "__warmup", hidden = true, description = "Exercise the common code paths (for the launcher's class-data archive).")
public final class WarmupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("tracker-warmup");
        try {
            EmbeddedServer server = EmbeddedServer.start(dir, "127.0.0.1", 0, Duration.ZERO, VersionProvider.version());
            try {
                String uri = server.clientUri(); // authenticating is part of every command: archive its classes too
                Settings settings = Settings.resolve(uri, "warmup", Map.of("TRACKER_HOME", dir.toString()));
                try (Database db = Database.open(settings, Map.of())) {
                    db.ping();
                }
                workerRound(dir, uri);
            } finally {
                server.close();
            }
            PrintWriter sink = new PrintWriter(new StringWriter());
            CommandLine cmd = Tracker.commandLine(Map.of(), sink, sink, false);
            help(cmd, sink);
            Json.parse(JsonWriter.write(Map.of("epoch", 1, "val", Map.of("acc", 0.5, "loss", Double.NaN))));
            CompletionScripts.bash();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return ExitCode.OK.code;
    }

    /** A worker's round trip through the real commands: create, next, log, heartbeat, end, status, list. */
    private static void workerRound(Path dir, String uri) throws IOException {
        Path def = dir.resolve("warmup.yaml");
        Files.writeString(def, "name: warmup\nobjective: {metric: acc, goal: maximize}\ndatasets: [a, b]\n"
                + "models:\n  m: {datasets: [a, b], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}, k: [1, 2]}}\n"
                + "  n: {datasets: [a, b], params: {k: [1]}}\n"
                + "search: {trials: 2, replicates: 2}\n");
        Map<String, String> env = Map.of("TRACKER_URI", uri, "TRACKER_DATABASE", "warmup", "HOME", dir.toString());
        PrintWriter sink = new PrintWriter(new StringWriter());
        Tracker.run(new String[] {"create", def.toString()}, env, sink, sink);
        Tracker.run(new String[] {"create", def.toString(), "--dry-run", "-o", "json"}, env, sink, sink);
        for (String format : new String[] {"json", "env"}) {
            StringWriter out = new StringWriter();
            Tracker.run(new String[] {"next", "-e", "warmup", "-o", "json"}, env, new PrintWriter(out), sink);
            Map<String, Object> claim = Json.parseObject(out.toString().strip());
            String run = (String) claim.get("run");
            String token = (String) claim.get("token");
            Tracker.run(new String[] {"log", "--run", run, "--token", token, "--epoch", "1", "train.loss=0.5", "val.acc=0.5"}, env, sink, sink);
            Tracker.run(new String[] {"heartbeat", "--run", run, "--token", token}, env, sink, sink);
            Tracker.run(new String[] {"end", "--run", run, "--token", token, "--status", "completed"}, env, sink, sink);
            Tracker.run(new String[] {"next", "-e", "warmup", "-o", format}, env, sink, sink);
        }
        // Two replicates of a run in every cell, so that the report's statistics (ties, Friedman,
        // Nemenyi, Wilcoxon) run and their classes are archived too: a report pays for them otherwise.
        int value = 0;
        for (String model : new String[] {"m", "n"}) {
            for (String dataset : new String[] {"a", "b"}) {
                for (int replicate = 0; replicate < 2; replicate++) {
                    StringWriter out = new StringWriter();
                    if (Tracker.run(new String[] {"next", "-e", "warmup", "--model", model, "--dataset", dataset, "-o", "json"}, env,
                            new PrintWriter(out), sink) != 0) {
                        continue;
                    }
                    Map<String, Object> claim = Json.parseObject(out.toString().strip());
                    String run = (String) claim.get("run");
                    String token = (String) claim.get("token");
                    value++;
                    Tracker.run(new String[] {"log", "--run", run, "--token", token, "--epoch", "1", "val.acc=0." + value,
                            "test.acc=0." + value}, env, sink, sink);
                    Tracker.run(new String[] {"end", "--run", run, "--token", token, "--status", "completed"}, env, sink, sink);
                }
            }
        }
        for (String[] report : new String[][] {{"report", "-e", "warmup"}, {"report", "-e", "warmup", "--metric", "test.acc"},
                {"report", "-e", "warmup", "--view", "significance"}, {"report", "-e", "warmup", "-o", "json"},
                {"report", "-e", "warmup", "--view", "leaderboard"}, {"report", "-e", "warmup", "--view", "progress"}}) {
            Tracker.run(report, env, sink, sink);
        }
        Tracker.run(new String[] {"status", "-e", "warmup"}, env, sink, sink);
        Tracker.run(new String[] {"list"}, env, sink, sink);
        Tracker.run(new String[] {"show", "warmup"}, env, sink, sink);
    }

    private static void help(CommandLine cmd, PrintWriter sink) {
        cmd.usage(sink);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            help(sub, sink);
        }
    }
}
