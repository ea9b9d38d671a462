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

_tracker() {
    local _tracker_program=$words[1]  # the tracker that asks for experiment names
    local curcontext="$curcontext" state line
    typeset -A opt_args
    _arguments -s -S -C \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '1: :->command' \
        '*:: :->args' && return
    case $state in
        command)
            local -a subcommands=(
                'create:Store an experiment definition and plan its runs'
                'list:List experiments\: every version, when it was created, its runs by status, its tags and…'
                'show:Show an experiment\: its stored definition in canonical YAML and its plan'
                'next:Claim the next run of an experiment for this worker'
                'log:Record metrics of the run this worker claimed (and renew its lease)'
                'heartbeat:Renew the lease of the run this worker claimed (log and end renew it too)'
                'end:Finish the run this worker claimed'
                'status:Show an experiment'\''s runs by state, the runs in flight with their workers and lease ages…'
                'requeue:Put failed or cancelled runs (and pruned ones, named with --status pruned) back in the…'
                'cancel:Cancel pending runs (all of the experiment'\''s, or those of --model, --dataset, --run)'
                'priority:Change the claim order of a live experiment\: the cells of --model and --dataset (every…'
                'archive:Archive an experiment version\: hidden from '\''tracker list'\'' (see list --archived) and…'
                'unarchive:Make an archived experiment version writable and listed again\: workers can claim its…'
                'delete:Delete an experiment version and everything of it\: its runs, metric epochs and steps…'
                'gc:Remove what no experiment references\: runs, metrics, steps, results, queues, trials and…'
                'run:Be a worker\: claim a run, start the training command for it, record what it prints, end…'
                'report:The model x dataset picture of an experiment\: in each cell, the configuration with the…'
                'export:Export an experiment for pandas, R or a spreadsheet, streaming (constant memory)'
                'ping:Check that the database answers\: prints its address, version and round-trip time'
                'server:Manage the embedded database that tracker uses when no --uri, TRACKER_URI or config file…'
                'serve:Serve the HTTP API (/api/v1) and the dashboard (/) over this database until stopped…'
                'keys:Manage the API keys that '\''tracker serve'\'' accepts (sent as '\''Authorization\: Bearer KEY'\'')'
                'completion:Print the shell completion script'
                'help:Display help information about the specified command'
            )
            _describe -t commands 'tracker command' subcommands
            ;;
        args)
            curcontext="${curcontext%:*:*}:tracker-$words[1]:"
            case $words[1] in
                create) _tracker_create ;;
                list) _tracker_list ;;
                show) _tracker_show ;;
                next) _tracker_next ;;
                log) _tracker_log ;;
                heartbeat) _tracker_heartbeat ;;
                end) _tracker_end ;;
                status) _tracker_status ;;
                requeue) _tracker_requeue ;;
                cancel) _tracker_cancel ;;
                priority) _tracker_priority ;;
                archive) _tracker_archive ;;
                unarchive) _tracker_unarchive ;;
                delete) _tracker_delete ;;
                gc) _tracker_gc ;;
                run) _tracker_run ;;
                report) _tracker_report ;;
                export) _tracker_export ;;
                ping) _tracker_ping ;;
                server) _tracker_server ;;
                serve) _tracker_serve ;;
                keys) _tracker_keys ;;
                completion) _tracker_completion ;;
                help) _tracker_help ;;
            esac
            ;;
    esac
}

_tracker_create() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--extend[Add to the existing experiment: new models, datasets or suites, more trials or…]' \
        '--new-version[Start a new version NAME@N+1 when the definition differs from every stored version; the…]' \
        '--dry-run[Validate and print the plan summary; store nothing (no database needed)]' \
        '*'--set'[Override one value of the file, e.g. --set search.trials=20 --set…]:KEY=VALUE: ' \
        '--origins[With -o yaml: end each line of the definition with where its value was written…]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json, yaml. json is always available and stable]:FORMAT:(table json yaml)' \
        '1:FILE:_files'
}

