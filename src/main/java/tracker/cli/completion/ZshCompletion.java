package tracker.cli.completion;

import java.util.ArrayList;
import java.util.List;

import tracker.cli.completion.CompletionModel.Command;
import tracker.cli.completion.CompletionModel.Option;
import tracker.cli.completion.CompletionModel.Value;

/**
 * The native zsh completion script: one function per command, each an {@code _arguments} call with
 * the options' descriptions, subcommands offered with theirs through {@code _describe}. Loads
 * either from {@code fpath} (autoloaded as {@code _tracker}) or by {@code source} after compinit.
 */
public final class ZshCompletion {
    private ZshCompletion() {
    }

    /** Longer descriptions are cut: a completion menu shows one line per option. */
    static final int MAX_DESCRIPTION = 90;

    private static final String HEAD = """
            #compdef tracker
            # zsh completion for tracker, generated from its commands ('tracker completion zsh'); do not edit.
            # Load it with:  source <(tracker completion zsh)   (in ~/.zshrc, after compinit), or save it as
            # _tracker in a directory of your $fpath.

            # The names of stored experiments, asked of the same tracker: quietly, and for at most
            # TRACKER_COMPLETION_TIMEOUT seconds (default 5), so a database that is away never hangs the shell.
            _tracker_experiments() {
                local t=${TRACKER_COMPLETION_TIMEOUT:-5} expl
                local program=${~_tracker_program:-tracker}
                local -a names
                if (( $+commands[timeout] )); then
                    names=(${(f)"$(TRACKER_CONNECT_TIMEOUT=${t}s timeout $t $program list -o names 2>/dev/null </dev/null)"})
                else
                    names=(${(f)"$(TRACKER_CONNECT_TIMEOUT=${t}s $program list -o names 2>/dev/null </dev/null)"})
                fi
                _wanted experiments expl 'experiment' compadd -a names
            }

            """;

    private static final String TAIL = """
            if [ "$funcstack[1]" = "_tracker" ]; then
                _tracker "$@"
            else
                compdef _tracker tracker
            fi
            """;

    public static String script(Command root) {
        StringBuilder sb = new StringBuilder(HEAD);
        function(root, root, sb);
        return sb + TAIL;
    }

    private static String name(Command c) {
        return c.path().isEmpty() ? "_tracker" : "_tracker_" + c.id();
    }

    private static void function(Command c, Command root, StringBuilder sb) {
        sb.append(name(c)).append("() {\n");
        if (c.path().isEmpty()) {
            sb.append("    local _tracker_program=$words[1]  # the tracker that asks for experiment names\n");
        }
        boolean hasSubs = !c.subcommands().isEmpty();
        if (hasSubs) {
            sb.append("    local curcontext=\"$curcontext\" state line\n");
            sb.append("    typeset -A opt_args\n");
        }
        List<String> specs = new ArrayList<>();
        for (Option o : c.options()) {
            specs.add(option(o, root));
        }
        if (hasSubs) {
            specs.add("'1: :->command'");
            specs.add("'*:: :->args'");
        } else {
            for (int i = 0; i < c.positionals().size(); i++) {
                Value v = c.positionals().get(i);
                boolean rest = i == c.positionals().size() - 1 && c.positionalRepeats();
                if (rest && v.kind() == CompletionModel.Kind.COMMAND) {
                    specs.add("'*::" + escape(v.label()) + ":_normal'");
                } else {
                    specs.add("'" + (rest ? "*" : String.valueOf(i + 1)) + ":" + escape(v.label()) + ":" + action(v, root) + "'");
                }
            }
        }
        sb.append("    _arguments -s -S").append(hasSubs ? " -C" : "");
        for (String s : specs) {
            sb.append(" \\\n        ").append(s);
        }
        sb.append(hasSubs ? " && return\n" : "\n");
        if (hasSubs) {
            sb.append("    case $state in\n");
            sb.append("        command)\n");
            sb.append("            local -a subcommands=(\n");
            for (Command s : c.subcommands()) {
                sb.append("                '").append(escape(last(s))).append(":").append(quote(cap(s.description()).replace(":", "\\:"))).append("'\n");
            }
            sb.append("            )\n");
            sb.append("            _describe -t commands '").append(c.path().isEmpty() ? "tracker" : "tracker " + String.join(" ", c.path()))
                    .append(" command' subcommands\n");
            sb.append("            ;;\n");
            sb.append("        args)\n");
            sb.append("            curcontext=\"${curcontext%:*:*}:tracker-$words[1]:\"\n");
            sb.append("            case $words[1] in\n");
            for (Command s : c.subcommands()) {
                sb.append("                ").append(last(s)).append(") ").append(name(s)).append(" ;;\n");
            }
            sb.append("            esac\n");
            sb.append("            ;;\n");
            sb.append("    esac\n");
        }
        sb.append("}\n\n");
        for (Command s : c.subcommands()) {
            function(s, root, sb);
        }
    }

    private static String last(Command c) {
        return c.path().get(c.path().size() - 1);
    }

    private static String option(Option o, Command root) {
        String description = "[" + bracket(o.description()) + "]";
        String value = o.value() == null ? "" : ":" + escape(o.value().label()) + ":" + action(o.value(), root);
        String names = o.names().size() == 1 ? o.names().get(0) : "{" + String.join(",", o.names()) + "}";
        if (o.repeatable()) {
            return "'*'" + names + "'" + description + value + "'";
        }
        if (o.names().size() == 1) {
            return "'" + names + description + value + "'";
        }
        return "'(" + String.join(" ", o.names()) + ")'" + names + "'" + description + value + "'";
    }

    private static String action(Value v, Command root) {
        return switch (v.kind()) {
            case WORDS -> "(" + String.join(" ", v.words()) + ")";
            case EXPERIMENT -> "_tracker_experiments";
            case FILE -> "_files";
            case DIRECTORY -> "_files -/";
            case COMMAND -> "_command_names -e";
            case SUBCOMMAND -> "(" + String.join(" ", root.subcommands().stream().map(ZshCompletion::last).toList()) + ")";
            case TEXT -> " ";
        };
    }

    /** For text inside a single-quoted word. */
    private static String quote(String text) {
        return text.replace("'", "'\\''");
    }

    /** A description inside [...] of an _arguments spec, itself inside single quotes. */
    private static String bracket(String text) {
        return quote(cap(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]"));
    }

    /** At most {@link #MAX_DESCRIPTION} characters, cut at a word. */
    static String cap(String text) {
        if (text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        int cut = text.lastIndexOf(' ', MAX_DESCRIPTION - 1);
        return text.substring(0, cut > MAX_DESCRIPTION / 2 ? cut : MAX_DESCRIPTION - 1).replaceAll("[ ,;:(]+$", "") + "…";
    }

    /** A message or name in an _arguments spec or _describe entry, where ':' separates fields. */
    private static String escape(String text) {
        return quote(text.replace("\\", "\\\\").replace(":", "\\:"));
    }
}
