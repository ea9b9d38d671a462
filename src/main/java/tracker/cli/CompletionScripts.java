package tracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine;
import tracker.Tracker;
import tracker.cli.completion.BashCompletion;
import tracker.cli.completion.CompletionModel;
import tracker.cli.completion.ZshCompletion;

/**
 * Shell completion generated from the command model, so it can never disagree with the commands.
 * The build runs {@link #main} to refresh {@code completions/}; {@code tracker completion} prints
 * the same text.
 */
public final class CompletionScripts {
    private CompletionScripts() {
    }

    private static CompletionModel.Command model() {
        CommandLine cmd = Tracker.commandLine(Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false);
        return CompletionModel.of(cmd);
    }

    public static String bash() {
        return BashCompletion.script(model());
    }

    /** Native zsh: _arguments with every option's description, subcommands with theirs. */
    public static String zsh() {
        return ZshCompletion.script(model());
    }

    /** Build step: writes tracker.bash and tracker.zsh into the given directory. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "completions");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tracker.bash"), bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tracker.zsh"), zsh(), StandardCharsets.UTF_8);
    }
}
