package tracker.cli.server;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tracker.cli.options.Format;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;
import tracker.json.JsonWriter;
import tracker.output.KeyValues;
import tracker.util.Durations;

/** The status record that start and status print, as a table or as JSON. */
final class ServerStatus {
    private ServerStatus() {
    }

    /** @param uri the URI to show, with or without credentials; null when no server runs */
    static void print(PrintWriter out, Format format, ServerManager manager, ServerInfo info, String uri) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", info != null);
        m.put("pid", info == null ? null : info.pid());
        m.put("uri", uri);
        m.put("dataDir", manager.home().toString());
        m.put("sizeBytes", manager.sizeBytes());
        if (info != null) {
            m.put("startedAt", info.startedAt());
            m.put("idleTimeout", info.idleTimeoutMillis() == 0 ? "never" : Durations.format(Duration.ofMillis(info.idleTimeoutMillis())));
            m.put("version", info.version());
        }
        if (format == Format.json) {
            out.println(JsonWriter.write(m));
            out.flush();
            return;
        }
        KeyValues kv = new KeyValues();
        kv.add("running", info != null ? "yes" : "no");
        if (info != null) {
            kv.add("pid", info.pid()).add("uri", uri).add("started", info.startedAt())
                    .add("idle stop", m.get("idleTimeout"));
        }
        kv.add("data", manager.home()).add("size", human(manager.sizeBytes()));
        kv.print(out);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGT";
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length() - 1) {
            v /= 1024;
            i++;
        }
        return String.format("%.1f %siB", v, units.charAt(i));
    }
}
