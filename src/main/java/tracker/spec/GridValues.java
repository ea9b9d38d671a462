package tracker.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The values a space takes in a grid search, for the spaces that have finitely many. */
public final class GridValues {
    private GridValues() {
    }

    /** How many values, or -1 when the space is continuous without {@code points} (not griddable). */
    public static long size(Space space) {
        if (space instanceof Space.Constant) {
            return 1;
        }
        if (space instanceof Space.Categorical c) {
            return c.values().size();
        }
        if (space instanceof Space.IntUniform i) {
            return i.max() - i.min() + 1;
        }
        if (space instanceof Space.QUniform q) {
            return lattice(q.min(), q.max(), q.q()).size();
        }
        if (space instanceof Space.QLogUniform q) {
            return lattice(q.min(), q.max(), q.q()).size();
        }
        if (space instanceof Space.Uniform u) {
            return u.points() == null ? -1 : u.points();
        }
        if (space instanceof Space.LogUniform u) {
            return u.points() == null ? -1 : u.points();
        }
        return -1; // normal, log_normal: unbounded
    }

    /** The values in order; call only when {@link #size} is not -1. */
    public static List<Object> of(Space space) {
        List<Object> out = new ArrayList<>();
        if (space instanceof Space.Constant c) {
            out.add(c.value());
        } else if (space instanceof Space.Categorical c) {
            out.addAll(c.values());
        } else if (space instanceof Space.IntUniform i) {
            for (long v = i.min(); v <= i.max(); v++) {
                out.add(v);
            }
        } else if (space instanceof Space.QUniform q) {
            out.addAll(lattice(q.min(), q.max(), q.q()));
        } else if (space instanceof Space.QLogUniform q) {
            out.addAll(lattice(q.min(), q.max(), q.q()));
        } else if (space instanceof Space.Uniform u && u.points() != null) {
            for (int k = 0; k < u.points(); k++) {
                out.add(u.points() == 1 ? u.min() : u.min() + (u.max() - u.min()) * k / (u.points() - 1));
            }
        } else if (space instanceof Space.LogUniform u && u.points() != null) {
            double a = Math.log(u.min());
            double b = Math.log(u.max());
            for (int k = 0; k < u.points(); k++) {
                out.add(u.points() == 1 ? u.min() : Math.exp(a + (b - a) * k / (u.points() - 1)));
            }
        } else {
            throw new IllegalArgumentException(space.distribution() + " has no grid");
        }
        return out;
    }

    /** The multiples of q in [min, max], computed in decimal so 0.1 steps do not drift (0.30000000000000004). */
    static List<Double> lattice(double min, double max, double q) {
        BigDecimal step = BigDecimal.valueOf(q);
        BigDecimal lo = BigDecimal.valueOf(Math.ceil(min / q - 1e-9)).multiply(step);
        List<Double> out = new ArrayList<>();
        for (BigDecimal v = lo; v.doubleValue() <= max + 1e-9 * Math.abs(q); v = v.add(step)) {
            out.add(v.doubleValue());
            if (out.size() > 10_000_000) {
                break; // the grid limit reports this; do not run out of memory finding out
            }
        }
        return out;
    }

    /** Rounds to the nearest multiple of q, in decimal. */
    public static double roundTo(double value, double q) {
        return BigDecimal.valueOf(Math.round(value / q)).multiply(BigDecimal.valueOf(q)).doubleValue();
    }
}
