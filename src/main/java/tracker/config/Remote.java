package tracker.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import tracker.TrackerException;
import tracker.util.Durations;

/**
 * The CLI's remote mode: a {@code tracker serve} to talk to instead of a database, resolved as
 * settings are (option > environment > config file). {@code --url} > {@code TRACKER_URL} > the
 * config file's {@code url}; the key from {@code TRACKER_API_KEY} > the file {@code
 * TRACKER_API_KEY_FILE} names > the config file's {@code api_key_file} (the key itself is never
 * in the config file); a certificate to trust from {@code TRACKER_CA_FILE} > {@code ca_file}.
 *
 * @param urlSource where the URL came from ("--url", "TRACKER_URL", the config path), for messages
 * @param keySource where the key came from, for {@code -v}; never the key
 */
public record Remote(URI url, String urlSource, ApiKey key, String keySource, Path caFile, Duration connectTimeout) {
    private static final int CONFIG = 1;
    private static final int ENVIRONMENT = 2;
    private static final int OPTION = 3;

    /** An API key that never shows itself: not in toString, not in an exception's message. */
    public static final class ApiKey {
        private final String secret;

        ApiKey(String secret) {
            this.secret = secret;
        }

        /** For the Authorization header only. */
        public String bearer() {
            return "Bearer " + secret;
        }

        @Override
        public String toString() {
            return "ApiKey[****]";
        }
    }

    /** host:port, for messages (never the key, never a path or query). */
    public String hostPort() {
        int port = url.getPort() >= 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        return url.getHost() + ":" + port;
    }

    /**
     * The remote target, or null when the database is to be used: no URL is configured, or a
     * MongoDB URI is given at a higher level (TRACKER_URI over the config file's url). A URL and a
     * URI at the same level, or either as an option while the other is set anywhere, is a usage
     * error naming both sources: one command talks to one of them, and a guess could write to the
     * wrong one. --database with a URL is a usage error too (the server chooses its database).
     */
    public static Remote resolve(String urlOption, String uriOption, String databaseOption, Map<String, String> env) {
        Path configPath = Settings.configPath(env);
        ConfigFile config = null;
        String url;
        String urlSource;
        int urlLevel;
        if (present(urlOption)) {
            url = urlOption;
            urlSource = "--url";
            urlLevel = OPTION;
        } else if (present(env.get("TRACKER_URL"))) {
            url = env.get("TRACKER_URL");
            urlSource = "TRACKER_URL";
            urlLevel = ENVIRONMENT;
        } else {
            config = ConfigFile.load(configPath);
            url = config.url();
            urlSource = "the url in " + configPath;
            urlLevel = CONFIG;
        }
        if (url == null) {
            return null;
        }
        String uriSource = null;
        int uriLevel = 0;
        if (present(uriOption)) {
            uriSource = "--uri";
            uriLevel = OPTION;
        } else if (present(env.get("TRACKER_URI"))) {
            uriSource = "TRACKER_URI";
            uriLevel = ENVIRONMENT;
        } else {
            config = config != null ? config : ConfigFile.load(configPath);
            if (config.uri() != null) {
                uriSource = "the uri in " + configPath;
                uriLevel = CONFIG;
            }
        }
        if (uriSource != null) {
            if (uriLevel == urlLevel || uriLevel == OPTION || urlLevel == OPTION) {
                throw TrackerException.usage("both a MongoDB URI (" + uriSource + ") and a tracker serve URL (" + urlSource
                        + ") are given; a command talks to one of them", "drop one: the URI to work on the database directly, the URL to go "
                        + "through tracker serve");
            }
            if (uriLevel > urlLevel) {
                return null; // TRACKER_URI over the config file's url, as the environment is over the config file everywhere
            }
        }
        if (present(databaseOption)) {
            throw TrackerException.usage("--database has no meaning with a tracker serve URL (" + urlSource
                    + "): the server chooses its database", "drop --database, or the URL to work on a database directly");
        }
        URI parsed = parse(url, urlSource);
        config = config != null ? config : ConfigFile.load(configPath);
        ApiKey key;
        String keySource;
        if (present(env.get("TRACKER_API_KEY"))) {
            key = new ApiKey(env.get("TRACKER_API_KEY").strip());
            keySource = "TRACKER_API_KEY";
        } else if (present(env.get("TRACKER_API_KEY_FILE"))) {
            keySource = "the file TRACKER_API_KEY_FILE names (" + env.get("TRACKER_API_KEY_FILE") + ")";
            key = read(Path.of(env.get("TRACKER_API_KEY_FILE")), "TRACKER_API_KEY_FILE");
        } else if (config.apiKeyFile() != null) {
            keySource = "api_key_file " + config.apiKeyFile() + " (from " + configPath + ")";
            key = read(config.apiKeyFile(), "api_key_file in " + configPath);
        } else {
            throw TrackerException.usage("no API key for tracker serve at " + parsed.getHost() + " (URL from " + urlSource + ")",
                    "set TRACKER_API_KEY (or TRACKER_API_KEY_FILE, or api_key_file in " + configPath + ") to a key from 'tracker keys create'");
        }
        Path ca = present(env.get("TRACKER_CA_FILE")) ? Path.of(env.get("TRACKER_CA_FILE")) : config.caFile();
        Duration timeout = Settings.DEFAULT_CONNECT_TIMEOUT;
        String t = env.get("TRACKER_CONNECT_TIMEOUT");
        if (present(t)) {
            timeout = Durations.parseOrNull(t);
            if (timeout == null) {
                throw TrackerException.usage("TRACKER_CONNECT_TIMEOUT='" + t + "' is not a duration", "write it like 30s, 10m or 1h");
            }
        } else if (config.connectTimeout() != null) {
            timeout = config.connectTimeout();
        }
        return new Remote(parsed, urlSource, key, keySource, ca, timeout);
    }

    /** http(s)://host[:port][/prefix]; anything else is a usage error naming where it came from. */
    static URI parse(String text, String source) {
        try {
            URI u = new URI(text.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new URISyntaxException(text, "not an http:// or https:// URL with a host");
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new URISyntaxException(text, "a tracker serve URL has no user, query or fragment (the key goes in TRACKER_API_KEY)");
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return new URI(scheme, null, u.getHost(), u.getPort(), path.endsWith("/") ? path : path + "/", null, null);
        } catch (URISyntaxException e) {
            throw TrackerException.usage(source + " is not a tracker serve URL: " + e.getReason(),
                    "give what 'tracker serve' printed, e.g. http://127.0.0.1:8080/");
        }
    }

    private static ApiKey read(Path file, String source) {
        try {
            String k = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (k.isEmpty() || k.contains("\n")) {
                throw TrackerException.usage("the API key file " + file + " (" + source + ") does not hold one key",
                        "put the key 'tracker keys create' printed in it, alone on one line");
            }
            return new ApiKey(k);
        } catch (NoSuchFileException e) {
            throw TrackerException.usage("the API key file " + file + " (" + source + ") does not exist", "create it with the key "
                    + "'tracker keys create' printed (chmod 600)");
        } catch (IOException e) {
            throw TrackerException.usage("cannot read the API key file " + file + " (" + source + "): " + e.getMessage(), null);
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
