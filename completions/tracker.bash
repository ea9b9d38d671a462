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
    local IFS=$'\n'
    case "$1" in
        words\ *) local list="${1#words }"; COMPREPLY=($(compgen -W "${list// /$'\n'}" -- "$cur")) ;;
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

# Per command (words joined by _): its subcommands, its options, the options that take a value.
_tracker_spec() {
    case "$1" in
        "") subs="create list show next log heartbeat end status requeue cancel priority archive unarchive delete gc run report export ping server serve keys completion help"; opts="-v --verbose -x --stacktrace -h --help -V --version"; valued="" ;;
        "create") subs=""; opts="--uri --database --url --no-color --extend --new-version --dry-run --set --origins -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url --set -o --format" ;;
        "list") subs=""; opts="--uri --database --url --no-color --tag --sort --archived --all -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url --tag --sort -o --format" ;;
        "show") subs=""; opts="--uri --database --url --no-color --origins -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -o --format" ;;
        "next") subs=""; opts="--uri --database --url --no-color -e --experiment --model --dataset --worker --lease --wait -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --model --dataset --worker --lease --wait -o --format" ;;
        "log") subs=""; opts="--uri --database --url --no-color --run --token --epoch --step --progress --stdin --artifact --checkpoint --init-from --note --tag -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url --run --token --epoch --step --progress --artifact --checkpoint --init-from --note --tag -o --format" ;;
        "heartbeat") subs=""; opts="--uri --database --url --run --token -h --help -V --version -v --verbose -x --stacktrace"; valued="--uri --database --url --run --token" ;;
        "end") subs=""; opts="--uri --database --url --no-color --run --token --status --exit-code -m --message -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url --run --token --status --exit-code -m --message -o --format" ;;
        "status") subs=""; opts="--uri --database --url --no-color -e --experiment --repair -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment -o --format" ;;
        "requeue") subs=""; opts="--uri --database --url --no-color -e --experiment --model --dataset --run --status -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --model --dataset --run --status -o --format" ;;
        "cancel") subs=""; opts="--uri --database --url --no-color -e --experiment --model --dataset --run --running -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --model --dataset --run -o --format" ;;
        "priority") subs=""; opts="--uri --database --url --no-color -e --experiment --model --dataset --run -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --model --dataset --run -o --format" ;;
        "archive") subs=""; opts="--uri --database --url --no-color -e --experiment --force -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment -o --format" ;;
        "unarchive") subs=""; opts="--uri --database --url --no-color -e --experiment -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment -o --format" ;;
        "delete") subs=""; opts="--uri --database --url --no-color -e --experiment -y --yes --force -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment -o --format" ;;
        "gc") subs=""; opts="--uri --database --url --no-color -n --dry-run -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -o --format" ;;
        "run") subs=""; opts="--uri --database --url --no-color -e --experiment --model --dataset -j --parallel -n --max-runs --wait --max-failures --grace --time-limit --heartbeat --lease --checkpoint-dir --keep-checkpoints --patience --worker --progress --no-progress -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --model --dataset -j --parallel -n --max-runs --max-failures --grace --time-limit --heartbeat --lease --checkpoint-dir --patience --worker -o --format" ;;
        "report") subs=""; opts="--uri --database --url --no-color -e --experiment --metric --epoch --view --diff --dataset --model --agg --alpha --all-pairs --top --per-cell --overall --where --sort --limit --offset --width --watch -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --metric --epoch --view --dataset --model --agg --alpha --top --where --sort --limit --offset --width --watch -o --format" ;;
        "export") subs=""; opts="--uri --database --url --no-color -e --experiment --epochs --wide --steps --metric --epoch -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -e --experiment --metric --epoch -o --format" ;;
        "ping") subs=""; opts="--uri --database --url --no-color -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -o --format" ;;
        "server") subs="start stop status"; opts="-h --help -V --version -v --verbose -x --stacktrace"; valued="" ;;
        "server_start") subs=""; opts="--no-color --foreground --port --idle-timeout --bind --allow-remote -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--port --idle-timeout --bind -o --format" ;;
        "server_stop") subs=""; opts="--timeout -h --help -V --version -v --verbose -x --stacktrace"; valued="--timeout" ;;
        "server_status") subs=""; opts="--no-color --show-uri -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="-o --format" ;;
        "serve") subs=""; opts="--uri --database --url --bind --port --tls-keystore --tls-password-file --insecure-http --threads --quiet -h --help -V --version -v --verbose -x --stacktrace"; valued="--uri --database --url --bind --port --tls-keystore --tls-password-file --threads" ;;
        "keys") subs="create list revoke"; opts="-h --help -V --version -v --verbose -x --stacktrace"; valued="" ;;
        "keys_create") subs=""; opts="--uri --database --url --no-color --role -e --experiment --expires --label -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url --role -e --experiment --expires --label -o --format" ;;
        "keys_list") subs=""; opts="--uri --database --url --no-color -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -o --format" ;;
        "keys_revoke") subs=""; opts="--uri --database --url --no-color -h --help -V --version -v --verbose -x --stacktrace -o --format"; valued="--uri --database --url -o --format" ;;
        "completion") subs=""; opts="-h --help -V --version -v --verbose -x --stacktrace"; valued="" ;;
        "help") subs=""; opts="-h --help -v --verbose -x --stacktrace"; valued="" ;;
    esac
}