_tracker_list() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '*'--tag'[Only experiments with this tag (repeat: with every one of them)]:TAG: ' \
        '--sort[name (default: by name, then version), created or activity (newest first; the table then…]:ORDER:(name created activity)' \
        '--archived[Only archived experiments (hidden by default; see '\''tracker archive'\'')]' \
        '--all[Archived experiments too (marked so in the table)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json, names. json is always available and stable]:FORMAT:(table json names)'
}

_tracker_show() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--origins[End each line of the definition with where its value was written when the experiment was…]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json, yaml, svg. json is always available and stable]:FORMAT:(table json yaml svg)' \
        '1:EXPERIMENT|RUN:_tracker_experiments'
}

_tracker_next() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '*'--model'[Serve only these models (repeatable, or comma-separated)]:MODEL: ' \
        '*'--dataset'[Serve only these datasets]:DATASET: ' \
        '--worker[This worker'\''s id (default: host:pid)]:ID: ' \
        '--lease[Lease length (default: the definition'\''s runs.lease)]:DURATION: ' \
        '--wait[While runs are in flight, keep polling (with backoff) until one is claimable or all are…]:DURATION: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: json (default), env, args, yaml. json is always available and stable]:FORMAT:(json env args yaml)'
}

_tracker_log() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--run[The run'\''s id (default: $TRACKER_RUN)]:RUN: ' \
        '--token[The claim'\''s fencing token (default: $TRACKER_TOKEN)]:TOKEN: ' \
        '--epoch[The epoch the PHASE.METRIC=VALUE pairs belong to]:N: ' \
        '--step[The step the pairs belong to (within --epoch, or instead of it)]:N: ' \
        '--progress[How much of the run is done, 0 to 1 (shown by '\''show RUN'\'')]:FRACTION: ' \
        '--stdin[Read trainer lines from standard input until it ends, writing them in batches]' \
        '*'--artifact'[Attach an artifact (repeatable)]:NAME=URI: ' \
        '--checkpoint[The run'\''s latest checkpoint; a resumed run gets it back from '\''next'\'']:URI: ' \
        '--init-from[What the model started from: a run of this database (NAME@V/MODEL/DATASET/N, which must…]:RUN|URI: ' \
        '--note[A note on the run]:TEXT: ' \
        '*'--tag'[Tag the run (repeatable), e.g. --tag baseline --tag gpu:a100]:TAG: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)' \
        '*:PHASE.METRIC=VALUE: '
}

_tracker_heartbeat() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--run[The run'\''s id (default: $TRACKER_RUN)]:RUN: ' \
        '--token[The claim'\''s fencing token (default: $TRACKER_TOKEN)]:TOKEN: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]'
}

_tracker_end() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--run[The run'\''s id (default: $TRACKER_RUN)]:RUN: ' \
        '--token[The claim'\''s fencing token (default: $TRACKER_TOKEN)]:TOKEN: ' \
        '--status[completed, failed, timeout, out_of_memory, node_fail, cancelled, pruned, preempted]:STATUS:(completed failed timeout out_of_memory node_fail cancelled pruned preempted)' \
        '--exit-code[The training command'\''s exit code, for the record]:N: ' \
        '(-m --message)'{-m,--message}'[Why it ended this way (kept with the run)]:TEXT: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_status() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '--repair[First rebuild everything derived from the runs - queues, runs in flight, outcomes and…]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json. json is always available and stable]:FORMAT:(table json)'
}

