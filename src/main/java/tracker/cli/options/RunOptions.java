package tracker.cli.options;

import picocli.CommandLine.Option;
import tracker.TrackerException;

/** Which run a worker writes about: --run/--token, or TRACKER_RUN/TRACKER_TOKEN as 'next -o env' exports them. */
public final class RunOptions {
    @Option(names = "--run", paramLabel = "RUN", description = "The run's id (default: $TRACKER_RUN).")
    public String run;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The claim's fencing token (default: $TRACKER_TOKEN).")
    public String token;

    public String run(java.util.Map<String, String> env) {
        String r = run != null ? run : env.get("TRACKER_RUN");
        if (r == null || r.isBlank()) {
            throw TrackerException.usage("which run? give --run or set TRACKER_RUN", "eval \"$(tracker next -o env)\" sets it");
        }
        return r;
    }

    public String token(java.util.Map<String, String> env) {
        String t = token != null ? token : env.get("TRACKER_TOKEN");
        if (t == null || t.isBlank()) {
            throw TrackerException.usage("no token: give --token or set TRACKER_TOKEN", "eval \"$(tracker next -o env)\" sets it");
        }
        return t;
    }
}
