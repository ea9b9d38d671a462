package tracker.cli.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.Cli;
import tracker.cli.ConnectedCommand;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.store.ApiKeys;
import tracker.store.Database;
import tracker.store.Experiments;
import tracker.util.Durations;

@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create an API key and print it once: it is stored only as a hash and cannot be shown again.",
                "Hand it to a worker as TRACKER_API_KEY (with TRACKER_URL), or paste it into the dashboard's sign-in.",
                "  tracker keys create --role worker --experiment demo --expires 30d"})
public final class KeysCreateCommand extends ConnectedCommand implements Formats.Printing, ConnectedCommand.OwnExperimentOption {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = "--role", required = true, paramLabel = "ROLE", completionCandidates = Roles.class,
            description = "reader, worker or admin.")
    ApiKeys.Role role;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME", split = ",",
            description = "Only these experiments (NAME: every version, NAME@VERSION: that one; repeatable). Default: all.")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION", description = "The key stops working after this long, e.g. 30d, 12h (default: never).")
    String expires;

    @Option(names = "--label", paramLabel = "TEXT", description = "What the key is for, shown by 'keys list' (e.g. slurm-lab-a).")
    String label;

    /** The roles, for completion and help. */
    static final class Roles extends ArrayList<String> {
        Roles() {
            for (ApiKeys.Role r : ApiKeys.Role.values()) {
                add(r.name());
            }
        }
    }

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        Duration lifetime = null;
        if (expires != null) {
            lifetime = Durations.parseOrNull(expires);
            if (lifetime == null) {
                throw TrackerException.usage("--expires '" + expires + "' is not a duration", "write it like 30d, 12h or 90m");
            }
            if (lifetime.isZero() || lifetime.isNegative()) {
                throw TrackerException.usage("--expires must be longer than zero, not '" + expires + "'", "leave it out for a key that never expires");
            }
        }
        for (String e : experiments) {
            if (!e.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(@[0-9]+)?")) {
                throw TrackerException.usage("--experiment '" + e + "' is not an experiment name", "give NAME or NAME@VERSION");
            }
        }
        if (label != null && (label.length() > 200 || label.chars().anyMatch(Character::isISOControl))) {
            throw TrackerException.usage("--label must be one line of at most 200 characters", null);
        }
        Experiments stored = new Experiments(db);
        for (String e : experiments) {
            try {
                stored.resolve(e);
            } catch (TrackerException notYet) { // a key may be made before its experiment; a typo should still show
                String hint = notYet.hint() == null ? "" : notYet.hint();
                String near = hint.startsWith("did you mean") ? " (" + hint.substring(0, hint.indexOf('?') + 1) + ")" : "";
                cli.note("there is no experiment '" + e + "' yet" + near + "; the key will reach it once it is created");
            }
        }
        ApiKeys.Created c = new ApiKeys(db).create(role, experiments, lifetime, label);
        if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>(KeysListCommand.json(c.key()));
            m.put("key", c.secretText());
            cli.out().println(JsonWriter.write(m));
        } else {
            cli.out().println(c.secretText());
            cli.note("created key " + c.key().id() + " (" + role + (experiments.isEmpty() ? ", every experiment" : ", " + String.join(", ", experiments))
                    + (c.key().expires() == null ? "" : ", expires " + c.key().expires()) + "); it is shown only this once");
        }
        cli.out().flush();
        return ExitCode.OK;
    }
}
