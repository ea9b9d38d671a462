package tracker.cli.options;

import java.util.Arrays;
import java.util.stream.Collectors;

import picocli.CommandLine.Option;
import tracker.TrackerException;

/** -o/--format and --no-color, for commands that print data. */
public final class OutputOptions {
    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (each command takes those that fit its data; "
                    + "json is always available and stable).")
    public Format format;

    @Option(names = "--no-color", description = "No colour, even on a terminal (NO_COLOR does the same).")
    public boolean noColor;

    /** The chosen format, or {@code fallback} when none was given; a format the command lacks is a usage error. */
    public Format choose(Format fallback, Format... supported) {
        Format f = format == null ? fallback : format;
        if (Arrays.asList(supported).contains(f)) {
            return f;
        }
        throw TrackerException.usage("this command does not print -o " + f,
                "use one of: " + Arrays.stream(supported).map(Enum::name).collect(Collectors.joining(", ")));
    }

    public boolean json() {
        return format == Format.json;
    }
}
