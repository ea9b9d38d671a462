package tracker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tracker.ExitCode;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script.",
                "bash:  source <(tracker completion bash)   (or copy it into /etc/bash_completion.d/)",
                "zsh:   source <(tracker completion zsh)    (in ~/.zshrc)"})
public final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        Cli cli = Cli.of(spec);
        cli.out().print(shell == Shell.bash ? CompletionScripts.bash() : CompletionScripts.zsh());
        cli.out().flush();
        return ExitCode.OK.code;
    }
}
