package tracker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import tracker.TrackerException;
import tracker.util.Durations;
import tracker.util.Suggestions;

/**
 * The user's config file ({@code ~/.config/tracker/config.yaml}):
 * <pre>
 * uri: mongodb+srv://user:secret@cluster.example.net/   # any MongoDB; omit for the embedded one
 * database: tracker
 * experiment: tabular    # the default for -e
 * connect_timeout: 5s
 * url: https://tracker.lab.example:8080/   # or tracker serve instead of a database (remote mode)
 * api_key_file: ~/.config/tracker/key      # its API key: a file holding it, never the key itself
 * ca_file: ~/.config/tracker/ca.pem        # trust this certificate (a self-signed tracker serve)
 * server:                # the embedded default
 *   idle_timeout: 30m
 *   port: 0              # 0 = any free port
 * </pre>
 * Every error names the file, line and column.
 */
public record ConfigFile(Path path, String uri, String database, String experiment, Duration connectTimeout,
                         Duration idleTimeout, Integer port, String url, Path apiKeyFile, Path caFile) {

    private static final List<String> TOP_KEYS = List.of("uri", "database", "experiment", "connect_timeout", "server", "url",
            "api_key_file", "ca_file", "api_key");
    private static final List<String> SERVER_KEYS = List.of("idle_timeout", "port");

    public static ConfigFile empty(Path path) {
        return new ConfigFile(path, null, null, null, null, null, null, null, null, null);
    }

    /** Reads the file; a missing file is an empty configuration. */
    public static ConfigFile load(Path path) {
        Node root;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (NoSuchFileException e) {
            return empty(path);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw TrackerException.invalid(path + (m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                    + ": not valid YAML: " + e.getProblem(), "fix the config file or move it away");
        } catch (IOException e) {
            throw TrackerException.invalid("cannot read config file " + path + ": " + e.getMessage(), null);
        }
        if (root == null) {
            return empty(path);
        }
        Nodes r = new Nodes(path);
        MappingNode top = r.mapping(root, "the config file");
        String uri = null;
        String database = null;
        String experiment = null;
        Duration connectTimeout = null;
        Duration idle = null;
        Integer port = null;
        String url = null;
        Path apiKeyFile = null;
        Path caFile = null;
        for (NodeTuple t : r.entries(top, TOP_KEYS)) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node v = t.getValueNode();
            switch (key) {
                case "uri" -> uri = r.string(v, key);
                case "database" -> database = r.string(v, key);
                case "experiment" -> experiment = r.string(v, key);
                case "connect_timeout" -> connectTimeout = r.duration(v, key);
                case "url" -> url = r.string(v, key);
                case "api_key_file" -> apiKeyFile = r.file(v, key);
                case "ca_file" -> caFile = r.file(v, key);
                case "api_key" -> throw r.error(t.getKeyNode(), "the API key itself does not belong in the config file (it would be copied and"
                        + " shown with it): put it in a file of its own (chmod 600) and name that file with api_key_file, or set TRACKER_API_KEY");
                default -> {
                    for (NodeTuple s : r.entries(r.mapping(v, "server"), SERVER_KEYS)) {
                        String skey = ((ScalarNode) s.getKeyNode()).getValue();
                        if (skey.equals("idle_timeout")) {
                            idle = r.duration(s.getValueNode(), "server.idle_timeout");
                        } else {
                            port = r.port(s.getValueNode(), "server.port");
                        }
                    }
                }
            }
        }
        return new ConfigFile(path, uri, database, experiment, connectTimeout, idle, port, url, apiKeyFile, caFile);
    }

    /** Node-level checks that know where in the file each value is. */
    private record Nodes(Path path) {
        TrackerException error(Node node, String message) {
            Mark m = node.getStartMark();
            return TrackerException.invalid(path + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": " + message,
                    "see README, section Configuration");
        }

        MappingNode mapping(Node node, String what) {
            if (node instanceof MappingNode m) {
                return m;
            }
            throw error(node, what + " must be a mapping of keys to values");
        }

        List<NodeTuple> entries(MappingNode node, List<String> allowed) {
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : node.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw error(t.getKeyNode(), "keys must be plain words");
                }
                String key = k.getValue();
                if (!allowed.contains(key)) {
                    String near = Suggestions.closest(key, allowed);
                    throw error(k, "unknown key '" + key + "'" + (near != null ? " (did you mean '" + near + "'?)"
                            : "; known keys: " + String.join(", ", allowed)));
                }
                if (!seen.add(key)) {
                    throw error(k, "duplicate key '" + key + "'");
                }
            }
            return node.getValue();
        }

        String string(Node node, String key) {
            if (node instanceof ScalarNode s && !s.getValue().isBlank()) {
                return s.getValue();
            }
            throw error(node, key + " must be a non-empty string");
        }

        /** A file name; ~/ is the user's home, and a relative name is relative to the config file's directory. */
        Path file(Node node, String key) {
            String name = string(node, key);
            if (name.startsWith("~/")) {
                return Path.of(System.getProperty("user.home"), name.substring(2));
            }
            Path dir = path.toAbsolutePath().getParent();
            return dir == null ? Path.of(name) : dir.resolve(name);
        }

        Duration duration(Node node, String key) {
            Duration d = Durations.parseOrNull(node instanceof ScalarNode s ? s.getValue() : null);
            if (d == null) {
                throw error(node, key + " must be a duration such as 30s, 10m or 1h");
            }
            return d;
        }

        Integer port(Node node, String key) {
            try {
                int p = Integer.parseInt(node instanceof ScalarNode s ? s.getValue() : "");
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw error(node, key + " must be a port number from 0 (any free port) to 65535");
        }
    }
}
