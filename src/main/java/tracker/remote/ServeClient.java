package tracker.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.VersionProvider;
import tracker.config.Remote;
import tracker.json.Json;

/**
 * The CLI's side of {@code tracker serve}'s API (docs/api.md): one request per call, the key as
 * {@code Authorization: Bearer}, every failure turned back into the exit code, message and hint
 * the command would have given locally ({@link ServeException}). A server that cannot be reached
 * (refused, timed out, a proxy's 502/503) is asked again with backoff - every call when the request
 * never left ({@link ConnectException}), and the idempotent ones (reads, log, heartbeat, end)
 * whatever happened; a claim is never sent twice, since a reply lost after the server claimed
 * would leave a second run claimed and idle until its lease ends.
 */
public final class ServeClient {
    /** Tries of a call whose reply may be repeated safely, and the pause before the second (doubling). */
    static final int TRIES = 3;
    static final long FIRST_PAUSE_MILLIS = 250;
    /**
     * How long an answer may take once connected: a server that hangs must not hang a worker's
     * heartbeat for ever. Reads are generous (an export of 100,000 runs is made whole before it is
     * sent); writes are small and fenced (a lease is minutes long; a worker retries them).
     */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
    static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    private final Remote remote;
    private final HttpClient http;

    public ServeClient(Remote remote) {
        this.remote = remote;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(remote.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER); // a redirect would carry the key elsewhere
        if (remote.caFile() != null) {
            b.sslContext(trusting(remote));
        }
        this.http = b.build();
    }

    /** A successful answer: the body (what the command printed on stdout) and the headers. */
    public record Answer(String body, Map<String, List<String>> headers) {
    }

    /** "tracker serve at host:port", for messages. */
    public String where() {
        return "tracker serve at " + remote.hostPort();
    }

    public Remote remote() {
        return remote;
    }

    /** GET api/v1/PATH?QUERY (idempotent). */
    public Answer get(String path, Query query) {
        return send(request(path, query).timeout(READ_TIMEOUT).GET(), true);
    }