# What a word is: $1 the command, $2 the option before it, or #N for the Nth parameter.
_tracker_value() {
    case "$1 $2" in
        "create -o"|"create --format") echo "words table json yaml" ;;
        "create #0") echo "file" ;;
        "list --sort") echo "words name created activity" ;;
        "list -o"|"list --format") echo "words table json names" ;;
        "show -o"|"show --format") echo "words table json yaml svg" ;;
        "show #0") echo "experiment" ;;
        "next -e"|"next --experiment") echo "experiment" ;;
        "next -o"|"next --format") echo "words json env args yaml" ;;
        "log -o"|"log --format") echo "words text json" ;;
        "end --status") echo "words completed failed timeout out_of_memory node_fail cancelled pruned preempted" ;;
        "end -o"|"end --format") echo "words text json" ;;
        "status -e"|"status --experiment") echo "experiment" ;;
        "status -o"|"status --format") echo "words table json" ;;
        "requeue -e"|"requeue --experiment") echo "experiment" ;;
        "requeue --status") echo "words failed timeout out_of_memory node_fail cancelled pruned" ;;
        "requeue -o"|"requeue --format") echo "words text json" ;;
        "cancel -e"|"cancel --experiment") echo "experiment" ;;
        "cancel -o"|"cancel --format") echo "words text json" ;;
        "priority -e"|"priority --experiment") echo "experiment" ;;
        "priority -o"|"priority --format") echo "words text json" ;;
        "archive -e"|"archive --experiment") echo "experiment" ;;
        "archive -o"|"archive --format") echo "words text json" ;;
        "unarchive -e"|"unarchive --experiment") echo "experiment" ;;
        "unarchive -o"|"unarchive --format") echo "words text json" ;;
        "delete -e"|"delete --experiment") echo "experiment" ;;
        "delete -o"|"delete --format") echo "words text json" ;;
        "gc -o"|"gc --format") echo "words text json" ;;
        "run -e"|"run --experiment") echo "experiment" ;;
        "run --checkpoint-dir") echo "dir" ;;
        "run -o"|"run --format") echo "words text json" ;;
        "run #0") echo command ;;
        "run #"*) echo "file" ;;
        "report -e"|"report --experiment") echo "experiment" ;;
        "report --epoch") echo "words best last" ;;
        "report --view") echo "words matrix significance progress leaderboard runs curves" ;;
        "report --agg") echo "words best mean median last" ;;
        "report -o"|"report --format") echo "words table json csv tsv markdown latex svg" ;;
        "export -e"|"export --experiment") echo "experiment" ;;
        "export --epoch") echo "words best last" ;;
        "export -o"|"export --format") echo "words csv jsonl json tensorboard mlflow" ;;
        "export #0") echo "dir" ;;
        "ping -o"|"ping --format") echo "words table json" ;;
        "server_start -o"|"server_start --format") echo "words table json" ;;
        "server_status -o"|"server_status --format") echo "words table json" ;;
        "serve --tls-keystore") echo "file" ;;
        "serve --tls-password-file") echo "file" ;;
        "keys_create --role") echo "words reader worker admin" ;;
        "keys_create -e"|"keys_create --experiment") echo "experiment" ;;
        "keys_create -o"|"keys_create --format") echo "words text json" ;;
        "keys_list -o"|"keys_list --format") echo "words table json" ;;
        "keys_revoke -o"|"keys_revoke --format") echo "words text json" ;;
        "completion #0") echo "words bash zsh" ;;
        "help #0") echo "words create list show next log heartbeat end status requeue cancel priority archive unarchive delete gc run report export ping server serve keys completion help" ;;
    esac
}

complete -F _tracker tracker
