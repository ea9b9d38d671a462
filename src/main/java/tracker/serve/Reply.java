package tracker.serve;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tracker.json.JsonWriter;

/**
 * One HTTP response: status, content type, extra headers, body; and how long to hold it back (a
 * refused sign-in after many others waits, so guessing keys is slow without tying up a thread).
 */
public record Reply(int status, String contentType, Map<String, String> headers, byte[] body, long delayMillis) {

    public static Reply json(int status, Object value) {
        return new Reply(status, "application/json; charset=utf-8", Map.of(), (JsonWriter.write(value) + "\n").getBytes(StandardCharsets.UTF_8), 0);
    }

    /** A text body; {@code mediaType} without parameters (the charset is always UTF-8). */
    public static Reply text(int status, String mediaType, String text) {
        return new Reply(status, mediaType + "; charset=utf-8", Map.of(), text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /**
     * The API's error body: {"error": {"code", "kind", "message", "hint"?}}, as the CLI prints under -o json; the exit code
     * the CLI would have ended with is also the Tracker-Exit-Code header.
     */
    public static Reply error(int status, int code, String kind, String message, String hint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("kind", kind);
        body.put("message", message);
        if (hint != null) {
            body.put("hint", hint);
        }
        return json(status, Map.of("error", body)).withHeader("Tracker-Exit-Code", Integer.toString(code));
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, h, body, delayMillis);
    }

    public Reply delayed(long millis) {
        return new Reply(status, contentType, headers, body, millis);
    }
}
