package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import tracker.ExitCode;
import tracker.Tracker;
import tracker.TrackerException;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.store.StoreErrors;
import tracker.util.Suggestions;

/**
 * The one place that turns failures into output: {@code tracker: error: <what>; hint: <what to do>}
 * on one stderr line (a JSON object under {@code -o json}), a stack trace only with {@code -x},
 * and the exit code from the table.
 */
public final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String hint = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
        String near = nearMiss(ex);
        if (near != null) {
            hint = "did you mean '" + near + "'? " + hint;
        }
        report(cmd, ExitCode.USAGE, ex.getMessage(), hint, ex, wantsJson(cmd));
        return ExitCode.USAGE.code;
    }

    /**
     * What the user most likely meant: the closest option of this very command (--veiw: --view,
     * --wiat: --wait), subcommand (reprot: report) or value of an option that takes a fixed set
     * (--status complete: completed). Ours rather than picocli's suggestions, which miss
     * transpositions (--veiw gave --version) and offer options of no use here.
     */
    static String nearMiss(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof UnmatchedArgumentException u) {
            if (u.getUnmatched().isEmpty()) {
                return null;
            }
            String word = u.getUnmatched().get(0);
            if (word.startsWith("-")) {
                word = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                if (!word.startsWith("--")) {
                    return null; // -q: one letter off from every short option, a guess would be noise
                }
                List<String> options = new ArrayList<>();
                spec.options().forEach(o -> options.addAll(Arrays.asList(o.names())));
                return Suggestions.closest(word, options.stream().filter(n -> n.startsWith("--")).toList());
            }
            return spec.subcommands().isEmpty() ? null : Suggestions.closest(word, spec.subcommands().keySet());
        }
        ArgSpec arg = ex.getArgSpec();
        if (arg == null || ex.getValue() == null || arg.completionCandidates() == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        arg.completionCandidates().forEach(values::add);
        String[] given = arg.splitRegex().isEmpty() ? new String[] {ex.getValue()} : ex.getValue().split(arg.splitRegex());
        for (String value : given) {
            if (!values.contains(value)) {
                return Suggestions.closest(value, values);
            }
        }
        return null;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        boolean json = wantsJson(cmd);
        TrackerException t = ex instanceof TrackerException te ? te
                : ex instanceof RuntimeException re ? StoreErrors.translate(re, "the database") : null;
        if (t != null) {
            if (!t.details().isEmpty()) {
                reportAll(cmd, t, json);
            } else {
                report(cmd, t.exitCode(), t.getMessage(), t.hint(), ex, json);
            }
            return t.exitCode().code;
        }
        report(cmd, ExitCode.INTERNAL, "internal error: " + ex, "run with -x for the stack trace, and please report it",
                ex, json);
        return ExitCode.INTERNAL.code;
    }

    private static void report(CommandLine cmd, ExitCode code, String message, String hint, Throwable ex, boolean json) {
        PrintWriter err = cmd.getErr();
        if (stacktrace(cmd)) {
            ex.printStackTrace(err);
        }
        String oneLine = message == null ? ex.getClass().getSimpleName() : message.replace('\n', ' ');
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", code.code);
            body.put("kind", code.name().toLowerCase());
            body.put("message", oneLine);
            if (hint != null) {
                body.put("hint", hint);
            }
            err.println(JsonWriter.write(Map.of("error", body)));
        } else {
            err.println("tracker: error: " + oneLine + (hint == null ? "" : "; hint: " + hint));
        }
        err.flush();
    }

    /** A failure with details: the message, the details indented, the hint once at the end. */
    private static void reportAll(CommandLine cmd, TrackerException t, boolean json) {
        PrintWriter err = cmd.getErr();
        if (stacktrace(cmd)) {
            t.printStackTrace(err);
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", t.exitCode().code);
            body.put("kind", t.exitCode().name().toLowerCase());
            body.put("message", t.getMessage());
            body.put("details", t.details());
            if (t.hint() != null) {
                body.put("hint", t.hint());
            }
            err.println(JsonWriter.write(Map.of("error", body)));
        } else {
            err.println("tracker: error: " + t.getMessage());
            for (String line : t.details()) {
                err.println("  " + line.replace('\n', ' '));
            }
            if (t.hint() != null) {
                err.println("tracker: hint: " + t.hint());
            }
        }
        err.flush();
    }

    private static boolean stacktrace(CommandLine cmd) {
        Object root = cmd.getCommandSpec().root().userObject();
        return root instanceof Tracker t && t.diagnostics() != null && t.diagnostics().stacktrace;
    }

    /** Errors are JSON when the failing command was asked for -o json. */
    private static boolean wantsJson(CommandLine cmd) {
        if (cmd.getCommandSpec().root().userObject() instanceof Tracker t && t.hosted() != null) {
            return true; // tracker serve: the error is the HTTP response's body
        }
        CommandSpec mixin = cmd.getCommandSpec().mixins().get("output");
        return mixin != null && mixin.userObject() instanceof OutputOptions o && o.json();
    }
}
