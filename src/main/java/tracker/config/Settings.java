package tracker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import tracker.TrackerException;
import tracker.util.Durations;

/**
 * Where tracker keeps and finds its data, resolved as: command-line option > environment
 * ({@code TRACKER_*}) > config file > built-in default. A null {@link #uri()} means the embedded
 * default database under {@link #home()}.
 *
 * @param uriSource where the URI came from, for messages ("--uri", "TRACKER_URI", the config path)
 */
public record Settings(String uri, String uriSource, String database, Duration connectTimeout,
                       Path home, Duration idleTimeout, int port) {

    public static final String DEFAULT_DATABASE = "tracker";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    public boolean embedded() {
        return uri == null;
    }

    /**
     * @param uriOption      --uri, or null
     * @param databaseOption --database, or null
     * @param env            the process environment
     */
    public static Settings resolve(String uriOption, String databaseOption, Map<String, String> env) {
        Path home = homeOf(env);
        Path configPath = configPath(env);
        Supplier<ConfigFile> config = new Supplier<>() {
            private ConfigFile loaded;

            @Override
            public ConfigFile get() {
                if (loaded == null) {
                    loaded = ConfigFile.load(configPath);
                }
                return loaded;
            }
        };

        String uri;
        String uriSource;
        if (present(uriOption)) {
            uri = uriOption;
            uriSource = "--uri";
        } else if (present(env.get("TRACKER_URI"))) {
            uri = env.get("TRACKER_URI");
            uriSource = "TRACKER_URI";
        } else {
            uri = config.get().uri();
            uriSource = uri == null ? "embedded" : configPath.toString();
        }

        String database = present(databaseOption) ? databaseOption
                : present(env.get("TRACKER_DATABASE")) ? env.get("TRACKER_DATABASE")
                : config.get().database() != null ? config.get().database() : DEFAULT_DATABASE;
        checkDatabaseName(database);

        Duration connectTimeout = envDuration(env, "TRACKER_CONNECT_TIMEOUT");
        if (connectTimeout == null) {
            connectTimeout = config.get().connectTimeout() != null ? config.get().connectTimeout() : DEFAULT_CONNECT_TIMEOUT;
        }
        Duration idle = envDuration(env, "TRACKER_SERVER_IDLE_TIMEOUT");
        if (idle == null) {
            idle = config.get().idleTimeout() != null ? config.get().idleTimeout() : DEFAULT_IDLE_TIMEOUT;
        }
        int port = config.get().port() != null ? config.get().port() : 0;
        return new Settings(uri, uriSource, database, connectTimeout, home, idle, port);
    }

    /** TRACKER_HOME > $XDG_DATA_HOME/tracker > ~/.local/share/tracker. */
    public static Path homeOf(Map<String, String> env) {
        if (present(env.get("TRACKER_HOME"))) {
            return Path.of(env.get("TRACKER_HOME")).toAbsolutePath();
        }
        if (present(env.get("XDG_DATA_HOME"))) {
            return Path.of(env.get("XDG_DATA_HOME"), "tracker").toAbsolutePath();
        }
        return Path.of(userHome(env), ".local", "share", "tracker");
    }

    /** TRACKER_CONFIG > $XDG_CONFIG_HOME/tracker/config.yaml > ~/.config/tracker/config.yaml. */
    public static Path configPath(Map<String, String> env) {
        if (present(env.get("TRACKER_CONFIG"))) {
            return Path.of(env.get("TRACKER_CONFIG")).toAbsolutePath();
        }
        if (present(env.get("XDG_CONFIG_HOME"))) {
            return Path.of(env.get("XDG_CONFIG_HOME"), "tracker", "config.yaml").toAbsolutePath();
        }
        return Path.of(userHome(env), ".config", "tracker", "config.yaml");
    }

    private static String userHome(Map<String, String> env) {
        return present(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
    }

    private static Duration envDuration(Map<String, String> env, String name) {
        String v = env.get(name);
        if (!present(v)) {
            return null;
        }
        Duration d = Durations.parseOrNull(v);
        if (d == null) {
            throw TrackerException.usage(name + "='" + v + "' is not a duration", "write it like 30s, 10m or 1h");
        }
        return d;
    }

    /** MongoDB's own rules for database names, checked before any connection is made. */
    static void checkDatabaseName(String name) {
        if (name.isEmpty() || name.length() > 63 || name.chars().anyMatch(c -> "/\\. \"$*<>:|?".indexOf(c) >= 0 || c == 0)) {
            throw TrackerException.usage("invalid database name '" + name + "'",
                    "use at most 63 characters, none of / \\ . space \" $ * < > : | ?");
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
