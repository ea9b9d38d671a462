package tracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.AutoComplete;
import picocli.CommandLine;
import tracker.Tracker;

/**
 * Shell completion generated from the command model, so it can never disagree with the commands.
 * The build runs {@link #main} to refresh {@code completions/}; {@code tracker completion} prints
 * the same text.
 */
public final class CompletionScripts {
    private CompletionScripts() {
    }

    public static String bash() {
        CommandLine cmd = Tracker.commandLine(Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false);
        return AutoComplete.bash("tracker", cmd);
    }

    /** zsh runs the bash completion through its bashcompinit layer. */
    public static String zsh() {
        return "#compdef tracker\n"
                + "# zsh completion for tracker; load it with:  source <(tracker completion zsh)\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n\n"
                + bash();
    }

    /** Build step: writes tracker.bash and tracker.zsh into the given directory. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "completions");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tracker.bash"), bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tracker.zsh"), zsh(), StandardCharsets.UTF_8);
    }
}
