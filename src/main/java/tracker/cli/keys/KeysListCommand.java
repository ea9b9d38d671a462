package tracker.cli.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tracker.ExitCode;
import tracker.cli.Cli;
import tracker.cli.ConnectedCommand;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.Table;
import tracker.store.ApiKeys;
import tracker.store.Database;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the API keys: id, role, experiments, state and last use. Never the keys themselves."})
public final class KeysListCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        List<ApiKeys.Key> keys = new ApiKeys(db).list();
        Instant now = Instant.now();
        if (format == Format.json) {
            List<Object> out = new ArrayList<>();
            keys.forEach(k -> out.add(json(k)));
            cli.out().println(JsonWriter.write(out));
            cli.out().flush();
            return ExitCode.OK;
        }
        if (keys.isEmpty()) {
            cli.note("no keys yet; create one with 'tracker keys create --role reader|worker|admin'");
            return ExitCode.OK;
        }
        Table t = new Table("ID", "ROLE", "EXPERIMENTS", "STATE", "CREATED", "EXPIRES", "LAST USED", "LABEL");
        for (ApiKeys.Key k : keys) {
            t.row(k.id(), k.role().name(), k.experiments().isEmpty() ? "(all)" : String.join(",", k.experiments()), state(k, now),
                    time(k.created()), time(k.expires()), time(k.lastUsed()), k.label() == null ? "" : k.label());
        }
        t.print(cli.out());
        return ExitCode.OK;
    }

    static String state(ApiKeys.Key k, Instant now) {
        return k.revoked() != null ? "revoked" : k.usable(now) ? "active" : "expired";
    }

    private static String time(Instant i) {
        return i == null ? "-" : i.toString().substring(0, 19).replace('T', ' ');
    }

    static Map<String, Object> json(ApiKeys.Key k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("role", k.role().name());
        m.put("experiments", k.experiments());
        m.put("label", k.label());
        m.put("state", state(k, Instant.now()));
        m.put("created", k.created() == null ? null : k.created().toString());
        m.put("expires", k.expires() == null ? null : k.expires().toString());
        m.put("revoked", k.revoked() == null ? null : k.revoked().toString());
        m.put("lastUsed", k.lastUsed() == null ? null : k.lastUsed().toString());
        return m;
    }
}
