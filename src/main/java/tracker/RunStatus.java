package tracker;

import java.util.List;
import java.util.stream.Stream;

/**
 * The statuses a run can have, in one place. Besides completed and cancelled, a finished run may
 * have failed in one of several named ways, as Slurm names a job's end: {@code failed} (the
 * command said so, or its attempts ran out), {@code timeout} (it ran past its time limit),
 * {@code out_of_memory} (the OOM killer ended it), {@code node_fail} (its machine went away; set
 * with {@code tracker end}). Every such kind counts as failed wherever runs are counted (the
 * matrix, progress, {@code list}, {@code status}) and is shown by name wherever a run is shown.
 *
 * <p>{@code pruned}: early stopping ended it between two epochs because it fell behind its cell's
 * other runs. It is finished (never resumed or retried), counted on its own, and never chosen as a
 * cell's best configuration; its last value is what a run list shows.
 */
public final class RunStatus {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";
    public static final String OUT_OF_MEMORY = "out_of_memory";
    public static final String NODE_FAIL = "node_fail";
    public static final String CANCELLED = "cancelled";
    public static final String PRUNED = "pruned";

    /** The kinds of failure, the plain one first. */
    public static final List<String> FAILURES = List.of(FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL);
    /** A finished run stays as it ended until it is requeued. */
    public static final List<String> FINISHED = Stream.of(Stream.of(COMPLETED), FAILURES.stream(), Stream.of(CANCELLED, PRUNED))
            .flatMap(s -> s).toList();
    /** Every status, in the order a run goes through them. */
    public static final List<String> ALL = Stream.concat(Stream.of(PENDING, RUNNING), FINISHED.stream()).toList();

    private RunStatus() {
    }

    public static boolean isFailure(String status) {
        return FAILURES.contains(status);
    }

    public static boolean isFinished(String status) {
        return FINISHED.contains(status);
    }
}
