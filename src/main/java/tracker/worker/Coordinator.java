package tracker.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tracker.plan.EarlyStopper;
import tracker.protocol.TrainerLine;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.RunWrites;

/**
 * What a worker ({@link Worker}, {@link Attempt}) needs of the place runs are kept, and nothing
 * more: claim a run, write about it (fenced by its token), end it, and count an experiment's runs
 * for the progress line. Two of them: the database itself ({@link DatabaseCoordinator}) and
 * {@code tracker serve} over HTTP ({@code tracker.remote.ServeCoordinator}), so {@code tracker run}
 * behaves the same either way. Failures are {@link tracker.TrackerException}s with the CLI's exit
 * codes (6: lease lost, 7: not found, 8: conflict, 5: away); {@link #isTransient} tells which of
 * them a later try may cure.
 */
public interface Coordinator {
    /** Where the runs are, for messages ("MongoDB at host:port", "tracker serve at host:port"). */
    String where();

    /** An experiment's runs by status, for the worker's first line and its progress line. */
    record Counts(String experimentId, long total, Map<String, Long> byStatus) {
        public long of(String status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    /** The experiment's counts now; empty when it is gone (or cannot be read just now). */
    Optional<Counts> counts(String experimentId);

    ClaimOutcome claim(String experimentId, Claims.Filter filter, String worker, Duration lease, Map<String, Object> provenance);

    /** The run's command started: its argument vector and process id; renews the lease. */
    void started(String run, String token, List<String> argv, long pid);

    /**
     * One batch of trainer lines (values, checkpoint, artifacts, notes, tags); renews the lease.
     *
     * @return early stopping's verdict on the batch (when it says stop, the run has been ended
     *         pruned already), or null when no epoch of it was judged
     */
    EarlyStopper.Verdict log(String run, String token, List<TrainerLine> lines);

    void heartbeat(String run, String token);

    /** Ends the run; {@code output} is what its command printed last ({@link OutputTail#toMap}), or null. */
    void end(String run, String token, RunWrites.End how, Integer exitCode, String message, Map<String, Object> output);

    /** Whether a later try may succeed (a server restarting, a replica set electing a primary, tracker serve away). */
    boolean isTransient(RuntimeException e);

    /** The failure in one line, as the CLI would say it. */
    String describe(RuntimeException e);

    /** Tries to reach the runs again after a transient failure (restarting the embedded server if it died). */
    void reconnect();
}
