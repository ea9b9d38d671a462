package tracker.cli.options;

import picocli.CommandLine.Option;

/**
 * Which database a command talks to. Unset: TRACKER_URI, the config file, then the embedded default;
 * or, with --url (TRACKER_URL, the config file's url), a tracker serve in front of one.
 */
public final class ConnectionOptions {
    @Option(names = "--uri", paramLabel = "URI",
            description = "MongoDB connection string (default: $TRACKER_URI, the config file's uri, "
                    + "else the embedded database). Credentials in it are never printed.")
    public String uri;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database name (default: $TRACKER_DATABASE, the URI's path as in mongodb://host/NAME, "
                    + "the config file's database, else 'tracker').")
    public String database;

    @Option(names = "--url", paramLabel = "URL",
            description = "Go through 'tracker serve' at this URL instead of a database (default: $TRACKER_URL, the config file's "
                    + "url), with the API key in $TRACKER_API_KEY (or the file $TRACKER_API_KEY_FILE or api_key_file names).")
    public String url;
}
