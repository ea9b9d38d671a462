package tracker.report;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A configuration's parameters for reading: {@code name=value} pairs, doubles in at most 4 significant digits. */
public final class Params {
    private Params() {
    }

    public static String text(Map<String, Object> params) {
        if (params == null || params.isEmpty()) {
            return "-";
        }
        return params.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(" "));
    }

    public static String value(Object v) {
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e6) {
                return String.valueOf(d);
            }
            return String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                    .replaceAll("\\.$", "");
        }
        return String.valueOf(v);
    }
}
