package tracker;

/**
 * The one exception type that core code throws on purpose: an exit code, a one-line message and,
 * where there is one, a hint saying what to do next. The CLI prints it as
 * {@code tracker: error: <message>} plus the hint; only {@code -x} adds a stack trace.
 */
public class TrackerException extends RuntimeException {
    private final ExitCode exitCode;
    private final String hint;
    private final java.util.List<String> details;

    public TrackerException(ExitCode exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public TrackerException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public TrackerException(ExitCode exitCode, String message, String hint, Throwable cause) {
        this(exitCode, message, java.util.List.of(), hint, cause);
    }

    /** A failure with further lines (all problems of a file, a diff), printed indented under the message. */
    public TrackerException(ExitCode exitCode, String message, java.util.List<String> details, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
        this.details = java.util.List.copyOf(details);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Further lines of the same failure (every error in a definition file, a diff); may be empty. */
    public java.util.List<String> details() {
        return details;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    public static TrackerException usage(String message, String hint) {
        return new TrackerException(ExitCode.USAGE, message, hint);
    }

    public static TrackerException invalid(String message, String hint) {
        return new TrackerException(ExitCode.INVALID, message, hint);
    }
}
