package tracker.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tracker.ExitCode;
import tracker.RunStatus;
import tracker.TrackerException;
import tracker.plan.EarlyStopper;
import tracker.protocol.TrainerLine;
import tracker.protocol.TrainerLines;
import tracker.store.Claim;
import tracker.store.RunWrites;
import tracker.util.Durations;

/**
 * One claimed run in a worker: starts its command, turns the metric lines of its stdout into
 * batches of values, renews the lease while it runs, stops it when asked (preemption) or when the
 * lease is lost, and ends the run from how the command ended. Everything that touches the runs
 * (the database, or tracker serve: {@link Coordinator}) happens on the calling thread; two reader
 * threads only parse and pass output through.
 */
public final class Attempt {
    /** How an attempt ended, for the worker's tally: how the run ended, or why it was not recorded. */
    public enum Outcome {
        completed, pruned, failed, timeout, out_of_memory, preempted, lease_lost, not_started, unrecorded;

        /** A run that ended in one of the kinds of failure. */
        public boolean failure() {
            return this == failed || this == timeout || this == out_of_memory;
        }
    }

    /**
     * Tuning a worker passes to each attempt.
     *
     * @param patience  how long to keep trying to end the run while the database is away
     * @param timeLimit how long a command may run before it is stopped and its run ends {@code timeout}; null: no limit
     * @param oomKills  the kernel's OOM-kill counters, which tell a command killed for its memory from one merely killed
     * @param promptEpochs write each epoch as soon as the command prints it instead of batching for up to a second:
     *                  under early stopping the verdict comes from the write, and a run that should stop must not
     *                  train on while its lines wait
     */
    public record Settings(Duration heartbeat, Duration grace, Duration patience, boolean inheritStdin, boolean prefixLines,
                           Duration timeLimit, OomKills oomKills, boolean promptEpochs) {
    }

    /**
     * How the run ended: {@code why} in a few words ("exit code 3", "killed by SIGKILL (exit code 137)"),
     * {@code message} what the run keeps (why and the last output line); both null for a plain completion.
     */
    public record Ending(RunWrites.End how, String why, String message) {
    }

    /**
     * A command that dies of one of these while the worker is being stopped most likely got the same
     * signal from the same place (scancel, timeout and Ctrl-C signal the whole process group), and
     * often a moment before the worker's own handler runs: such a death waits this long for the
     * worker's stop before it is called a failure. Other failures wait {@link #OTHER_EXIT_WAIT_MILLIS}
     * (a trainer that catches SIGTERM and exits 1 has usually taken longer than that anyway).
     */
    private static final long STOP_SIGNAL_WAIT_MILLIS = 2000;
    private static final long OTHER_EXIT_WAIT_MILLIS = 500;
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    /** Output lines shown on stderr when a run fails. */
    private static final int FAILURE_LINES = 5;

    private static final int BATCH_LINES = 500;
    private static final long BATCH_MILLIS = 1000;
    private static final long TICK_MILLIS = 100;

    private final Claim claim;
    private final Invocation invocation;
    private final Settings settings;
    private final WorkerConsole console;
    private final Coordinator runs;
    private final OutputTail tail = new OutputTail(100, 10_000);
    private final LinkedBlockingQueue<TrainerLine> lines = new LinkedBlockingQueue<>(100_000);

    private volatile boolean preemptRequested;
    private volatile String preemptReason = "the worker was stopped";
    private volatile boolean killRequested;
    private volatile Ending ending;
    private volatile long lastEpoch = -1;
    private volatile long rejected;
    /** Why early stopping ended the run (it is recorded pruned already); null while it goes on. */
    private volatile String prunedBecause;
    private String leaseLostMessage = "";
    private String writeTrouble;

    /** @param runs where the run is kept: the database, or tracker serve (reached again when it went away) */
    public Attempt(Claim claim, Invocation invocation, Settings settings, WorkerConsole console, Coordinator runs) {
        this.claim = claim;
        this.invocation = invocation;
        this.settings = settings;
        this.console = console;
        this.runs = runs;
    }

    public Claim claim() {
        return claim;
    }

