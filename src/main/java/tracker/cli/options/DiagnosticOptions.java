package tracker.cli.options;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** -v and -x, accepted by every command (inherited from the root). */
public final class DiagnosticOptions {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Say more on stderr (which database and experiment, and where each came from; timings).")
    public boolean verbose;

    @Option(names = {"-x", "--stacktrace"}, scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    public boolean stacktrace;
}
