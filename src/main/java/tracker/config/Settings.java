package tracker.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * @param uriSource      where the URI came from, for messages ("--uri", "TRACKER_URI", the config path)
 * @param databaseSource where the database name came from, for {@code -v}
 */
public record Settings(String uri, String uriSource, String database, String databaseSource, Duration connectTimeout,
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

        // The URI's path names a database as it does for every MongoDB tool (mongodb://host/mydb);
        // it is more specific than the config file's database, less than an explicit choice.
        String uriDatabase = uri == null ? null : databaseInUri(uri);
        String database;
        String databaseSource;
        if (present(databaseOption)) {
            database = databaseOption;
            databaseSource = "--database";
        } else if (present(env.get("TRACKER_DATABASE"))) {
            database = env.get("TRACKER_DATABASE");
            databaseSource = "TRACKER_DATABASE";
        } else if (uriDatabase != null) {
            database = uriDatabase;
            databaseSource = "the path of the URI from " + uriSource;
        } else if (config.get().database() != null) {
            database = config.get().database();
            databaseSource = configPath.toString();
        } else {
            database = DEFAULT_DATABASE;
            databaseSource = "the default";
        }
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
        return new Settings(uri, uriSource, database, databaseSource, connectTimeout, home, idle, port);
    }

    /**
     * The database named by a connection string's path ({@code mongodb://h1,h2/mydb?opts}), or null
     * when it names none. Read here, without the driver, because it takes part in the precedence
     * above; a URI the driver cannot parse is still refused when it is opened.
     */
    static String databaseInUri(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int query = uri.indexOf('?', scheme + 3);
        String rest = uri.substring(scheme + 3, query < 0 ? uri.length() : query);
        int slash = rest.indexOf('/'); // hosts and credentials cannot hold a raw '/' (they percent-encode it)
        if (slash < 0 || slash == rest.length() - 1) {
            return null;
        }
        return URLDecoder.decode(rest.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The experiment a command works on when it is given no -e, and where that came from. */
    public record Experiment(String name, String source) {
    }

    /**
     * The experiment: {@code -e} > {@code TRACKER_EXPERIMENT} (which {@code next -o env} exports)
     * > the config file's {@code experiment} > a usage error that names the three ways.
     */
    public static Experiment experiment(String option, Map<String, String> env) {
        if (present(option)) {
            return new Experiment(option, "-e");
        }
        if (present(env.get("TRACKER_EXPERIMENT"))) {
            return new Experiment(env.get("TRACKER_EXPERIMENT"), "TRACKER_EXPERIMENT");
        }
        Path configPath = configPath(env);
        String configured = ConfigFile.load(configPath).experiment();
        if (configured != null) {
            return new Experiment(configured, configPath.toString());
        }
        throw TrackerException.usage("which experiment? none was given",
                "give -e NAME, set TRACKER_EXPERIMENT=NAME, or put 'experiment: NAME' in " + configPath);
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