    /** The latest epoch the command reported, or -1. */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** First stop request: forward SIGTERM, wait the grace period, then end the run as preempted. */
    public void preempt() {
        preemptRequested = true;
    }

    /** The same, saying why ("the job's time limit was reached"), for the run's history. */
    public void preempt(String why) {
        preemptReason = why;
        preemptRequested = true;
    }

    /** How the run ended, once {@link #run} returned with it recorded (or tried to); null before. */
    public Ending ending() {
        return ending;
    }

    /** Second stop request: kill the command now; the run still ends as preempted. */
    public void kill() {
        preemptRequested = true;
        killRequested = true;
    }

    /** Runs the command to its end and records how it ended. Thrown: start failures (IOException), the run left as it was. */
    public Outcome run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(invocation.argv());
        pb.environment().clear(); // exactly the environment the invocation was given (tests give their own)
        pb.environment().putAll(invocation.env());
        pb.redirectInput(settings.inheritStdin() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        OomKills.Snapshot oomBefore = settings.oomKills() == null ? null : settings.oomKills().read();
        process = pb.start(); // if it cannot start, the worker gives the run back
        try {
            return supervise(process, oomBefore);
        } finally {
            if (process.isAlive()) { // whatever went wrong in here, the command never outlives its attempt
                signal(process, true);
            }
        }
    }