_tracker_requeue() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '*'--model'[Only runs of these models]:MODEL: ' \
        '*'--dataset'[Only runs on these datasets]:DATASET: ' \
        '*'--run'[Only these runs]:RUN: ' \
        '*'--status'[Which runs, comma-separated: failed, timeout, out_of_memory, node_fail, cancelled, pruned…]:STATUS:(failed timeout out_of_memory node_fail cancelled pruned)' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_cancel() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '*'--model'[Only runs of these models]:MODEL: ' \
        '*'--dataset'[Only runs on these datasets]:DATASET: ' \
        '*'--run'[Only these runs]:RUN: ' \
        '--running[Also cancel runs in flight (the whole experiment when given no filter)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_priority() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '*'--model'[Only the cells of these models]:MODEL: ' \
        '*'--dataset'[Only the cells of these datasets]:DATASET: ' \
        '--run[Move this pending run ahead instead (a run id as '\''tracker next'\'' prints it)]:RUN: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)' \
        '1:PRIORITY: '
}

_tracker_archive() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME[@N]:_tracker_experiments' \
        '--force[Archive even while runs are in flight: they are cancelled (as '\''cancel --running'\'' does…]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_unarchive() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME[@N]:_tracker_experiments' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_delete() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment version to delete: NAME@N, or NAME for its latest version only]:NAME[@N]:_tracker_experiments' \
        '(-y --yes)'{-y,--yes}'[Do not ask for confirmation (needed when stdin is not a terminal)]' \
        '--force[Delete even while runs are in flight: their workers'\'' next log, heartbeat or end is…]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_gc() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-n --dry-run)'{-n,--dry-run}'[Only say what would be removed; write nothing]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_run() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '*'--model'[Serve only these models (repeatable, or comma-separated)]:MODEL: ' \
        '*'--dataset'[Serve only these datasets]:DATASET: ' \
        '(-j --parallel)'{-j,--parallel}'[Runs at once in this worker (default: 1)]:N: ' \
        '(-n --max-runs)'{-n,--max-runs}'[Stop after claiming N runs (default: no limit)]:N: ' \
        '--wait[When nothing is claimable but runs are in flight elsewhere, stay and take the runs that…]' \
        '--max-failures[Stop after N runs in a row failed: the command is probably broken (default: 5; 0: never)]:N: ' \
        '--grace[After a stop signal, how long a command has between SIGTERM and SIGKILL (default: 15s)]:DURATION: ' \
        '--time-limit[How long one run'\''s command may take: past it, the command gets SIGTERM and --grace, then…]:DURATION: ' \
        '--heartbeat[How often to renew the lease while a command runs quietly (default: a third of the lease…]:DURATION: ' \
        '--lease[Lease length (default: the definition'\''s runs.lease)]:DURATION: ' \
        '--checkpoint-dir[Where the commands may save checkpoints: each run gets a directory of its own under DIR…]:DIR:_files -/' \
        '--keep-checkpoints[Keep the checkpoint directories of completed runs too]' \
        '--patience[How long to keep trying when the database goes away - an embedded server is restarted, a…]:DURATION: ' \
        '--worker[This worker'\''s id (default: host:pid; slots add #1, #2 …)]:ID: ' \
        '(--progress --no-progress)'{--progress,--no-progress}'[A progress line on stderr (default: when stderr is a terminal)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)' \
        '*::CMD:_normal'
}

_tracker_report() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '*'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '--metric[Show this metric instead of the objective, e.g. test.accuracy or train.loss (or duration…]:PHASE.NAME: ' \
        '--epoch[Each run'\''s epoch: best (of the objective; the default) or last]:WHICH:(best last)' \
        '--view[matrix, significance, progress, leaderboard, runs, curves (default: matrix): the model x…]:VIEW:(matrix significance progress leaderboard runs curves)' \
        '--diff[matrix: with two experiments (-e A -e B), each cell is B'\''s value minus A'\''s, for the…]' \
        '--dataset[curves: the dataset whose curves to plot (default: the experiment'\''s only dataset)]:DATASET: ' \
        '*'--model'[curves: only these models (repeat, or separate with commas; default: every model on the…]:MODEL: ' \
        '--agg[matrix: how a cell combines its configurations: best, mean, median, last (default: best)]:HOW:(best mean median last)' \
        '--alpha[matrix, significance, diff: the level of the tests (default: 0.05): a model is marked as…]:A: ' \
        '--all-pairs[significance: compare every pair of models (Wilcoxon signed-rank, Holm-corrected), not…]' \
        '--top[leaderboard: how many configurations (default: 5)]:K: ' \
        '--per-cell[leaderboard: the top configurations of every model x dataset cell (the default)]' \
        '--overall[leaderboard: the top configurations (model, trial) of the whole experiment: ranked within…]' \
        '*'--where'[runs: only runs where FIELD OP VALUE holds (repeat: all must hold), e.g. model=mlp…]:EXPR: ' \
        '--sort[runs: order by FIELD, -FIELD for descending (e.g. -objective)]:FIELD: ' \
        '--limit[runs: at most N runs (the first N in --sort order)]:N: ' \
        '--offset[runs: skip the first N (in --sort order), for pages: --offset 50 --limit 50]:N: ' \
        '--width[table: lay out for N columns (default: the terminal'\''s width, else $COLUMNS, else 80)]:N: ' \
        '--watch[Redraw every INTERVAL (default 2s) until interrupted; stops by itself once nothing is…]:INTERVAL: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json, csv, tsv, markdown, latex, svg. json is always…]:FORMAT:(table json csv tsv markdown latex svg)'
}

