package tracker.cli.options;

import picocli.CommandLine.Option;

/** Which database a command talks to. Unset: TRACKER_URI, the config file, then the embedded default. */
public final class ConnectionOptions {
    @Option(names = "--uri", paramLabel = "URI",
            description = "MongoDB connection string (default: $TRACKER_URI, the config file's uri, "
                    + "else the embedded database). Credentials in it are never printed.")
    public String uri;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database name (default: $TRACKER_DATABASE, the URI's path as in mongodb://host/NAME, "
                    + "the config file's database, else 'tracker').")
    public String database;
}
