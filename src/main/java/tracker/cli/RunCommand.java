package tracker.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.WorkerSelection;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.remote.ServeCoordinator;
import tracker.spec.CommandTemplate;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.util.Durations;
import tracker.worker.Attempt;
import tracker.worker.CheckpointDirs;
import tracker.worker.Coordinator;
import tracker.worker.DatabaseCoordinator;
import tracker.worker.Invocation;
import tracker.worker.JobTimeLimit;
import tracker.worker.OomKills;
import tracker.worker.Provenance;
import tracker.worker.Signals;
import tracker.worker.Worker;
import tracker.worker.WorkerConsole;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Be a worker: claim a run, start the training command for it, record what it prints, end it; again "
                + "until nothing is left.",
                "The command is started directly (no shell) with its placeholders filled word by word: {model} {dataset} "
                        + "{seed} {run} {trial} {replicate} {attempt} {experiment} {checkpoint} {param.NAME} {dataset.ATTRIBUTE}, "
                        + "and {args} (one --NAME=VALUE word per parameter). It also gets the TRACKER_* variables of "
                        + "'next -o env'. Without a command, the definition's 'command' is used.",
                "Its stdout lines with metrics - JSON with an \"epoch\" key, or 'epoch=N phase.metric=V ...' - are logged "
                        + "(a JSON line may also carry \"checkpoint\", \"artifacts\", \"note\"); every other line is passed "
                        + "through, and the last 100 lines are kept on the run. Exit 0 ends the run completed, any other "
                        + "exit failed (with the code and the output tail) - or timeout past --time-limit, out_of_memory when "
                        + "the kernel's OOM killer ended it. A failed run is named on stderr with its last lines at once, "
                        + "and in the final summary.",
                "SIGINT/SIGTERM (Ctrl-C, scancel, timeout): the commands (and the processes they started) get SIGTERM and "
                        + "--grace to finish, then SIGKILL; every run in flight ends preempted (resumed first, from its last "
                        + "checkpoint), even when its command died of the same signal first; a second signal kills them at once.",
                "Exit 0 when this worker's part is done: nothing left for it (the last runs may still be in flight with "
                        + "other workers; --wait stays for runs that come back) or --max-runs reached.",
                "-o json prints, when the worker ends, one JSON object on stdout: its exit code, why it ended, its runs by "
                        + "how they ended and the runs that failed; the commands' own output then goes to stderr.",
                "Example:  tracker run -e tabular --parallel 2 -- python train.py --model {model} --data {dataset.path} {args}",
                ""})
