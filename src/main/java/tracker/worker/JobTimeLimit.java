package tracker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The end of the batch job a worker runs in, when the scheduler says it: Slurm exports
 * {@code SLURM_JOB_END_TIME} (seconds since the epoch) to the job's processes. A stop signal that
 * comes close to that end - Slurm sends SIGTERM at the time limit, or earlier with
 * {@code --signal=TERM@SECONDS} - is the time limit, and the preempted runs say so in their
 * history. They are still preempted, not ended {@code timeout}: the run did not overrun anything
 * of its own, and the next job resumes it from its checkpoint ({@code timeout} is a run's own
 * {@code --time-limit}).
 */
public record JobTimeLimit(Instant end, String source) {
    /** How close to the job's end a stop signal counts as its time limit (covers --signal=TERM@ up to 10 minutes). */
    static final Duration NEAR = Duration.ofMinutes(10);

    /** The job's end from the environment, or null when no scheduler says one. */
    public static JobTimeLimit fromEnvironment(Map<String, String> env) {
        String slurm = env.get("SLURM_JOB_END_TIME");
        if (slurm != null && slurm.strip().matches("\\d{1,12}")) {
            return new JobTimeLimit(Instant.ofEpochSecond(Long.parseLong(slurm.strip())), "SLURM_JOB_END_TIME");
        }
        return null;
    }

    /** Whether a stop at {@code now} is the job's time limit. */
    public boolean reachedAt(Instant now) {
        return !now.isBefore(end.minus(NEAR));
    }
}
