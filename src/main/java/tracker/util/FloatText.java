package tracker.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles as text the way Python's {@code repr(float)} writes them, because that is what the
 * trainers reading our values print and parse: the fewest significant digits that read back to
 * the same double, in plain decimal notation when the decimal exponent is from -4 to 15
 * ({@code 0.000155187824512396}, {@code 32.0}, {@code 1000000000000000.0}) and in scientific
 * notation with a signed exponent of at least two digits otherwise ({@code 1.55e-05},
 * {@code 2e+16}). Whole numbers keep their {@code .0} in plain notation: the value is a float.
 * Never Java's {@code 1.55E-5}.
 */
public final class FloatText {
    /** Python switches to scientific notation for exponents below this ... */
    private static final int MIN_PLAIN_EXPONENT = -4;
    /** ... and from this one up. */
    private static final int MAX_PLAIN_EXPONENT = 15;

    private FloatText() {
    }

    /** The shortest round-tripping text; {@code nan}, {@code inf} and {@code -inf} for the non-finite values. */
    public static String of(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // of the first digit
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (exponent < MIN_PLAIN_EXPONENT || exponent > MAX_PLAIN_EXPONENT) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                sb.append('0');
            }
            sb.append(magnitude);
        } else if (exponent < 0) {
            sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (exponent + 1 < digits.length()) {
            sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        } else {
            sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        }
        return sb.toString();
    }

    /**
     * The same for YAML: a point in every mantissa ({@code 1.0e-05}, {@code 2.0e+16}), because
     * YAML 1.1 readers such as PyYAML take {@code 1e-05} for text; and YAML's {@code .nan},
     * {@code .inf}, {@code -.inf}.
     */
    public static String yaml(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        String text = of(d);
        int e = text.indexOf('e');
        return e < 0 || text.lastIndexOf('.', e) >= 0 ? text : text.substring(0, e) + ".0" + text.substring(e);
    }

    /**
     * The fewest significant digits that read back to x (positive, finite), without trailing
     * zeros. Starts from {@link Double#toString}, which before Java 19 sometimes gives digits too
     * many (JDK-4511638: 8.41E21 came out as 8.409999999999999E21, 5E-324 as 4.9E-324) and is
     * shortest from Java 19 on; then drops digits while the value still reads back, trying the
     * decimals just below and above x at each length. If some length works every longer one does
     * (the same decimal with a zero appended lies between it and x), so the search stops at the
     * first length that fails: two roundings in the common case.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal best = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        // From Java 19 on the digits of Double.toString are already the shortest (and the closest of
        // those), except that where one digit would do it may give the closer two (4.9E-324 for 5e-324).
        // The search below costs BigDecimal arithmetic: it made an export of 100,000 runs twice as slow.
        if (TO_STRING_IS_SHORTEST && best.precision() != 2) {
            return best;
        }
        return search(x, best);
    }

    /** Whether this JVM's Double.toString gives shortest digits (JDK-4511638, fixed in Java 19). */
    static final boolean TO_STRING_IS_SHORTEST = Runtime.version().feature() >= 19;

    /** The search of {@link #shortest}, from {@code best}: what any JVM gets right. */
    static BigDecimal search(double x, BigDecimal best) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = best.precision() - 1; p >= 1; p--) {
            BigDecimal below = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean belowWorks = below.doubleValue() == x;
            boolean aboveWorks = above.doubleValue() == x;
            if (!belowWorks && !aboveWorks) {
                break;
            }
            best = (belowWorks && aboveWorks
                    ? (exact.subtract(below).compareTo(above.subtract(exact)) <= 0 ? below : above)
                    : belowWorks ? below : above).stripTrailingZeros();
        }
        return best;
    }
}
