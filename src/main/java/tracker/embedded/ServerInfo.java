package tracker.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tracker.json.Json;
import tracker.json.JsonException;
import tracker.json.JsonWriter;

/** What a running embedded server publishes about itself in {@code server.json}. */
public record ServerInfo(long pid, String host, int port, String dataDir, String startedAt, String version,
                         long idleTimeoutMillis) {

    /** The address clients dial: a wildcard bind is still reached through the loopback. */
    public String connectHost() {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    public String uri() {
        String h = connectHost().contains(":") ? "[" + connectHost() + "]" : connectHost();
        return "mongodb://" + h + ":" + port + "/";
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("host", host);
        m.put("port", port);
        m.put("dataDir", dataDir);
        m.put("startedAt", startedAt);
        m.put("version", version);
        m.put("idleTimeoutMillis", idleTimeoutMillis);
        return JsonWriter.pretty(m) + "\n";
    }

    /** The published info, or null when there is none or it is unreadable (a torn or foreign file). */
    public static ServerInfo read(Path file) {
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(file));
            return new ServerInfo(((Number) m.get("pid")).longValue(), (String) m.get("host"),
                    ((Number) m.get("port")).intValue(), (String) m.get("dataDir"), (String) m.get("startedAt"),
                    (String) m.get("version"), ((Number) m.getOrDefault("idleTimeoutMillis", 0L)).longValue());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | JsonException | ClassCastException | NullPointerException e) {
            return null;
        }
    }

    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Alive and accepting connections: a quick loopback probe, far cheaper than a driver timeout. */
    public boolean serving() {
        if (!processAlive()) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(connectHost(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