    /** POST api/v1/PATH with the parameters as a form body. */
    public Answer post(String path, Query form, boolean idempotent) {
        return send(request(path, null).timeout(WRITE_TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.encoded())), idempotent);
    }

    /** POST api/v1/PATH?QUERY with a text body (trainer lines, a definition). */
    public Answer postText(String path, Query query, String body, String mediaType, boolean idempotent) {
        return send(request(path, query).timeout(WRITE_TIMEOUT).header("Content-Type", mediaType + "; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), idempotent);
    }

    private HttpRequest.Builder request(String path, Query query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query.encoded();
        return HttpRequest.newBuilder(remote.url().resolve("api/v1/" + path + q))
                .header("Authorization", remote.key().bearer())
                .header("Accept", "application/json, text/*")
                .header("User-Agent", "tracker/" + VersionProvider.version());
    }

    private Answer send(HttpRequest.Builder builder, boolean idempotent) {
        HttpRequest request = builder.build();
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            ServeException failure;
            try {
                HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (res.statusCode() == 200) {
                    return new Answer(res.body(), res.headers().map());
                }
                failure = failure(res);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                failure = unreachable(e, true);
            } catch (SSLException e) {
                throw new ServeException(ExitCode.UNREACHABLE, "cannot make a TLS connection to " + where() + ": " + e.getMessage(), List.of(),
                        remote.caFile() == null ? "a server with a self-signed certificate: give that certificate (PEM) with TRACKER_CA_FILE or ca_file in the config file"
                                : "is " + remote.caFile() + " the certificate of this server?", null, false, e);
            } catch (IOException e) {
                failure = unreachable(e, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackerException(ExitCode.INTERRUPTED, "interrupted while waiting for " + where());
            }
            boolean again = failure.transientFailure() && attempt < TRIES && (idempotent || neverSent(failure));
            if (!again) {
                throw failure;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            pause *= 2;
        }
    }

    private static boolean neverSent(ServeException e) {
        return e.getCause() instanceof ConnectException || e.getCause() instanceof HttpConnectTimeoutException;
    }

    private ServeException unreachable(IOException e, boolean connecting) {
        String why = e instanceof HttpTimeoutException ? "timed out" : e instanceof ConnectException ? "connection refused"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ServeException(ExitCode.UNREACHABLE, "cannot reach " + where() + " (" + why + ")", List.of(),
                (connecting ? "is 'tracker serve' running there? " : "") + "the URL is from " + remote.urlSource(), null, true, e);
    }

    /**
     * The command's error as the server sent it: exit code from its JSON ({@code code}), else the
     * Tracker-Exit-Code header, else the status; 401 and 403 are said in the CLI's words (the key,
     * never shown, and where it came from).
     */
    private ServeException failure(HttpResponse<String> res) {
        Map<String, Object> error = null;
        try {
            if (Json.parse(res.body()) instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> e) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) e;
                error = typed;
            }
        } catch (RuntimeException notJson) {
            // a proxy's page, not the API's: said by its status below
        }
        int status = res.statusCode();
        if (status == 401) {
            return new ServeException(ExitCode.UNREACHABLE, "the API key was refused by " + where() + " (unknown, revoked or expired)",
                    List.of(), "check the key from " + remote.keySource() + "; 'tracker keys create' on the server makes one", null, false, null);
        }
        if (error == null) {
            boolean away = status == 502 || status == 503 || status == 504;
            return new ServeException(ExitCode.UNREACHABLE, where() + " answered HTTP " + status + " without an API error"
                    + (away ? " (a proxy in front of it cannot reach it?)" : ""), List.of(),
                    "is " + remote.url() + " (from " + remote.urlSource() + ") the address 'tracker serve' printed?", null, away, null);
        }
        ExitCode code = exitCode(error.get("code"), res.headers().firstValue("Tracker-Exit-Code").orElse(null), status);
        String message = String.valueOf(error.get("message"));
        String hint = error.get("hint") == null ? null : String.valueOf(error.get("hint"));
        if (status == 403) {
            message = where() + " refused: " + message;
        }
        List<String> details = new ArrayList<>();
        if (error.get("details") instanceof Collection<?> c) {
            c.forEach(d -> details.add(String.valueOf(d)));
        }
        String output = error.get("output") instanceof String s ? s : null;
        // 502: the server is up but its database is not - as transient as a database away is locally;
        // 503 with exit 5: the server is shutting down (another may take over). 503 with exit 4 is next's "not now".
        boolean away = status == 502 || (status == 503 && code == ExitCode.UNREACHABLE);
        return new ServeException(code, message, details, hint, output, away, null);
    }

    private static ExitCode exitCode(Object inBody, String header, int status) {
        Integer n = inBody instanceof Number num ? Integer.valueOf(num.intValue()) : null;
        if (n == null && header != null) {
            try {
                n = Integer.parseInt(header.trim());
            } catch (NumberFormatException e) {
                // the status says it below
            }
        }
        if (n != null && ExitCode.of(n) != null) {
            return ExitCode.of(n);
        }
        return switch (status) {
            case 400 -> ExitCode.USAGE;
            case 404 -> ExitCode.NOT_FOUND;
            case 409 -> ExitCode.CONFLICT;
            case 410 -> ExitCode.NOTHING_LEFT;
            case 422 -> ExitCode.INVALID;
            case 401, 403, 502 -> ExitCode.UNREACHABLE;
            default -> ExitCode.INTERNAL;
        };
    }

    /** Trusts the certificates in the PEM file (a self-signed server's own, or a private CA's), and only those. */
    private static SSLContext trusting(Remote remote) {
        try (InputStream in = Files.newInputStream(remote.caFile())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in it");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (NoSuchFileException e) {
            throw TrackerException.usage("the CA file " + remote.caFile() + " (TRACKER_CA_FILE or ca_file) does not exist", null);
        } catch (IOException | GeneralSecurityException e) {
            throw TrackerException.usage("cannot use the CA file " + remote.caFile() + ": " + e.getMessage(),
                    "give the server's certificate (or its CA's) in PEM, e.g. exported with keytool -exportcert -rfc");
        }
    }
}
