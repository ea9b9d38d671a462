package tracker.report;

import java.util.Locale;

/** How reports write numbers for people: three decimals, or three significant digits when very large or small. */
public final class Numbers {
    private Numbers() {
    }

    public static String format(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Math.abs(d) >= 1000 || (Math.abs(d) < 0.001 && d != 0) ? String.format(Locale.ROOT, "%.3g", d) : String.format(Locale.ROOT, "%.3f", d);
    }

    /** The same, with "-" for no value. */
    public static String format(Double d) {
        return d == null ? "-" : format(d.doubleValue());
    }

    /** {@code mean ± std}, or the mean alone when one value stands behind it. */
    public static String meanStd(double mean, double std, int n) {
        return format(mean) + (n > 1 ? " ± " + format(std) : "");
    }
}
