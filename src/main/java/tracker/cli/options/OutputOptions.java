package tracker.cli.options;

import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import tracker.TrackerException;

/** -o/--format and --no-color, for commands that print data. */
public final class OutputOptions {
    private static final String DESCRIPTION = "Output format: %s. json is always available and stable.";

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT",
            description = "Output format (each command takes those that fit its data; json is always available and stable).")
    public Format format;

    @Option(names = "--no-color", description = "No colour, even on a terminal (NO_COLOR does the same).")
    public boolean noColor;

    /** The chosen format, or the command's default when none was given; a format the command lacks is a usage error. */
    public Format choose(Formats formats) {
        Format f = format == null ? formats.fallback() : format;
        if (formats.accepted().contains(f)) {
            return f;
        }
        throw TrackerException.usage("this command does not print -o " + f, "use one of: " + formats.describe());
    }

    /** The same, for a command that names its formats inline: the first is the default. */
    public Format choose(Format fallback, Format... supported) {
        return choose(new Formats(java.util.stream.Stream.concat(java.util.stream.Stream.of(fallback),
                java.util.Arrays.stream(supported).filter(f -> f != fallback)).toList()));
    }

    public boolean json() {
        return format == Format.json;
    }

    /**
     * Narrows the {@code -o} option of {@code command} to the formats it prints, so that its help and
     * its completion list those and no others. The option is one picocli object per command (the
     * mixin is instantiated per command), so this changes nothing elsewhere.
     */
    public static void narrow(CommandSpec command, Formats formats) {
        OptionSpec o = command.findOption("--format");
        if (o == null) {
            return;
        }
        List<String> names = formats.accepted().stream().map(Enum::name).toList();
        OptionSpec narrowed = OptionSpec.builder(o)
                .description(String.format(DESCRIPTION, formats.describe()))
                .completionCandidates(names)
                .build();
        command.remove(o);
        command.addOption(narrowed);
    }
}
