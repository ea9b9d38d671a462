package tracker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

import javax.net.ssl.KeyManagerFactory;

import io.netty.channel.ChannelException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.serve.Api;
import tracker.serve.HttpServer;
import tracker.store.Database;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve the HTTP API (/api/v1) and the dashboard (/) over this database until stopped (Ctrl-C, SIGTERM).",
                "Workers that have only curl claim, log and end runs through it; people watch and compare sweeps in a browser. "
                        + "Every request needs an API key ('tracker keys create'); see docs/api.md.",
                "It prints its URL on stdout, then one line per request on stderr (never a key or a query string).",
                "Beyond loopback it needs TLS (--tls-keystore) or --insecure-http: keys and tokens would cross the network in clear text.",
                ""})
public final class ServeCommand extends ConnectedCommand {
    @Option(names = "--bind", paramLabel = "ADDRESS", description = "The address to listen on (default: 127.0.0.1, this machine only).")
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "N", description = "The port (default: 8080; 0 picks a free one and prints it).")
    int port = 8080;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate in this PKCS#12 (or JKS) keystore.")
    Path keystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE",
            description = "The keystore's password, from this file (default: $TRACKER_TLS_PASSWORD, else none).")
    Path passwordFile;

    @Option(names = "--insecure-http",
            description = "Allow plain HTTP on an address other than loopback. Anyone on the network path can read and reuse "
                    + "the API keys and run tokens sent to it: only for a trusted, private network.")
    boolean insecureHttp;

    @Option(names = "--threads", paramLabel = "N", description = "Requests answered at once (default: 32); more wait their turn.")
    int threads = 32;

    @Option(names = "--quiet", description = "No line per request on stderr.")
    boolean quiet;

    /** The server itself: a TRACKER_URL in its environment (for the CLI on the same machine) is not for it. */
    @Override
    protected boolean databaseOnly() {
        return true;
    }

    @Override
    protected ExitCode run(Database db, Cli cli) throws Exception {
        if (port < 0 || port > 65535) {
            throw TrackerException.usage("--port " + port + " is not a port", "give 1-65535, or 0 for any free one");
        }
        if (threads < 1 || threads > 1024) {
            throw TrackerException.usage("--threads must be 1 to 1024, not " + threads, null);
        }
        boolean loopback = loopback(bind);
        SslContext tls = keystore == null ? null : tls(cli);
        if (!loopback && tls == null && !insecureHttp) {
            throw TrackerException.usage("refusing plain HTTP on " + bind + ": API keys and run tokens would cross the network in clear text",
                    "give --tls-keystore FILE (PKCS#12), or --insecure-http on a network you trust, or bind to 127.0.0.1");
        }
        HttpServer server;
        try {
            server = HttpServer.start(bind, port, tls, threads, new Api(db), quiet ? line -> { } : line -> {
                synchronized (cli.err()) {
                    cli.err().println(line);
                    cli.err().flush();
                }
            });
        } catch (UncheckedIOException | ChannelException e) {
            String why = e.getCause() instanceof BindException b ? b.getMessage() : e.getMessage();
            throw TrackerException.usage("cannot listen on " + bind + ":" + port + ": " + why,
                    e.getCause() instanceof BindException && String.valueOf(why).contains("in use")
                            ? "another server has that port; choose another with --port (0: any free one)"
                            : "is the address one of this machine's? --bind 0.0.0.0 listens on all of them");
        }
        Thread hook = new Thread(server::close, "tracker-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        String url = (tls != null ? "https" : "http") + "://" + host + ":" + server.port() + "/";
        cli.out().println(url);
        cli.out().flush();
        cli.note("serving the API (" + url + "api/v1) and the dashboard (" + url + ") on database '" + db.name() + "' at " + db.hosts()
                + (!loopback && tls == null ? "; WARNING: plain HTTP beyond loopback (--insecure-http)" : "") + "; stop with Ctrl-C");
        String elsewhere = everyAddress(bind) ? hostName() : null;
        if (elsewhere != null) { // 0.0.0.0 is where it listens, not an address to give the workers
            cli.note("on every address of this machine: other machines reach it as " + url.replace(host, elsewhere)
                    + " (or by another of its names or addresses" + (tls != null ? " that its certificate names" : "") + ")");
        }
        try {
            server.awaitClose();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the server
            }
            server.close();
        }
        return ExitCode.OK;
    }

    private static boolean everyAddress(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** This machine's name as others on the network would know it, or null when it has none. */
    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.isBlank() || InetAddress.getByName(name).isLoopbackAddress() ? null : name;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw TrackerException.usage("--bind '" + address + "' is not an address of this machine", "e.g. 127.0.0.1, 0.0.0.0 or ::");
        }
    }

    private SslContext tls(Cli cli) {
        char[] password = password(cli);
        String hint = "give a PKCS#12 file with the server's key and certificate (keytool -genkeypair ... -storetype PKCS12) "
                + "and its password in --tls-password-file or $TRACKER_TLS_PASSWORD";
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            String name = keystore.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password);
        } catch (NoSuchFileException e) {
            throw TrackerException.usage("cannot use the keystore " + keystore + ": no such file", hint);
        } catch (IOException | GeneralSecurityException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password");
            throw TrackerException.usage("cannot use the keystore " + keystore + ": "
                    + (wrongPassword ? "the password is wrong" : "not a readable PKCS#12 or JKS keystore"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")), hint);
        }
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(ks.aliases())) {
                hasKey |= ks.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw TrackerException.usage("cannot use the keystore " + keystore + ": it holds no private key, only certificates", hint);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return SslContextBuilder.forServer(kmf).build();
        } catch (GeneralSecurityException | IOException e) {
            throw TrackerException.usage("cannot use the keystore " + keystore + ": "
                    + (e instanceof UnrecoverableKeyException ? "the key's password differs from the keystore's" : e.getMessage()), hint);
        }
    }

    private char[] password(Cli cli) {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
            } catch (IOException e) {
                throw TrackerException.usage("cannot read --tls-password-file " + passwordFile + ": " + e.getMessage(), null);
            }
        }
        String p = cli.env().get("TRACKER_TLS_PASSWORD");
        return p == null ? new char[0] : p.toCharArray();
    }
}