_tracker_export() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-e --experiment)'{-e,--experiment}'[The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT…]:NAME:_tracker_experiments' \
        '--epochs[One row per run, epoch, phase and metric (columns…]' \
        '--wide[With --epochs: one row per run and epoch, a column per PHASE.METRIC, joined with the…]' \
        '--steps[One row per run, step, phase and metric (columns…]' \
        '--metric[Show this metric instead of the objective, e.g. test.accuracy or train.loss (or duration…]:PHASE.NAME: ' \
        '--epoch[Each run'\''s epoch: best (of the objective; the default) or last]:WHICH:(best last)' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: csv (default), jsonl, json, tensorboard, mlflow. json is always available…]:FORMAT:(csv jsonl json tensorboard mlflow)' \
        '1:DIR:_files -/'
}

_tracker_ping() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json. json is always available and stable]:FORMAT:(table json)'
}

_tracker_server() {
    local curcontext="$curcontext" state line
    typeset -A opt_args
    _arguments -s -S -C \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '1: :->command' \
        '*:: :->args' && return
    case $state in
        command)
            local -a subcommands=(
                'start:Start the embedded database in the background (if it is not running) and print its status'
                'stop:Stop the embedded database\: it finishes the commands in progress, commits and closes its…'
                'status:Show whether the embedded database runs, its pid, address, data directory and size'
            )
            _describe -t commands 'tracker server command' subcommands
            ;;
        args)
            curcontext="${curcontext%:*:*}:tracker-$words[1]:"
            case $words[1] in
                start) _tracker_server_start ;;
                stop) _tracker_server_stop ;;
                status) _tracker_server_status ;;
            esac
            ;;
    esac
}

_tracker_server_start() {
    _arguments -s -S \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--foreground[Run in this process until stopped (Ctrl-C, SIGTERM or idle)]' \
        '--port[Port to listen on (default: the config file'\''s server.port, else any free port)]:PORT: ' \
        '--idle-timeout[Stop after this long without clients; 0 = never (default: $TRACKER_SERVER_IDLE_TIMEOUT…]:DURATION: ' \
        '--bind[Address to listen on (default: 127.0.0.1)]:ADDRESS: ' \
        '--allow-remote[Allow --bind to a non-loopback address]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json. json is always available and stable]:FORMAT:(table json)'
}

_tracker_server_stop() {
    _arguments -s -S \
        '--timeout[How long to wait for a clean stop before killing it (default: 20s)]:DURATION: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]'
}

