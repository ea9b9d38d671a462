package tracker.cli;

import java.io.InputStream;

import tracker.store.Database;

/**
 * A command run inside {@code tracker serve} for one HTTP request, not from a shell: it works on the
 * server's open database (one connection pool for every request, no server start per call), reads
 * the request body as its standard input, and reports errors as JSON whatever its output format,
 * so that the API's error body is the command's own error. A claim records the HTTP client as its
 * worker and provenance ({@code defaultWorker}, {@code provenance}), not the server's host and pid.
 */
public record Hosted(Database database, InputStream stdin, String defaultWorker, java.util.Map<String, Object> provenance) {

    /** The provenance a claim records: what the client said about itself, with the worker id it ends up under. */
    public java.util.Map<String, Object> provenanceOf(String worker) {
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<>(provenance);
        p.put("worker", worker);
        return p;
    }
}
