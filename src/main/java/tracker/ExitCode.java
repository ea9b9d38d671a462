package tracker;

/**
 * The one exit-code table of tracker (PRODUCT.md). Every command returns one of these; shell
 * scripts around training jobs branch on them, so the numbers never change meaning.
 */
public enum ExitCode {
    OK(0, "done (for next: a run was claimed)"),
    INTERNAL(1, "unexpected internal error"),
    USAGE(2, "usage error (unknown option, missing argument)"),
    NOTHING_LEFT(3, "next: nothing left to run in this experiment - stop the worker"),
    NOTHING_NOW(4, "next: nothing claimable now, runs still in flight - wait and retry"),
    UNREACHABLE(5, "cannot reach or authenticate to the database"),
    LEASE_LOST(6, "lease lost: the run was reclaimed by another worker; nothing written"),
    NOT_FOUND(7, "not found (experiment, run)"),
    CONFLICT(8, "conflict (same name with another definition; an incompatible end)"),
    INVALID(9, "invalid input (definition, metric line, parameter) - the message says where"),
    PRUNED(10, "log: the epoch is recorded and early stopping ended the run (pruned) - stop training it; the reason is on stderr"),
    NEWER_DATABASE(11, "the database was written by a newer tracker: nothing was written - upgrade tracker (reading still works)"),
    INTERRUPTED(130, "run: stopped by SIGINT; its runs in flight went back to the queue (preempted)"),
    TERMINATED(143, "run: stopped by SIGTERM; its runs in flight went back to the queue (preempted)");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The exit code with this number (a process's, or one an API reply carries), or null when tracker has none. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