    private Outcome supervise(Process process, OomKills.Snapshot oomBefore) throws InterruptedException {
        Thread outReader = reader(process.getInputStream(), true);
        Thread errReader = reader(process.getErrorStream(), false);
        List<TrainerLine> pending = new ArrayList<>();
        long firstPending = 0;
        long lastRenewal = System.nanoTime();
        long retryAt = 0;
        long termAt = 0;
        long startedAt = System.nanoTime();
        boolean timedOut = false;
        boolean killed = false;
        boolean leaseLost = write(() -> runs.started(claim.run(), claim.token(), invocation.argv(), process.pid())) == Write.LEASE_LOST;
        while (process.isAlive()) {
            if (leaseLost || killRequested) {
                if (!killed) {
                    signal(process, true);
                    killed = true;
                }
            } else if (preemptRequested && termAt == 0) {
                signal(process, false);
                termAt = System.nanoTime();
            } else if (prunedBecause != null && termAt == 0) {
                // Stopped like a preemption - SIGTERM, then the grace period to checkpoint - but the run is finished.
                console.note(tag() + prunedBecause + ": stopping its command (SIGTERM)");
                signal(process, false);
                termAt = System.nanoTime();
            } else if (settings.timeLimit() != null && termAt == 0 && System.nanoTime() - startedAt > settings.timeLimit().toNanos()) {
                console.note(tag() + "ran longer than --time-limit " + Durations.format(settings.timeLimit()) + ": stopping it");
                timedOut = true;
                signal(process, false);
                termAt = System.nanoTime();
            } else if (termAt != 0 && System.nanoTime() - termAt > settings.grace().toNanos() && !killed) {
                console.note(tag() + "still running " + Durations.format(settings.grace()) + " after SIGTERM: killing it");
                signal(process, true);
                killed = true;
            }
            if (settings.promptEpochs() && prunedBecause == null && !leaseLost) {
                // Wakes on the command's next line, not on the next tick.
                TrainerLine line = lines.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                if (line != null) {
                    if (pending.isEmpty()) {
                        firstPending = System.nanoTime();
                    }
                    pending.add(line);
                }
            } else {
                process.waitFor(TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (leaseLost) {
                continue;
            }
            if (prunedBecause != null) {
                lines.clear(); // the run is ended: what the command prints while it stops is not recorded
                pending.clear();
                continue;
            }
            if (pending.isEmpty()) {
                firstPending = System.nanoTime();
            }
            lines.drainTo(pending);
            long now = System.nanoTime();
            if (now < retryAt) {
                continue;
            }
            boolean batchDue = !pending.isEmpty() && (pending.size() >= BATCH_LINES || now - firstPending > BATCH_MILLIS * 1_000_000
                    || (settings.promptEpochs() && pending.stream().anyMatch(l -> l.values() != null && !l.values().isStep())));
            boolean beatDue = now - lastRenewal > settings.heartbeat().toNanos();
            if (batchDue || beatDue) {
                switch (write(batchDue ? () -> flush(pending) : () -> runs.heartbeat(claim.run(), claim.token()))) {
                    case DONE -> lastRenewal = now;
                    case LEASE_LOST -> leaseLost = true;
                    case RETRY_LATER -> retryAt = now + 2_000_000_000L; // the database is away; the command goes on
                }
            }
        }
        int exitCode = process.exitValue();
        if (exitCode != 0 && !preemptRequested && !timedOut && !leaseLost && prunedBecause == null) {
            awaitStop(exitCode);
        }
        // A command's own children may hold its output open after it exits: wait a little, not forever.
        outReader.join(2000);
        errReader.join(500);
        console.barGone(barKey(true));
        console.barGone(barKey(false));
        if (leaseLost) {
            console.note(tag() + "lease lost: " + leaseLostMessage + "; the command was stopped and its results are not recorded");
            return Outcome.lease_lost;
        }
        if (prunedBecause != null) {
            pending.clear();
            lines.clear();
            return finish(pending, exitCode, new Ending(RunWrites.End.pruned, prunedBecause, prunedBecause));
        }
        lines.drainTo(pending);
        return finish(pending, exitCode, ending(exitCode, timedOut, termAt != 0 || killed, oomBefore));
    }

    /**
     * How the run ends. Its own time limit first (it was stopped for it); then a stop of the worker:
     * every run in flight is preempted whatever its command died of, since the command usually died
     * of the same signal (a group signal reaches both) - only a command that finished on its own
     * before the signal keeps its outcome; then how the command ended.
     */
    private Ending ending(int exitCode, boolean timedOut, boolean stoppedByUs, OomKills.Snapshot oomBefore) {
        String died = ExitStatus.describe(exitCode);
        if (timedOut) {
            String why = "ran longer than its time limit of " + Durations.format(settings.timeLimit()) + (exitCode == 0 ? "" : ", " + died);
            return new Ending(RunWrites.End.timeout, why, why + lastLine());
        }
        if (preemptRequested && (stoppedByUs || exitCode != 0)) {
            String why = preemptReason + (exitCode == 0 ? "" : " (" + died + ")");
            return new Ending(RunWrites.End.preempted, why, "preempted: " + why);
        }
        if (exitCode == 0) {
            return new Ending(RunWrites.End.completed, null, null);
        }
        String evidence = exitCode == 128 + SIGKILL && oomBefore != null ? OomKills.evidence(oomBefore, settings.oomKills().read()) : null;
        if (evidence != null) {
            String why = died + " by the kernel's OOM killer (" + evidence + ")";
            return new Ending(RunWrites.End.out_of_memory, why, "out of memory: " + why + lastLine());
        }
        return new Ending(RunWrites.End.failed, died, died + lastLine());
    }

    private String lastLine() {
        String last = tail.lastLine();
        return last == null ? ", no output" : ": " + abbreviate(last, 300);
    }

    /** A command died while no stop was asked for: wait a moment for one that may be on its way (see the constants). */
    private void awaitStop(int exitCode) throws InterruptedException {
        int signal = exitCode > 128 ? exitCode - 128 : 0;
        boolean stopSignal = signal == SIGTERM || signal == SIGINT || signal == SIGHUP;
        long deadline = System.nanoTime() + (stopSignal ? STOP_SIGNAL_WAIT_MILLIS : OTHER_EXIT_WAIT_MILLIS) * 1_000_000;
        while (!preemptRequested && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private enum Write { DONE, LEASE_LOST, RETRY_LATER }

    /**
     * A fenced write while the command runs; database trouble (a server restarting, a replica set
     * electing a primary) is reported once and left for a later try, after reconnecting.
     */
    private Write write(Runnable w) {
        try {
            w.run();
            writeTrouble = null;
            return Write.DONE;
        } catch (TrackerException e) {
            if (e.exitCode() == ExitCode.LEASE_LOST || e.exitCode() == ExitCode.NOT_FOUND) {
                leaseLostMessage = e.getMessage();
                return Write.LEASE_LOST;
            }
            trouble(e.getMessage());
            return Write.RETRY_LATER;
        } catch (RuntimeException e) {
            if (!runs.isTransient(e)) {
                throw e;
            }
            trouble(runs.describe(e));
            return Write.RETRY_LATER;
        }
    }

    private void trouble(String message) {
        if (writeTrouble == null) {
            console.note(tag() + message + "; the command goes on, retrying");
        }
        writeTrouble = message;
        reconnect();
    }

    /** Reaches the runs again (restarting the embedded server if it died); trouble stays for the next try. */
    private void reconnect() {
        try {
            runs.reconnect();
        } catch (RuntimeException e) {
            // still away: the next try asks again
        }
    }

    /** Writes what is left, then ends the run; retries a while if the database is away, so nothing is lost. */
    private Outcome finish(List<TrainerLine> pending, int exitCode, Ending end) throws InterruptedException {
        RunWrites.End how = end.how();
        String message = end.message();
        Integer code = exitCode;
        ending = end;
        if (how != RunWrites.End.completed && how != RunWrites.End.preempted && how != RunWrites.End.pruned) {
            reportFailure(end);
        }
        if (rejected > 0) {
            tail.add("[tracker] " + rejected + " metric lines were rejected (see the worker's stderr)");
        }
        long backoff = 500;
        long started = System.nanoTime();
        while (true) {
            try {
                if (!pending.isEmpty()) {
                    flush(pending);
                }
                if (prunedBecause != null && how != RunWrites.End.pruned) {
                    // The last lines said stop: early stopping ended the run as the command finished.
                    how = RunWrites.End.pruned;
                    message = prunedBecause;
                    ending = new Ending(how, prunedBecause, prunedBecause);
                }
                // Pruned: ended already by the log write that judged it; this end only repeats it
                // (and completes what a kill between the two may have left undone).
                runs.end(claim.run(), claim.token(), how, code, message, tail.toMap());
                return switch (how) {
                    case completed -> Outcome.completed;
                    case pruned -> Outcome.pruned;
                    case timeout -> Outcome.timeout;
                    case out_of_memory -> Outcome.out_of_memory;
                    case preempted -> Outcome.preempted;
                    default -> Outcome.failed;
                };
            } catch (TrackerException e) {
                if (e.exitCode() == ExitCode.LEASE_LOST || e.exitCode() == ExitCode.CONFLICT || e.exitCode() == ExitCode.NOT_FOUND) {
                    console.note(tag() + "could not end the run as " + how + ": " + e.getMessage());
                    return e.exitCode() == ExitCode.LEASE_LOST ? Outcome.lease_lost : Outcome.unrecorded;
                }
                if (e.exitCode() != ExitCode.UNREACHABLE) {
                    throw e;
                }
                if (giveUp(started, how, e.getMessage())) {
                    return Outcome.unrecorded;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            } catch (RuntimeException e) {
                if (!runs.isTransient(e)) {
                    throw e;
                }
                if (giveUp(started, how, runs.describe(e))) {
                    return Outcome.unrecorded;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * A failed run is not silent: one block on stderr, together, naming the run, how its command
     * ended and the last lines it printed (the whole tail is kept on the run: 'tracker show RUN').
     */
    private void reportFailure(Ending end) {
        List<String> block = new ArrayList<>();
        block.add("tracker: run " + claim.run() + " (" + claim.model() + " on " + claim.dataset() + ") ended " + end.how() + ": " + end.why()
                + (tail.lastLine() == null ? "; it printed nothing" : "; its last lines:"));
        for (String l : tail.lastLines(FAILURE_LINES)) {
            block.add("tracker:   | " + abbreviate(l, 200));
        }
        console.block(block);
    }

    /** After a failed try to end the run: true when it is time to give up, else reconnects for the next try. */
    private boolean giveUp(long started, RunWrites.End how, String why) {
        if (System.nanoTime() - started > settings.patience().toNanos()) {
            console.note(tag() + "gave up ending the run as " + how + " (" + why
                    + "); its lease will expire and another worker will run it again");
            return true;
        }
        console.note(tag() + why + " while ending the run; retrying");
        reconnect();
        return false;
    }

    /** Gives a run back untouched (the command could not even start): preempted, resumed first by the next worker. */
    private void flush(List<TrainerLine> pending) {
        EarlyStopper.Verdict verdict = runs.log(claim.run(), claim.token(), pending);
        pending.clear();
        if (verdict != null && verdict.stop()) {
            prunedBecause = verdict.reason();
        }
    }

    /**
     * A thread that reads one of the command's streams to its end, whatever it says: a line that
     * cannot be taken is rejected alone (with its line number) and reading goes on, since a reader
     * that stopped would leave the command blocked on a full pipe while its lease is still renewed.
     */
    private Thread reader(InputStream in, boolean stdout) {
        // With runs in parallel, each passed-through line says whose it is: "[mlp/iris/3] ..."
        String prefix = settings.prefixLines() ? "[" + claim.run().substring(claim.run().indexOf('/') + 1) + "] " : null;
        String stream = stdout ? "stdout" : "stderr";
        long[] lineNo = {0};
        boolean[] inBar = {false}; // this stream's current line is a progress bar, redrawn with carriage returns
        Thread t = new Thread(() -> {
            try (in) {
                ChildOutput.pump(in, TrainerLines.MAX_LINE, (text, first, last) -> {
                    if (first) {
                        lineNo[0]++;
                    }
                    try {
                        piece(text, first, last, stdout, prefix, lineNo[0], inBar);
                    } catch (RuntimeException | StackOverflowError e) {
                        console.note(tag() + stream + " line " + lineNo[0] + " could not be handled (" + e + "); reading on");
                    }
                });
            } catch (IOException e) {
                console.note(tag() + "reading the command's " + stream + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tracker-run-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One piece of output: a metric line is queued for the database, anything else passes through. */
    private void piece(String text, boolean first, boolean last, boolean stdout, String prefix, long lineNo, boolean[] inBar)
            throws InterruptedException {
        if (stdout && first && TrainerLines.isFor(text)) {
            try {
                if (!last) {
                    throw new TrainerLines.BadLine(TrainerLines.tooLong());
                }
                TrainerLine l = TrainerLines.parse(text);
                if (l.values() != null && l.values().epoch() != null) {
                    lastEpoch = Math.max(lastEpoch, l.values().epoch());
                }
                lines.put(l);
                return;
            } catch (TrainerLines.BadLine e) {
                rejected++;
                console.note(tag() + "stdout line " + lineNo + " rejected: " + e.getMessage());
            }
        }
        String key = barKey(stdout);
        String shownPrefix = prefix == null ? "" : prefix;
        if (!last && (text.endsWith("\r") || inBar[0])) {
            // A progress bar (tqdm) redrawing its line: the console shows its latest state, attributed.
            inBar[0] = true;
            String state = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            if (!state.isBlank()) {
                console.bar(key, shownPrefix + state, stdout);
            }
            return;
        }
        if (inBar[0]) {
            inBar[0] = false; // the bar's line ends: what it shows now is its final state
            if (!text.isBlank()) {
                tail.add(text);
            }
            console.barDone(key, text.isBlank() ? null : shownPrefix + text, stdout);
            return;
        }
        if (first) {
            tail.add(text);
        }
        String shown = first && prefix != null ? prefix + text : text;
        if (stdout) {
            console.out(shown, last);
        } else {
            console.err(shown, last);
        }
    }

    /** SIGTERM (or SIGKILL when forced) to the command and everything it started. */
    static void signal(Process process, boolean force) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList()); // before the parent dies and they are orphaned
        tree.add(0, process.toHandle());
        for (ProcessHandle h : tree) {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
    }

    private String barKey(boolean stdout) {
        return claim.run() + (stdout ? " stdout" : " stderr");
    }

    String tag() {
        return tag(claim);
    }

    /** How the worker's lines name a run: "model/dataset (id): ". */
    static String tag(Claim claim) {
        return claim.model() + "/" + claim.dataset() + " (" + claim.run() + "): ";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
