package tracker.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * A request's parameters (query string, and a form body where the endpoint takes one), turned into
 * the options of the command that answers it. Strict as the CLI is: a parameter the endpoint does
 * not know is a 400 that lists the ones it does, not silently ignored (a typo in {@code metrc=}
 * would otherwise show the objective and look right).
 */
final class Params {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    Params(Request r, boolean formBody) {
        r.query().forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        if (formBody && r.body().length > 0) {
            String type = r.header("content-type");
            if (type == null || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                try {
                    new QueryStringDecoder(r.bodyText(), false).parameters()
                            .forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                } catch (IllegalArgumentException e) {
                    throw new Gate.Refused(Reply.error(400, 2, "usage", "malformed form body: " + e.getMessage(),
                            "send parameters as NAME=VALUE&..., percent-encoded (curl --data-urlencode)"));
                }
            }
        }
    }

    /** The last value given for {@code name}, or null. */
    String one(String name) {
        known.add(name);
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        known.add(name);
        return values.getOrDefault(name, List.of());
    }

    /** {@code --option VALUE} for each value of {@code name}. */
    Params option(List<String> args, String name, String option) {
        for (String v : all(name)) {
            args.add(option);
            args.add(v);
        }
        return this;
    }

    /** {@code --option} when {@code name} is given as true, 1, yes or empty (?all-pairs). */
    Params flag(List<String> args, String name, String option) {
        String v = one(name);
        if (v == null) {
            return this;
        }
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "", "1", "true", "yes" -> args.add(option);
            case "0", "false", "no" -> {
            }
            default -> throw new Gate.Refused(Reply.error(400, 2, "usage", "parameter '" + name + "' is true or false, not '" + v + "'", null));
        }
        return this;
    }

    /** Refuses (400) a parameter that nothing asked for. */
    void done() {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new Gate.Refused(Reply.error(400, 2, "usage", "unknown parameter '" + name + "'",
                        known.isEmpty() ? "this endpoint takes no parameters" : "this endpoint takes: " + String.join(", ", known)));
            }
        }
    }
}
