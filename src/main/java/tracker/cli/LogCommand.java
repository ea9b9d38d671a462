package tracker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.RunOptions;
import tracker.json.JsonWriter;
import tracker.protocol.MetricValues;
import tracker.protocol.TrainerLine;
import tracker.protocol.TrainerLines;
import tracker.remote.ServeClient;
import tracker.remote.ServeCoordinator;
import tracker.plan.EarlyStopper;
import tracker.store.Database;
import tracker.store.Metrics;
import tracker.util.Plurals;

@Command(name = "log", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Record metrics of the run this worker claimed (and renew its lease).",
                "  tracker log --epoch 3 train.loss=0.41 val.acc=0.88 test.acc=0.87",
                "  tracker log --step 1500 --progress 0.3 train.loss=2.1",
                "  python train.py | tracker log --stdin     (the lines 'tracker run' reads: {\"epoch\":1,\"val\":{\"acc\":0.8}}, "
                        + "{\"epoch\":1,\"val.acc\":0.8}, epoch=1 val.acc=0.8, with step, progress, checkpoint, artifacts, note, tags; "
                        + "see docs/trainer-protocol.md)",
                "Other lines on stdin pass through to stdout (to stderr under -o json), so a training script's output stays visible. "
                        + "Logging an epoch or step again overwrites it. NaN and Infinity are kept. A bad metric line is rejected "
                        + "alone (exit 9 with its line number) and the others are still logged.",
                "Under early stopping (search.early_stopping), an epoch that falls behind the run's cell ends the run pruned: "
                        + "the epoch is recorded, the reason goes to stderr and the exit code is 10 - stop training (--stdin stops "
                        + "reading, so a trainer piped in meets a closed pipe).",
                ""})