_tracker_server_status() {
    _arguments -s -S \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--show-uri[Show the URI with the server'\''s credentials in it, for mongosh or pymongo]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json. json is always available and stable]:FORMAT:(table json)'
}

_tracker_serve() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--bind[The address to listen on (default: 127.0.0.1, this machine only)]:ADDRESS: ' \
        '--port[The port (default: 8080; 0 picks a free one and prints it)]:N: ' \
        '--tls-keystore[Serve HTTPS with the key and certificate in this PKCS#12 (or JKS) keystore]:FILE:_files' \
        '--tls-password-file[The keystore'\''s password, from this file (default: $TRACKER_TLS_PASSWORD, else none)]:FILE:_files' \
        '--insecure-http[Allow plain HTTP on an address other than loopback]' \
        '--threads[Requests answered at once (default: 32); more wait their turn]:N: ' \
        '--quiet[No line per request on stderr]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]'
}

_tracker_keys() {
    local curcontext="$curcontext" state line
    typeset -A opt_args
    _arguments -s -S -C \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '1: :->command' \
        '*:: :->args' && return
    case $state in
        command)
            local -a subcommands=(
                'create:Create an API key and print it once\: it is stored only as a hash and cannot be shown again'
                'list:List the API keys\: id, role, experiments, state and last use'
                'revoke:Revoke API keys by id (as '\''keys list'\'' shows)\: the server refuses them from the next…'
            )
            _describe -t commands 'tracker keys command' subcommands
            ;;
        args)
            curcontext="${curcontext%:*:*}:tracker-$words[1]:"
            case $words[1] in
                create) _tracker_keys_create ;;
                list) _tracker_keys_list ;;
                revoke) _tracker_keys_revoke ;;
            esac
            ;;
    esac
}

_tracker_keys_create() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '--role[reader, worker or admin]:ROLE:(reader worker admin)' \
        '*'{-e,--experiment}'[Only these experiments (NAME: every version, NAME@VERSION: that one; repeatable)]:NAME:_tracker_experiments' \
        '--expires[The key stops working after this long, e.g. 30d, 12h (default: never)]:DURATION: ' \
        '--label[What the key is for, shown by '\''keys list'\'' (e.g. slurm-lab-a)]:TEXT: ' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)'
}

_tracker_keys_list() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: table (default), json. json is always available and stable]:FORMAT:(table json)'
}

_tracker_keys_revoke() {
    _arguments -s -S \
        '--uri[MongoDB connection string (default: $TRACKER_URI, the config file'\''s uri, else the…]:URI: ' \
        '--database[Database name (default: $TRACKER_DATABASE, the URI'\''s path as in mongodb://host/NAME, the…]:NAME: ' \
        '--url[Go through '\''tracker serve'\'' at this URL instead of a database (default: $TRACKER_URL, the…]:URL: ' \
        '--no-color[No colour, even on a terminal (NO_COLOR does the same)]' \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '(-o --format)'{-o,--format}'[Output format: text (default), json. json is always available and stable]:FORMAT:(text json)' \
        '*:ID: '
}

_tracker_completion() {
    _arguments -s -S \
        '(-h --help)'{-h,--help}'[Show this help message and exit]' \
        '(-V --version)'{-V,--version}'[Print version information and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '1:SHELL:(bash zsh)'
}

_tracker_help() {
    _arguments -s -S \
        '(-h --help)'{-h,--help}'[Show usage help for the help command and exit]' \
        '(-v --verbose)'{-v,--verbose}'[Say more on stderr (which database and experiment, and where each came from; timings)]' \
        '(-x --stacktrace)'{-x,--stacktrace}'[Print the stack trace of an error]' \
        '1:COMMAND:(create list show next log heartbeat end status requeue cancel priority archive unarchive delete gc run report export ping server serve keys completion help)'
}

if [ "$funcstack[1]" = "_tracker" ]; then
    _tracker "$@"
else
    compdef _tracker tracker
fi