public final class RunCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Mixin
    WorkerSelection selection;

    @Option(names = {"-j", "--parallel"}, paramLabel = "N", defaultValue = "1",
            description = "Runs at once in this worker (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = {"-n", "--max-runs"}, paramLabel = "N", description = "Stop after claiming N runs (default: no limit).")
    Integer maxRuns;

    @Option(names = "--wait", description = "When nothing is claimable but runs are in flight elsewhere, stay and take "
            + "the runs that come back (a lease that expires, a run preempted) instead of ending (exit 0: this worker's part is done).")
    boolean waitForInFlight;

    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "5",
            description = "Stop after N runs in a row failed: the command is probably broken (default: ${DEFAULT-VALUE}; 0: never).")
    int maxFailures;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "15s",
            description = "After a stop signal, how long a command has between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}). "
                    + "Keep it below the scheduler's own (Slurm KillWait, Kubernetes terminationGracePeriodSeconds).")
    String grace;

    @Option(names = "--time-limit", paramLabel = "DURATION",
            description = "How long one run's command may take: past it, the command gets SIGTERM and --grace, then SIGKILL, "
                    + "and its run ends 'timeout' (a kind of failure; 'tracker requeue --status timeout' runs it again). "
                    + "Default: no limit.")
    String timeLimit;

    @Option(names = "--heartbeat", paramLabel = "DURATION",
            description = "How often to renew the lease while a command runs quietly (default: a third of the lease, at most 1m).")
    String heartbeat;

    @Option(names = "--lease", paramLabel = "DURATION", description = "Lease length (default: the definition's runs.lease).")
    String lease;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where the commands may save checkpoints: each run gets a directory of its own under DIR as "
                    + "TRACKER_CHECKPOINT_DIR (the same for every attempt), removed when the run completes; failed and "
                    + "preempted runs keep theirs. Use shared storage when runs may resume on another machine.")
    Path checkpointDir;

    @Option(names = "--keep-checkpoints", description = "Keep the checkpoint directories of completed runs too.")
    boolean keepCheckpoints;

    @Option(names = "--patience", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long to keep trying when the database goes away - an embedded server is restarted, a replica "
                    + "set elects a new primary - before stopping with exit 5; commands in flight go on meanwhile "
                    + "(default: ${DEFAULT-VALUE}).")
    String patience;

    @Option(names = "--worker", paramLabel = "ID", description = "This worker's id (default: host:pid; slots add #1, #2 …).")
    String worker;

    @Option(names = "--progress", negatable = true, paramLabel = "",
            description = "A progress line on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "The training command and its arguments, after '--' (default: the definition's command).")
    List<String> command = new ArrayList<>();

    /** The options, checked before anything is read or claimed. */
    private record Tuning(boolean json, Duration grace, Duration lease, Duration patience, Duration timeLimit) {
    }

    private Tuning tuning() {
        boolean json = output.choose(FORMATS) == Format.json;
        if (parallel < 1) {
            throw TrackerException.usage("--parallel must be at least 1, not " + parallel, null);
        }
        if (maxRuns != null && maxRuns < 1) {
            throw TrackerException.usage("--max-runs must be at least 1, not " + maxRuns, null);
        }
        return new Tuning(json, duration(grace, "--grace", true), lease == null ? null : duration(lease, "--lease", false),
                duration(patience, "--patience", true), timeLimit == null ? null : duration(timeLimit, "--time-limit", false));
    }

    @Override
    protected ExitCode run(Database db, Cli cli) throws Exception {
        Tuning tuning = tuning();
        ExperimentRecord exp = new Experiments(db).resolve(selection.experiment);
        Definition def = DefinitionParser.parse(exp.definitionYaml(), exp.id());
        return work(cli, tuning, new DatabaseCoordinator(db), new Target(exp.id(), exp.name(), def, exp.command(), exp.leaseMillis(),
                exp.models(), exp.datasets()));
    }

    /** Through tracker serve: the experiment and its definition from the API, the runs claimed, logged and ended through it. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) throws Exception {
        Tuning tuning = tuning();
        Map<String, Object> shown = Json.parseObject(serve.get("experiments/" + Query.segment(selection.experiment), Query.of()).body());
        String id = String.valueOf(shown.get("id"));
        Definition def = DefinitionParser.parse(String.valueOf(shown.get("definition")), id);
        return work(cli, tuning, new ServeCoordinator(serve), new Target(id, String.valueOf(shown.get("name")), def, def.command(),
                def.runs().lease().toMillis(), List.copyOf(def.models().keySet()), List.copyOf(def.datasets().keySet())));
    }

    /** The experiment a worker works on, as the database or tracker serve describe it. */
    private record Target(String id, String name, Definition def, String command, long leaseMillis, List<String> models,
                          List<String> datasets) {
    }

    private ExitCode work(Cli cli, Tuning tuning, Coordinator runs, Target exp) throws Exception {
        boolean json = tuning.json();
        Definition def = exp.def();
        Claims.Filter filter = selection.filter(exp.id(), exp.models(), exp.datasets());
        Invocation.Template template = template(exp, def);
        long leaseMillis = tuning.lease() != null ? tuning.lease().toMillis() : exp.leaseMillis();
        Duration beat = heartbeat != null ? duration(heartbeat, "--heartbeat", false)
                : Duration.ofMillis(Math.max(1000, Math.min(60_000, leaseMillis / 3)));
        if (beat.toMillis() >= leaseMillis) {
            throw TrackerException.usage("--heartbeat " + Durations.format(beat) + " is not shorter than the lease ("
                    + Durations.format(Duration.ofMillis(leaseMillis)) + "): the run would be taken away", "use a third of the lease or less");
        }
        // The command inherits tracker's environment (TRACKER_URI or TRACKER_URL included, so it may call tracker itself).
        Map<String, String> extraEnv = new LinkedHashMap<>(cli.env());
        CheckpointDirs checkpoints = null;
        if (checkpointDir != null) {
            try {
                Files.createDirectories(checkpointDir);
            } catch (IOException e) {
                throw TrackerException.usage("cannot create --checkpoint-dir " + checkpointDir + ": " + e.getMessage(), null);
            }
            checkpoints = new CheckpointDirs(checkpointDir, keepCheckpoints);
        }
        CheckpointDirs dirs = checkpoints;
        String workerId = worker != null ? worker : Provenance.defaultWorker(cli.env());
        // TERM=dumb (an Emacs shell, some CI logs) cannot move the cursor: no redrawn lines there
        boolean terminal = Tty.stderrIsTerminal() && !Tty.dumbTerminal(cli.env());
        boolean showProgress = progress != null ? progress : terminal;
        WorkerConsole console = new WorkerConsole(json ? cli.err() : cli.out(), cli.err(), showProgress, terminal,
                showProgress || terminal ? Tty.width(null, cli.env()).get() : Tty.DEFAULT_WIDTH);
        Worker.Options options = new Worker.Options(exp.id(), filter, workerId, tuning.lease(), parallel,
                maxRuns, waitForInFlight, maxFailures, tuning.patience(),
                new Attempt.Settings(beat, tuning.grace(), tuning.patience(), parallel == 1, parallel > 1, tuning.timeLimit(),
                        OomKills.ofThisProcess(), def.search().earlyStopping() != null),
                JobTimeLimit.fromEnvironment(cli.env()),
                claim -> Invocation.of(template, claim, attributes(def, claim.dataset()), withCheckpointDir(extraEnv, dirs, claim.run())),
                dirs,
                Provenance.collect(cli.env(), workerId));
        Worker w = new Worker(runs, options, console);
        String[] signal = {null};
        ExitCode code;
        try (Signals ignored = Signals.install(name -> {
            signal[0] = signal[0] == null ? name : signal[0];
            w.stop();
        })) {
            code = w.run();
        }
        if (signal[0] != null) {
            code = signal[0].equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
        }
        if (json) {
            cli.out().println(JsonWriter.write(summary(exp.id(), workerId, code, w.report())));
            cli.out().flush();
        }
        return code;
    }

    /** The -o json summary: stable keys, documented in the README. */
    static Map<String, Object> summary(String experiment, String workerId, ExitCode code, Worker.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("worker", workerId);
        m.put("exit_code", code.code);
        m.put("reason", r.reason());
        m.put("message", r.message());
        m.put("runs", r.runs());
        m.put("outcomes", r.outcomes());
        List<Map<String, Object>> failed = new ArrayList<>();
        for (Worker.Failure f : r.failures()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("run", f.run());
            one.put("status", f.status());
            one.put("why", f.why());
            failed.add(one);
        }
        m.put("failed", failed);
        m.put("seconds", r.seconds());
        return m;
    }

    private static Map<String, String> withCheckpointDir(Map<String, String> env, CheckpointDirs dirs, String runId) {
        if (dirs == null) {
            return env;
        }
        Map<String, String> withDir = new LinkedHashMap<>(env);
        try {
            withDir.put("TRACKER_CHECKPOINT_DIR", dirs.of(runId).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the run goes back to the queue, as for a command that cannot start
        }
        return withDir;
    }

    /** The command to run, checked against every model it may run for before anything is claimed. */
    private Invocation.Template template(Target exp, Definition def) {
        Invocation.Template t;
        String where;
        try {
            if (!command.isEmpty()) {
                where = "the command";
                t = Invocation.Template.ofWords(command);
            } else if (exp.command() != null && !exp.command().isBlank()) {
                where = "the definition's command";
                t = Invocation.Template.ofText(exp.command());
            } else {
                throw TrackerException.usage("experiment " + exp.id() + " has no command and none was given",
                        "give it after '--', e.g. tracker run -e " + exp.name() + " -- python train.py {args}");
            }
        } catch (IllegalArgumentException e) {
            throw TrackerException.usage("bad command: " + e.getMessage(), null);
        }
        if (t.words().isEmpty()) {
            throw TrackerException.usage(where + " is empty", null);
        }
        for (Definition.Model m : def.models().values()) {
            if (!selection.models.isEmpty() && !selection.models.contains(m.name())) {
                continue;
            }
            for (String name : t.placeholders()) {
                String problem = CommandTemplate.problem(name, m, def.datasets());
                if (problem != null) {
                    throw TrackerException.usage(where + ": " + problem, null);
                }
            }
        }
        return t;
    }

    private static Map<String, Object> attributes(Definition def, String dataset) {
        Definition.Dataset d = def.datasets().get(dataset);
        return d == null ? Map.of() : d.attributes();
    }

    private static Duration duration(String text, String option, boolean zeroAllowed) {
        Duration d = Durations.parseOrNull(text);
        if (d == null || (d.isZero() && !zeroAllowed)) {
            throw TrackerException.usage(option + " '" + text + "' is not a duration", "write it like 30s, 10m or 2h");
        }
        return d;
    }
}
