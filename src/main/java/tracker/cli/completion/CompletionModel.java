package tracker.cli.completion;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What a shell needs to know to complete tracker's command line, read from picocli's model of the
 * commands (so a completion script cannot disagree with them): every visible command with a one-line
 * description, its options and positional parameters, and what each value is.
 */
public final class CompletionModel {
    private CompletionModel() {
    }

    /** What a value of an option or parameter is, and so what to offer for it. */
    public enum Kind {
        /** free text or a number: nothing to offer */
        TEXT,
        /** one of {@link Value#words()} */
        WORDS,
        /** a stored experiment's name, asked of tracker itself */
        EXPERIMENT,
        FILE,
        DIRECTORY,
        /** a program to run, then its arguments */
        COMMAND,
        /** one of the command's subcommands (for {@code help}) */
        SUBCOMMAND
    }

    public record Value(Kind kind, String label, List<String> words) {
    }

    /** An option; {@code value} is null for a flag. */
    public record Option(List<String> names, String description, Value value, boolean repeatable) {
    }

    /** A command: its words after {@code tracker} (empty for the root), options, parameters, subcommands. */
    public record Command(List<String> path, String description, List<Option> options, List<Value> positionals,
                          boolean positionalRepeats, List<Command> subcommands) {
        /** A name usable in a shell function's name: {@code server start} -> {@code server_start}. */
        public String id() {
            return String.join("_", path);
        }
    }

    public static Command of(CommandLine root) {
        return command(root, List.of());
    }

    private static Command command(CommandLine cmd, List<String> path) {
        CommandSpec spec = cmd.getCommandSpec();
        List<Option> options = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>(List.of(o.names()));
            if (o.negatable()) {
                for (String n : o.names()) {
                    if (n.startsWith("--")) {
                        names.add("--no-" + n.substring(2));
                    }
                }
            }
            boolean flag = o.arity().max() == 0 || o.typeInfo().isBoolean();
            options.add(new Option(names, firstSentence(o.description()), flag ? null : value(o, spec),
                    o.isMultiValue()));
        }
        List<Value> positionals = new ArrayList<>();
        boolean repeats = false;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                positionals.add(value(p, spec));
                repeats |= p.isMultiValue();
            }
        }
        List<Command> subcommands = new ArrayList<>();
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && name.equals(sub.getCommandName())) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                subcommands.add(command(sub, p));
            }
        });
        return new Command(path, description(spec), options, positionals, repeats, subcommands);
    }

    private static Value value(ArgSpec a, CommandSpec owner) {
        String label = a.paramLabel().replaceAll("[<>]", "");
        if (a instanceof OptionSpec o && List.of(o.names()).contains("--experiment") || label.startsWith("EXPERIMENT")) {
            return new Value(Kind.EXPERIMENT, label, List.of());
        }
        if (owner.helpCommand() && a.isPositional()) {
            return new Value(Kind.SUBCOMMAND, label, List.of());
        }
        if (a.completionCandidates() != null) {
            List<String> words = new ArrayList<>();
            a.completionCandidates().forEach(words::add);
            return new Value(Kind.WORDS, label, words);
        }
        Class<?> type = a.typeInfo().getType();
        if (type == Path.class || type == File.class) {
            return new Value(label.equals("DIR") ? Kind.DIRECTORY : Kind.FILE, label, List.of());
        }
        if (a.isPositional() && label.equals("CMD")) {
            return new Value(Kind.COMMAND, label, List.of());
        }
        return new Value(Kind.TEXT, label, List.of());
    }

    private static String description(CommandSpec spec) {
        String[] d = spec.usageMessage().header(); // a one-line summary where the command has one (help)
        if (d.length == 0) {
            d = spec.usageMessage().description();
        }
        return firstSentence(d);
    }

    /**
     * The first sentence of a description: what fits on a completion menu's line. A sentence ends
     * at a full stop before a capital letter (so "e.g. x" does not end one), outside parentheses.
     */
    static String firstSentence(String[] lines) {
        if (lines == null || lines.length == 0) {
            return "";
        }
        String text = lines[0].strip();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == '.' && depth == 0 && i + 2 < text.length() && text.charAt(i + 1) == ' '
                    && Character.isUpperCase(text.charAt(i + 2))) {
                return text.substring(0, i);
            }
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
