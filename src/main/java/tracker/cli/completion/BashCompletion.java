package tracker.cli.completion;

import java.util.ArrayList;
import java.util.List;

import tracker.cli.completion.CompletionModel.Command;
import tracker.cli.completion.CompletionModel.Option;
import tracker.cli.completion.CompletionModel.Value;

/**
 * The bash completion script: a table of each command's subcommands and options, generated from
 * the command model, and one small fixed function that walks the words typed so far through it.
 */
public final class BashCompletion {
    private BashCompletion() {
    }

    private static final String HEAD = """
            # bash completion for tracker, generated from its commands ('tracker completion bash'); do not edit.
            # Load it with:  source <(tracker completion bash)   (or copy it to /etc/bash_completion.d/tracker)

            # The names of stored experiments, asked of the same tracker: quietly, and for at most
            # TRACKER_COMPLETION_TIMEOUT seconds (default 5), so a database that is away never hangs the shell.
            _tracker_experiments() {
                local t="${TRACKER_COMPLETION_TIMEOUT:-5}"
                if command -v timeout >/dev/null 2>&1; then
                    TRACKER_CONNECT_TIMEOUT="${t}s" timeout "$t" "$1" list -o names 2>/dev/null </dev/null
                else
                    TRACKER_CONNECT_TIMEOUT="${t}s" "$1" list -o names 2>/dev/null </dev/null
                fi
            }

            # Offers what _tracker_value said a word is: words LIST, experiment, file, dir, command, text.
            _tracker_offer() {
                local IFS=$'\\n'
                case "$1" in
                    words\\ *) local list="${1#words }"; COMPREPLY=($(compgen -W "${list// /$'\\n'}" -- "$cur")) ;;
                    experiment) COMPREPLY=($(compgen -W "$(_tracker_experiments "${COMP_WORDS[0]}")" -- "$cur")) ;;
                    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
                    dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
                    command) COMPREPLY=($(compgen -c -- "$cur")) ;;
                    *) COMPREPLY=() ;;
                esac
            }

            _tracker() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                local id="" subs opts valued w i npos=0 rest=0
                if [[ $prev == = && $COMP_CWORD -gt 1 ]]; then   # --view=ma: bash splits at the =
                    prev="${COMP_WORDS[COMP_CWORD-2]}"
                fi
                if [[ $cur == = ]]; then
                    cur=""
                fi
                _tracker_spec ""
                for ((i = 1; i < COMP_CWORD; i++)); do
                    w="${COMP_WORDS[i]}"
                    if ((rest)); then
                        npos=$((npos + 1))
                    elif [[ $w == -- ]]; then
                        rest=1
                    elif [[ " $valued " == *" $w "* ]]; then
                        ((i++))
                        [[ ${COMP_WORDS[i]} == = ]] && ((i++))
                    elif [[ $w == -* || $w == = ]]; then
                        :
                    elif [[ " $subs " == *" $w "* ]]; then
                        id="${id:+${id}_}$w"
                        _tracker_spec "$id"
                        npos=0
                    else
                        npos=$((npos + 1))
                    fi
                done
                if ((!rest)) && [[ " $valued " == *" $prev "* ]]; then
                    _tracker_offer "$(_tracker_value "$id" "$prev")"
                elif ((!rest)) && [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
                elif [[ -n $subs ]]; then
                    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
                else
                    _tracker_offer "$(_tracker_value "$id" "#$npos")"
                fi
            }

            """;

    public static String script(Command root) {
        List<Command> all = new ArrayList<>();
        collect(root, all);
        StringBuilder spec = new StringBuilder("""
                # Per command (words joined by _): its subcommands, its options, the options that take a value.
                _tracker_spec() {
                    case "$1" in
                """);
        StringBuilder value = new StringBuilder("""
                # What a word is: $1 the command, $2 the option before it, or #N for the Nth parameter.
                _tracker_value() {
                    case "$1 $2" in
                """);
        for (Command c : all) {
            List<String> opts = new ArrayList<>();
            List<String> valued = new ArrayList<>();
            for (Option o : c.options()) {
                opts.addAll(o.names());
                if (o.value() != null) {
                    valued.addAll(o.names());
                    String kind = kind(o.value(), root);
                    if (kind != null) {
                        value.append("        ").append(String.join("|", o.names().stream().map(n -> "\"" + c.id() + " " + n + "\"").toList()))
                                .append(") echo \"").append(kind).append("\" ;;\n");
                    }
                }
            }
            List<String> subs = c.subcommands().stream().map(s -> s.path().get(s.path().size() - 1)).toList();
            spec.append("        \"").append(c.id()).append("\") subs=\"").append(String.join(" ", subs))
                    .append("\"; opts=\"").append(String.join(" ", opts)).append("\"; valued=\"")
                    .append(String.join(" ", valued)).append("\" ;;\n");
            for (int i = 0; i < c.positionals().size(); i++) {
                String kind = kind(c.positionals().get(i), root);
                boolean last = i == c.positionals().size() - 1;
                if (kind == null) {
                    continue;
                }
                String pattern = "\"" + c.id() + " #" + i + "\"";
                if (last && c.positionalRepeats()) {
                    pattern = "\"" + c.id() + " #\"*";
                    if (c.positionals().get(i).kind() == CompletionModel.Kind.COMMAND) {
                        value.append("        \"").append(c.id()).append(" #0\") echo command ;;\n");
                        kind = "file"; // the command's own arguments
                    }
                }
                value.append("        ").append(pattern).append(") echo \"").append(kind).append("\" ;;\n");
            }
        }
        spec.append("    esac\n}\n\n");
        value.append("    esac\n}\n\n");
        return HEAD + spec + value + "complete -F _tracker tracker\n";
    }

    private static void collect(Command c, List<Command> out) {
        out.add(c);
        c.subcommands().forEach(s -> collect(s, out));
    }

    /** The word _tracker_offer acts on; null for free text (nothing to offer). */
    private static String kind(Value v, Command root) {
        return switch (v.kind()) {
            case WORDS -> "words " + String.join(" ", v.words());
            case EXPERIMENT -> "experiment";
            case FILE -> "file";
            case DIRECTORY -> "dir";
            case COMMAND -> "command";
            case SUBCOMMAND -> "words " + String.join(" ", root.subcommands().stream().map(s -> s.path().get(0)).toList());
            case TEXT -> null;
        };
    }
}
