package tracker.cli;

import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import tracker.Tracker;

/** What every command needs from the invocation: the environment, stdout, stderr, -v. */
public record Cli(Map<String, String> env, PrintWriter out, PrintWriter err, boolean verbose, Hosted hosted) {

    public static Cli of(CommandSpec spec) {
        Tracker root = (Tracker) spec.root().userObject();
        return new Cli(root.env(), spec.commandLine().getOut(), spec.commandLine().getErr(),
                root.diagnostics() != null && root.diagnostics().verbose, root.hosted());
    }

    /** Standard input: the process's, or the request body of a command hosted by tracker serve. */
    public java.io.InputStream in() {
        return hosted != null ? hosted.stdin() : System.in;
    }

    /** A message for the user: stderr, never stdout (stdout is data, e.g. for eval). */
    public void note(String message) {
        err.println("tracker: " + message);
        err.flush();
    }

    public void verbose(String message) {
        if (verbose) {
            note(message);
        }
    }
}