public final class LogCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    static final int BATCH_LINES = 1000;
    static final long BATCH_MILLIS = 1000;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--epoch", paramLabel = "N", description = "The epoch the PHASE.METRIC=VALUE pairs belong to.")
    Long epoch;

    @Option(names = "--step", paramLabel = "N", description = "The step the pairs belong to (within --epoch, or instead of it).")
    Long step;

    @Option(names = "--progress", paramLabel = "FRACTION", description = "How much of the run is done, 0 to 1 (shown by 'show RUN').")
    Double progress;

    @Parameters(paramLabel = "PHASE.METRIC=VALUE", arity = "0..*", description = "Values, e.g. val.acc=0.88 (phases are free-form).")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--stdin", description = "Read trainer lines from standard input until it ends, writing them in batches.")
    boolean stdin;

    @Option(names = "--artifact", paramLabel = "NAME=URI", description = "Attach an artifact (repeatable).")
    Map<String, String> artifacts = new LinkedHashMap<>();

    @Option(names = "--checkpoint", paramLabel = "URI", description = "The run's latest checkpoint; a resumed run gets it back from 'next'.")
    String checkpoint;

    @Option(names = "--init-from", paramLabel = "RUN|URI", description = "What the model started from: a run of this database "
            + "(NAME@V/MODEL/DATASET/N, which must exist; show lists the link from both runs) or any URI of weights. "
            + "The trainer-line key is init_from.")
    String initFrom;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note on the run.")
    String note;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the run (repeatable), e.g. --tag baseline --tag gpu:a100.")
    List<String> tags = new ArrayList<>();

    /** Where a batch of lines goes: the database, or tracker serve (one POST of trainer lines per batch). */
    @FunctionalInterface
    interface Batches {
        EarlyStopper.Verdict write(String run, String token, List<TrainerLine> lines);
    }

    @Override
    protected ExitCode run(Database db, Cli cli) throws Exception {
        return log(cli, new Metrics(db)::write);
    }

    @Override
    protected ExitCode run(ServeClient serve, Cli cli) throws Exception {
        return log(cli, new ServeCoordinator(serve)::log);
    }

    private ExitCode log(Cli cli, Batches metrics) throws Exception {
        output.choose(FORMATS);
        String run = runOptions.run(cli.env());
        String token = runOptions.token(cli.env());
        for (String name : artifacts.keySet()) {
            TrainerLines.checkNameOrUsage(name, "artifact");
        }
        if (progress != null && !(progress >= 0 && progress <= 1)) {
            throw TrackerException.usage("--progress " + progress + " is not a fraction", "give how much of the run is done, from 0 to 1");
        }
        for (String tag : tags) {
            String why = TrainerLines.tagProblem(tag);
            if (why != null) {
                throw TrackerException.usage("--tag: " + why, null);
            }
        }
        Metrics.Extras extras = new Metrics.Extras(artifacts, checkpoint, note, progress, tags, initFrom);
        if (!stdin) {
            if (pairs.isEmpty() && extras.isEmpty()) {
                throw TrackerException.usage("nothing to log", "give --epoch N (or --step N) with PHASE.METRIC=VALUE pairs, --stdin, "
                        + "--progress, --artifact, --checkpoint, --init-from, --note or --tag");
            }
            MetricValues values = null;
            if (!pairs.isEmpty()) {
                if (epoch == null && step == null) {
                    throw TrackerException.usage("values need --epoch N or --step N", "e.g. tracker log --epoch 3 val.acc=0.88");
                }
                values = fromPairs();
            }
            // one line of the values and the options' extras: written as one batch, as a trainer's line would be
            EarlyStopper.Verdict verdict = metrics.write(run, token, List.of(new TrainerLine(values, extras.progress(), extras.checkpoint(),
                    extras.artifacts(), extras.note(), extras.tags(), extras.initFrom(), null)));
            summary(cli, run, values == null ? 0 : 1, values == null ? 0 : values.count(), 0, verdict);
            return pruned(cli, run, verdict);
        }
        if (!pairs.isEmpty() || epoch != null || step != null) {
            throw TrackerException.usage("--stdin reads the values from standard input", "drop --epoch, --step and the pairs, or --stdin");
        }
        return fromStdin(cli, metrics, run, token, extras);
    }

    private MetricValues fromPairs() {
        StringBuilder line = new StringBuilder();
        if (epoch != null) {
            line.append("epoch=").append(epoch);
        }
        if (step != null) {
            line.append(line.length() == 0 ? "" : " ").append("step=").append(step);
        }
        for (String p : pairs) {
            if (p.chars().anyMatch(Character::isWhitespace)) {
                throw TrackerException.invalid("'" + p + "' has white space", "write PHASE.METRIC=VALUE without spaces");
            }
            if (!p.contains(".")) {
                throw TrackerException.invalid("'" + p + "' is not PHASE.METRIC=VALUE", "e.g. val.acc=0.88; nothing was logged");
            }
            line.append(' ').append(p);
        }
        try {
            return TrainerLines.parse(line.toString()).values();
        } catch (TrainerLines.BadLine e) {
            throw TrackerException.invalid(e.getMessage(), "write PHASE.METRIC=VALUE, e.g. val.acc=0.88; nothing was logged");
        }
    }

    /** Reads lines on another thread so a batch goes out after a second even while the trainer is quiet. */
    private ExitCode fromStdin(Cli cli, Batches metrics, String run, String token, Metrics.Extras extras) throws Exception {
        StdinFeed feed = StdinFeed.start(cli.in());
        // The options' extras go out with the first batch, as if they were the first line.
        List<TrainerLine> batch = new ArrayList<>();
        if (!extras.isEmpty()) {
            batch.add(new TrainerLine(null, extras.progress(), extras.checkpoint(), extras.artifacts(), extras.note(), extras.tags(),
                    extras.initFrom(), null));
        }
        long firstPending = System.nanoTime();
        long lineNo = 0;
        long logged = 0;
        long values = 0;
        long rejected = 0;
        boolean skippingLine = false; // the rest of an overlong metric line, rejected at its first piece
        StdinFeed.End failed = null;
        EarlyStopper.Verdict verdict = null;
        boolean done = false;
        while (!done) {
            StdinFeed.Item item = feed.poll(200, TimeUnit.MILLISECONDS);
            if (item instanceof StdinFeed.End end) {
                done = true;
                failed = end.failure() != null ? end : null;
            } else if (item instanceof StdinFeed.Piece p) {
                if (p.first()) {
                    lineNo++;
                    skippingLine = false;
                }
                if (skippingLine) {
                    // nothing: the rest of a rejected line
                } else if (!TrainerLines.isFor(p.text()) || !p.first()) {
                    passThrough(cli, p); // the training script's other output, like tee (stderr under -o json)
                } else {
                    try {
                        if (!p.last()) {
                            skippingLine = true;
                            throw new TrainerLines.BadLine(TrainerLines.tooLong());
                        }
                        TrainerLine line = TrainerLines.parse(p.text());
                        if (batch.isEmpty()) {
                            firstPending = System.nanoTime();
                        }
                        batch.add(line);
                    } catch (TrainerLines.BadLine e) {
                        rejected++;
                        cli.note("error: stdin:" + lineNo + ": " + e.getMessage() + "; line rejected");
                    }
                }
            }
            boolean due = !batch.isEmpty() && (batch.size() >= BATCH_LINES || done
                    || System.nanoTime() - firstPending > BATCH_MILLIS * 1_000_000);
            if (due) {
                try {
                    verdict = metrics.write(run, token, batch);
                } catch (TrackerException e) {
                    if (logged > 0 || rejected > 0) {
                        cli.note(Plurals.count(logged, "line") + " logged before this, " + rejected + " rejected");
                    }
                    throw e;
                }
                logged += batch.stream().filter(l -> l.values() != null || l.hasExtras()).count();
                values += batch.stream().mapToInt(l -> l.values() == null ? 0 : l.values().count()).sum();
                batch.clear();
                if (verdict != null && verdict.stop()) {
                    // The run is ended: stop reading, so a trainer piped in here meets a closed pipe and stops too.
                    done = true;
                    failed = null;
                }
            }
        }
        cli.verbose("logged " + Plurals.count(values, "value") + " from " + Plurals.count(logged, "line") + " to " + run);
        summary(cli, run, logged, values, rejected, verdict);
        if (verdict != null && verdict.stop()) {
            return pruned(cli, run, verdict);
        }
        if (failed != null) {
            throw TrackerException.invalid("cannot read standard input after line " + lineNo + ": " + failed.why(),
                    logged == 1 ? "the line before was logged" : "the " + logged + " lines before were logged");
        }
        if (rejected > 0) {
            throw TrackerException.invalid(rejected + " of " + Plurals.count(logged + rejected, "metric line") + " rejected (see above); the other "
                    + Plurals.count(logged, "line") + " (" + Plurals.count(values, "value") + ") " + (logged == 1 ? "was" : "were") + " logged", "fix the lines and log them again: re-logging an epoch overwrites it");
        }
        return ExitCode.OK;
    }

    private void passThrough(Cli cli, StdinFeed.Piece p) {
        java.io.PrintWriter to = output.json() ? cli.err() : cli.out(); // stdout holds the one JSON object
        if (p.last()) {
            to.println(p.text());
        } else {
            to.print(p.text());
        }
        to.flush();
    }

    /** Exit 10 with the reason on stderr when early stopping ended the run; else 0. */
    private static ExitCode pruned(Cli cli, String run, EarlyStopper.Verdict verdict) {
        if (verdict == null || !verdict.stop()) {
            return ExitCode.OK;
        }
        cli.note("run " + run + " " + verdict.reason() + "; it is ended pruned - stop training it");
        return ExitCode.PRUNED;
    }

    /**
     * Under -o json, what was logged: {"run", "lines", "values", "rejected"} (before any error on
     * stderr), and {"pruned": true, "reason"} when early stopping ended the run.
     */
    private void summary(Cli cli, String run, long lines, long values, long rejected, EarlyStopper.Verdict verdict) {
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run);
            m.put("lines", lines);
            m.put("values", values);
            m.put("rejected", rejected);
            if (verdict != null && verdict.stop()) {
                m.put("pruned", true);
                m.put("reason", verdict.reason());
            }
            cli.out().println(JsonWriter.write(m));
            cli.out().flush();
        }
    }
}
