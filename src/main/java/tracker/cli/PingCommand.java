package tracker.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.output.KeyValues;
import tracker.store.Database;

/** {@code tracker ping}: is the database reachable, which one is it, how fast does it answer. */
@Command(name = "ping", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that the database answers: prints its address, version and round-trip time.",
                "Through tracker serve (TRACKER_URL): that the server answers and takes the key; its address, version, "
                        + "the key's id, role and experiments, and the round-trip time.",
                "Exit 0 when it answers, 5 when it cannot be reached or authenticated to."})
public final class PingCommand extends ConnectedCommand implements Formats.Printing {
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
        Database.Ping ping = db.ping();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", ping.hosts());
        m.put("database", ping.database());
        m.put("embedded", ping.embedded());
        m.put("serverVersion", ping.serverVersion());
        m.put("roundTripMillis", Math.round(ping.roundTripMillis() * 1000) / 1000.0);
        if (db.embedded() != null) {
            m.put("dataDir", db.embedded().dataDir());
        }
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(m));
        } else {
            KeyValues kv = new KeyValues();
            kv.add("database", ping.database());
            kv.add("server", ping.hosts() + (ping.embedded() ? " (embedded)" : ""));
            if (db.embedded() != null) {
                kv.add("data", db.embedded().dataDir());
            }
            kv.add("version", ping.serverVersion());
            kv.add("round trip", String.format("%.2f ms", ping.roundTripMillis()));
            kv.print(cli.out());
        }
        return ExitCode.OK;
    }

    /** Through tracker serve: GET /api/v1, which answers with the server's version and what the key may do. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        long t0 = System.nanoTime();
        Map<String, Object> api = Json.parseObject(serve.get("", Query.of()).body());
        double millis = (System.nanoTime() - t0) / 1e6;
        Map<?, ?> key = (Map<?, ?>) api.get("key");
        List<?> experiments = (List<?>) key.get("experiments");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", serve.remote().url().toString());
        m.put("serverVersion", api.get("version"));
        m.put("api", api.get("api"));
        m.put("key", key);
        m.put("roundTripMillis", Math.round(millis * 1000) / 1000.0);
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(m));
        } else {
            new KeyValues().add("server", serve.where() + " (" + serve.remote().url() + ")").add("version", api.get("version"))
                    .add("key", key.get("id") + " (" + key.get("role") + ", " + (experiments.isEmpty() ? "every experiment"
                            : String.join(", ", experiments.stream().map(String::valueOf).toList())) + ")")
                    .add("round trip", String.format("%.2f ms", millis)).print(cli.out());
        }
        return ExitCode.OK;
    }
}
