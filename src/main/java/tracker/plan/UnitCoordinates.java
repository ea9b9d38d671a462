package tracker.plan;

import java.util.List;

import tracker.spec.Space;

/**
 * The inverse of {@link SettingsSampler#valueAt}: where in the unit coordinate u in [0, 1) a
 * space produces a given value. The TPE sampler learns in these coordinates, so that log scales,
 * integers, quantized and normal kinds are all handled by the one mapping every sampler already
 * shares, and a point it proposes always maps back to a legal value.
 *
 * <ul>
 *   <li>Continuous kinds (uniform, log_uniform, normal, log_normal): the exact inverse, log kinds
 *       in log space, normal kinds through the standard normal CDF. At the top bound u is the
 *       largest double below 1, since u = 1 is outside the domain.</li>
 *   <li>Finite kinds (int_uniform, its log form, q_uniform, q_log_uniform, categorical): the
 *       centre of the u-interval that maps to the value, so that valueAt(unitOf(v)) == v holds
 *       with room to spare on both sides, whatever rounding does at the interval's ends.</li>
 *   <li>Constants take no coordinate; their own value is at 0.5, as anywhere.</li>
 * </ul>
 *
 * Numbers are compared by value, not by class: a setting read back from the database may hold
 * an Integer where the sampler wrote a Long, or 3.0 for 3.
 */
public final class UnitCoordinates {
    /** The largest u in the domain [0, 1). */
    private static final double LAST_U = Math.nextDown(1.0);

    private UnitCoordinates() {
    }

    /**
     * The u in [0, 1) whose value is {@code value}.
     *
     * @throws IllegalArgumentException if the space cannot produce the value (out of range, not
     *                                  a whole number or a multiple of q where one is needed, an
     *                                  unknown category, not a number, null)
     */
    public static double unitOf(Space space, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("null is no value of " + space.distribution());
        }
        if (space instanceof Space.Constant c) {
            if (!sameValue(c.value(), value)) {
                throw cannot(space, value);
            }
            return 0.5;
        }
        if (space instanceof Space.Categorical c) {
            List<Object> values = c.values();
            for (int i = 0; i < values.size(); i++) {
                if (sameValue(values.get(i), value)) {
                    return (i + 0.5) / values.size();
                }
            }
            throw cannot(space, value);
        }
        double x = number(space, value);
        if (space instanceof Space.Uniform s) {
            requireWithin(space, value, x, s.min(), s.max());
            return s.max() == s.min() ? 0.5 : unit((x - s.min()) / (s.max() - s.min()));
        }
        if (space instanceof Space.LogUniform s) {
            requireWithin(space, value, x, s.min(), s.max());
            return s.max() == s.min() ? 0.5 : unit(logFraction(x, s.min(), s.max()));
        }
        if (space instanceof Space.IntUniform s) {
            long k = whole(space, value, x);
            if (k < s.min() || k > s.max()) {
                throw cannot(space, value);
            }
            if (s.log()) {
                // k is drawn where exp(a + u (b - a)) rounds to k: the log-interval [k - 0.5, k + 0.5]
                double low = Math.max(0.0, logFraction(k - 0.5, s.min() - 0.5, s.max() + 0.5));
                double high = Math.min(1.0, logFraction(k + 0.5, s.min() - 0.5, s.max() + 0.5));
                return checked(space, value, unit(0.5 * (low + high)));
            }
            double span = (double) s.max() - s.min() + 1.0;
            return checked(space, value, unit((k - s.min() + 0.5) / span));
        }
        if (space instanceof Space.QUniform s) {
            // x is drawn where min + u (max - min) rounds to it: [x - q/2, x + q/2] within the bounds
            double low = Math.max(s.min(), x - 0.5 * s.q());
            double high = Math.min(s.max(), x + 0.5 * s.q());
            if (low > high || s.max() == s.min()) {
                return checked(space, value, 0.5);
            }
            double centre = 0.5 * ((low - s.min()) + (high - s.min())) / (s.max() - s.min());
            return checked(space, value, unit(centre));
        }
        if (space instanceof Space.QLogUniform s) {
            double low = Math.max(s.min(), x - 0.5 * s.q());
            double high = Math.min(s.max(), x + 0.5 * s.q());
            if (low > high || s.max() == s.min()) {
                return checked(space, value, 0.5);
            }
            double centre = 0.5 * (logFraction(low, s.min(), s.max()) + logFraction(high, s.min(), s.max()));
            return checked(space, value, unit(centre));
        }
        if (space instanceof Space.Normal s) {
            return unit(StandardNormal.cdf((x - s.mu()) / s.sigma()));
        }
        if (space instanceof Space.LogNormal s) {
            if (!(x > 0)) {
                throw cannot(space, value);
            }
            return unit(StandardNormal.cdf((StrictMath.log(x) - s.mu()) / s.sigma()));
        }
        throw new IllegalArgumentException("unknown space: " + space);
    }

    /** Whether two settings values are the same: equal, or numbers of equal value. */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

    private static double logFraction(double x, double min, double max) {
        double a = StrictMath.log(min);
        return (StrictMath.log(x) - a) / (StrictMath.log(max) - a);
    }

    private static double number(Space space, Object value) {
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw cannot(space, value);
        }
        return n.doubleValue();
    }

    private static long whole(Space space, Object value, double x) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (x != Math.rint(x) || Math.abs(x) >= 0x1.0p53) {
            throw cannot(space, value);
        }
        return (long) x;
    }

    private static void requireWithin(Space space, Object value, double x, double min, double max) {
        if (x < min || x > max) {
            throw cannot(space, value);
        }
    }

    /** The finite kinds' safety net: the centre must map back to the value, else the value is not one of the space's. */
    private static double checked(Space space, Object value, double u) {
        if (!sameValue(SettingsSampler.valueAt(space, u), value)) {
            throw cannot(space, value);
        }
        return u;
    }

    private static double unit(double u) {
        return Math.max(0.0, Math.min(LAST_U, u));
    }

    private static IllegalArgumentException cannot(Space space, Object value) {
        return new IllegalArgumentException(space.distribution() + " " + space + " cannot produce " + value);
    }
}
