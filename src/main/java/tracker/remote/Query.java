package tracker.remote;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An API request's parameters, in order, as a query string or a form body; null values are left out. */
public final class Query {
    private final List<String[]> pairs = new ArrayList<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String name, Object value) {
        if (value != null) {
            pairs.add(new String[] {name, String.valueOf(value)});
        }
        return this;
    }

    public Query addAll(String name, Collection<?> values) {
        for (Object v : values) {
            add(name, v);
        }
        return this;
    }

    /** A boolean parameter, sent only when true. */
    public Query flag(String name, boolean on) {
        return on ? add(name, "true") : this;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** name=value&amp;... with both percent-encoded. */
    public String encoded() {
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(p[0], StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** One path segment, percent-encoded (a space as %20: the server reads + in a path as a space). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A run id's segments (NAME@VERSION/MODEL/DATASET/N), each encoded, the slashes kept. */
    public static String path(String id) {
        List<String> out = new ArrayList<>();
        for (String s : id.split("/", -1)) {
            out.add(segment(s));
        }
        return String.join("/", out);
    }
}
