package tracker.worker;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.store.Claim;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.RunWrites;
import tracker.util.Durations;
import tracker.util.Plurals;

/**
 * {@code tracker run}: N slots, each looping claim → {@link Attempt} → claim, until nothing is
 * left, {@code --max-runs} is reached, the command keeps failing, or the worker is told to stop.
 * A first stop request preempts the runs in flight (they go back to the queue, resumed first); a
 * second kills their commands at once.
 */
public final class Worker {
    /** What the worker was asked to do. */
    public record Options(String experimentId, Claims.Filter filter, String workerId, Duration lease, int parallel,
                          Integer maxRuns, boolean waitForInFlight, int maxFailures, Duration patience, Attempt.Settings attempt,
                          JobTimeLimit jobTimeLimit, Function<Claim, Invocation> invocations, CheckpointDirs checkpoints,
                          Map<String, Object> provenance) {
    }

    /** A run this worker ended in a kind of failure, for the summary. */
    public record Failure(String run, String status, String why) {
    }

    /**
     * What a worker did, for {@code tracker run -o json}: why it ended ({@code reason}: done,
     * nothing_left, nothing_for_this_worker, stopped_by_signal or stopped, with the human
     * {@code message}), its runs by how they ended, and every run it ended in a kind of failure.
     */
    public record Report(String reason, String message, Map<String, Integer> outcomes, List<Failure> failures, long seconds) {
        public int runs() {
            return outcomes.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Failed runs named in the summary; the rest are counted. */
    static final int FAILURES_NAMED = 5;

    private enum Stop { none, preempt, kill }

    /** Between tries to reach a database that went away. */
    private static final long RETRY_MILLIS = 2000;

    private final Coordinator runs;
    private final Options options;
    private final WorkerConsole console;
    private final Map<Thread, Attempt> running = new ConcurrentHashMap<>();
    private final Map<Attempt.Outcome, AtomicInteger> tally = new EnumMap<>(Attempt.Outcome.class);
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile Stop stop = Stop.none;
    private volatile String preemptReason;
    private volatile String stopReason;
    private volatile ExitCode exit = ExitCode.OK;
    private volatile boolean sawNothingLeft;
    private volatile boolean sawInFlight;
    private volatile boolean countsChanged;
    private volatile Report report;

    /** @param runs where the runs are: the database, or tracker serve */
    public Worker(Coordinator runs, Options options, WorkerConsole console) {
        this.runs = runs;
        this.options = options;
        this.console = console;
        for (Attempt.Outcome o : Attempt.Outcome.values()) {
            tally.put(o, new AtomicInteger());
        }
    }

    /** A stop request (a signal): the first preempts the runs in flight, the second kills their commands. */
    public void stop() {
        if (stop == Stop.none) {
            stop = Stop.preempt;
            JobTimeLimit limit = options.jobTimeLimit();
            String why = limit != null && limit.reachedAt(Instant.now())
                    ? "the job's time limit was reached (" + limit.source() + " " + limit.end() + ")" : "the worker was stopped";
            preemptReason = why;
            console.note("stopping (" + why + "): the runs in flight get SIGTERM, " + Durations.format(options.attempt().grace())
                    + " to finish, then end as preempted (resumed first by the next worker); signal again to kill them now");
            running.values().forEach(a -> a.preempt(why));
        } else {
            stop = Stop.kill;
            console.note("killing the runs in flight");
            running.values().forEach(Attempt::kill);
        }
    }

    public boolean stopped() {
        return stop != Stop.none;
    }

    /** Runs until done; returns the exit code and leaves a one-line summary on stderr. */
    public ExitCode run() throws InterruptedException {
        long t0 = System.nanoTime();
        runs.counts(options.experimentId()).ifPresent(e -> console.note("worker " + options.workerId()
                + " on " + e.experimentId() + ": " + Plurals.count(e.of("pending"), "run") + " pending, " + e.of("running") + " running, "
                + (e.total() - e.of("pending") - e.of("running")) + " finished of " + e.total()
                + (options.parallel() > 1 ? "; " + options.parallel() + " at once" : "")));
        List<Thread> slots = new ArrayList<>();
        for (int i = 1; i <= options.parallel(); i++) {
            String id = options.parallel() == 1 ? options.workerId() : options.workerId() + "#" + i;
            Thread t = new Thread(() -> slot(id), "tracker-run-slot-" + i);
            slots.add(t);
        }
        slots.forEach(Thread::start);
        Thread progress = console.showsProgress() ? startProgress(t0) : null;
        for (Thread t : slots) {
            t.join();
        }
        if (progress != null) {
            progress.interrupt();
            progress.join();
        }
        console.done();
        report = report(Duration.ofNanos(System.nanoTime() - t0));
        console.note(summary(report));
        String failed = failedRuns(report.failures());
        if (failed != null) {
            console.note(failed);
        }
        return exit;
    }

    private void slot(String workerId) {
        long backoff = 250;
        long awaySince = 0;
        try {
            while (stop == Stop.none && stopReason == null) {
                if (options.maxRuns() != null && claimed.incrementAndGet() > options.maxRuns()) {
                    finish("--max-runs " + options.maxRuns() + " reached", ExitCode.OK);
                    return;
                }
                ClaimOutcome o;
                try {
                    o = runs.claim(options.experimentId(), options.filter(), workerId, options.lease(), options.provenance());
                    awaySince = 0;
                } catch (RuntimeException e) {
                    if (!runs.isTransient(e)) {
                        throw e;
                    }
                    // The database went away (an embedded server killed, a replica set electing a primary,
                    // tracker serve restarting): reconnect and try again for a while before giving up with exit 5.
                    String why = runs.describe(e);
                    long now = System.nanoTime();
                    if (awaySince == 0) {
                        awaySince = now;
                        console.note(why + "; retrying for up to " + Durations.format(options.patience()));
                    } else if (now - awaySince > options.patience().toNanos()) {
                        finish(why + " (gave up after " + Durations.format(options.patience()) + ")", ExitCode.UNREACHABLE);
                        return;
                    }
                    if (options.maxRuns() != null) {
                        claimed.decrementAndGet();
                    }
                    reconnect();
                    Thread.sleep(RETRY_MILLIS);
                    continue;
                }
                if (o instanceof ClaimOutcome.Claimed c) {
                    backoff = 250;
                    if (options.maxRuns() == null) {
                        claimed.incrementAndGet();
                    }
                    attempt(c.claim());
                    continue;
                }
                if (options.maxRuns() != null) {
                    claimed.decrementAndGet();
                }
                if (o instanceof ClaimOutcome.NothingLeft) {
                    sawNothingLeft = true;
                    return;
                }
                ClaimOutcome.NothingNow now = (ClaimOutcome.NothingNow) o;
                if (!options.waitForInFlight()) {
                    sawInFlight = true;
                    return;
                }
                Thread.sleep(now.pauseMillis(backoff));
                backoff = Math.min(backoff * 2, 10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TrackerException e) {
            finish(e.getMessage(), e.exitCode());
        } catch (RuntimeException e) {
            finish("unexpected error: " + e, ExitCode.INTERNAL);
        }
    }

    private void attempt(Claim claim) throws InterruptedException {
        Invocation inv;
        try {
            inv = options.invocations().apply(claim);
        } catch (java.io.UncheckedIOException e) { // e.g. its checkpoint directory cannot be made
            String why = "the worker could not prepare the command: " + e.getCause().getMessage();
            giveBack(claim, why, why);
            return;
        }
        Attempt a = new Attempt(claim, inv, options.attempt(), console, runs);
        running.put(Thread.currentThread(), a);
        if (stop != Stop.none) {
            a.preempt(preemptReason); // a signal came between the claim and here
        }
        Attempt.Outcome outcome;
        try {
            outcome = a.run();
        } catch (IOException e) {
            giveBack(claim, "the worker could not start the command: " + e.getMessage(),
                    "cannot start " + inv.argv().get(0) + ": " + e.getMessage());
            return;
        } finally {
            running.remove(Thread.currentThread());
        }
        tally.get(outcome).incrementAndGet();
        countsChanged = true;
        if (outcome.failure()) {
            failures.add(new Failure(claim.run(), outcome.name(), a.ending().why()));
            int n = consecutiveFailures.incrementAndGet();
            if (options.maxFailures() > 0 && n >= options.maxFailures()) {
                finish(Plurals.count(n, "run") + " in a row failed; is the command broken? (see the output above; --max-failures 0 never stops)",
                        ExitCode.INTERNAL);
            }
        } else if (outcome == Attempt.Outcome.pruned) {
            consecutiveFailures.set(0); // it ran and logged epochs until early stopping ended it: the command works
        } else if (outcome == Attempt.Outcome.completed) {
            consecutiveFailures.set(0);
            String trouble = options.checkpoints() == null ? null : options.checkpoints().removeCompleted(claim.run());
            if (trouble != null) {
                console.note(trouble);
            }
        }
    }

    /** Restarts the embedded server if it died and reconnects; trouble stays for the next try. */
    private void reconnect() {
        try {
            runs.reconnect();
        } catch (RuntimeException e) {
            // still away
        }
    }

    /**
     * A run this worker claimed but could not start goes back to the queue at once (not when its
     * lease runs out), and the worker stops with exit 2: the next claim would fail the same way.
     */
    private void giveBack(Claim claim, String runMessage, String why) {
        try {
            runs.end(claim.run(), claim.token(), RunWrites.End.preempted, null, runMessage, null);
        } catch (RuntimeException e) {
            console.note(Attempt.tag(claim) + "could not give the run back (" + e.getMessage() + "); its lease will expire");
        }
        finish(why + " (the run went back to the queue)", ExitCode.USAGE);
    }

    /** Ends the worker after the runs in flight (the first reason wins). */
    private synchronized void finish(String reason, ExitCode code) {
        if (stopReason == null) {
            stopReason = reason;
            exit = code;
        }
    }

    /** What this worker did, once {@link #run} has returned (null before). */
    public Report report() {
        return report;
    }

    private Report report(Duration took) {
        String reason;
        String why;
        if (stop != Stop.none) {
            reason = "stopped_by_signal";
            why = "stopped by a signal";
        } else if (stopReason != null) {
            reason = "stopped";
            why = stopReason;
        } else if (sawNothingLeft) {
            reason = "nothing_left";
            why = "nothing left to run in " + options.experimentId();
        } else if (sawInFlight) {
            // This worker's part is done: the runs left are other workers'. Exiting 4 here made Slurm mark
            // the array task FAILED, and a Kubernetes Job count it against backoffLimit, in a sweep that succeeded.
            reason = "nothing_for_this_worker";
            why = "nothing left for this worker; the last runs are in flight elsewhere (--wait stays to take runs that come back)";
        } else {
            reason = "done";
            why = "done";
        }
        Map<String, Integer> outcomes = new java.util.LinkedHashMap<>();
        for (Map.Entry<Attempt.Outcome, AtomicInteger> e : tally.entrySet()) {
            if (e.getValue().get() > 0) {
                outcomes.put(e.getKey().name(), e.getValue().get());
            }
        }
        List<Failure> failed;
        synchronized (failures) {
            failed = List.copyOf(failures);
        }
        return new Report(reason, why, outcomes, failed, took.toSeconds());
    }

    private String summary(Report r) {
        List<String> counts = new ArrayList<>();
        r.outcomes().forEach((outcome, n) -> counts.add(n + " " + outcome.replace('_', ' ')));
        return "worker " + options.workerId() + " finished (" + r.message() + "): " + Plurals.count(r.runs(), "run")
                + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")") + " in " + Durations.format(Duration.ofSeconds(r.seconds()));
    }

    /** The runs that failed, by name (the first few), or null when none did. */
    private static String failedRuns(List<Failure> all) {
        if (all.isEmpty()) {
            return null;
        }
        List<String> named = new ArrayList<>();
        for (Failure f : all.subList(0, Math.min(FAILURES_NAMED, all.size()))) {
            named.add(f.run() + " (" + (f.status().equals("failed") ? "" : f.status() + ": ") + f.why() + ")");
        }
        return (all.size() == 1 ? "failed run: " : "failed runs: ") + String.join(", ", named)
                + (all.size() > FAILURES_NAMED ? " and " + (all.size() - FAILURES_NAMED) + " more" : "")
                + "; 'tracker show RUN' has each one's output";
    }

    /** Redraws the progress line every second: the experiment's runs done / total, this worker's runs, time left. */
    private Thread startProgress(long t0) {
        Thread t = new Thread(() -> {
            long firstDone = -1;
            long lastQuery = 0;
            Coordinator.Counts live = null;
            try {
                while (true) {
                    if (System.nanoTime() - lastQuery > 3_000_000_000L || live == null || countsChanged) {
                        countsChanged = false;
                        try {
                            live = runs.counts(options.experimentId()).orElse(null);
                        } catch (RuntimeException e) {
                            // a progress line is not worth an error; the next tick tries again
                        }
                        lastQuery = System.nanoTime();
                    }
                    if (live != null) {
                        long done = live.of("completed") + live.of("failed") + live.of("cancelled") + live.of("pruned");
                        if (firstDone < 0) {
                            firstDone = done;
                        }
                        console.progress(ProgressText.line(live.total(), done, done - firstDone,
                                Duration.ofNanos(System.nanoTime() - t0), running.values(), console.width()));
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // stopping
            }
        }, "tracker-run-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
