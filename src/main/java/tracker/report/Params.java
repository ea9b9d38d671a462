package tracker.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.stream.Collectors;

import tracker.util.FloatText;

/**
 * A configuration's parameters for reading: {@code name=value} pairs, doubles rounded to 4
 * significant digits (whole ones below a million kept whole) and written as everywhere else
 * ({@link FloatText}: {@code 0.0001552}, {@code 1.55e-05}, {@code 32.0}); the stored values and
 * the machine formats keep full precision.
 */
public final class Params {
    private static final MathContext SIGNIFICANT = new MathContext(4);

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
            if (!Double.isFinite(d) || (d == Math.rint(d) && Math.abs(d) < 1e6)) {
                return FloatText.of(d);
            }
            return FloatText.of(new BigDecimal(d).round(SIGNIFICANT).doubleValue());
        }
        return String.valueOf(v);
    }
}
