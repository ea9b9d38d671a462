package tracker.serve;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the API sees it, copied out of netty's buffers: the path already split into
 * decoded segments (a run id's slashes are segments, see {@link Api}), the query's parameters, the
 * body's bytes, and who asked (the remote address, for the failed-sign-in throttle and the log).
 */
public record Request(String method, String path, List<String> segments, Map<String, List<String>> query,
                      Map<String, String> headers, byte[] body, String remote) {

    /** A header by its lower-case name, or null. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The bearer token of the Authorization header, or null. */
    public String bearer() {
        String a = header("authorization");
        if (a == null || a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return a.substring(7).trim();
    }
}
