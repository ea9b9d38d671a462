package tracker.remote;

import java.util.List;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * A failure answered by (or on the way to) {@code tracker serve}, as the command would have failed
 * locally: the exit code, message, details and hint of the server-side command's own error, plus
 * what that command had printed on stdout before it failed ({@code output}: e.g. {@code next}'s
 * {@code {"claimed": false, ...}}), and whether trying again later may help (the server or its
 * database unreachable), which a long-lived worker does for a while.
 */
public final class ServeException extends TrackerException {
    private final String output;
    private final boolean transientFailure;

    ServeException(ExitCode code, String message, List<String> details, String hint, String output, boolean transientFailure,
                   Throwable cause) {
        super(code, message, details, hint, cause);
        this.output = output;
        this.transientFailure = transientFailure;
    }

    /** What the command printed on stdout before it failed; empty when nothing. */
    public String output() {
        return output == null ? "" : output;
    }

    /** The server or its database could not be reached: a later try may succeed. */
    public boolean transientFailure() {
        return transientFailure;
    }
}
