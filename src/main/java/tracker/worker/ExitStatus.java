package tracker.worker;

import java.util.Map;

/** What a process exit status says, in words: "exit code 3", "killed by SIGKILL (exit code 137)". */
public final class ExitStatus {
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 6, "SIGABRT",
            8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM");

    private ExitStatus() {
    }

    public static String describe(int exitCode) {
        // Java reports a process killed by signal N as 128 + N, as shells do.
        if (exitCode > 128 && exitCode < 128 + 65) {
            int sig = exitCode - 128;
            return "killed by " + SIGNALS.getOrDefault(sig, "signal " + sig) + " (exit code " + exitCode + ")";
        }
        return "exit code " + exitCode;
    }
}
