package tracker.spec;

import java.util.List;

/**
 * A parameter's space. Every kind maps a unit coordinate u in [0, 1) to a value, so that random
 * and quasi-random search share one code path; finite kinds also enumerate for grid search.
 */
public sealed interface Space {

    /** The name of the kind as written in a definition. */
    String distribution();

    /**
     * A whole number a double holds exactly with room to spare. By value, not by spelling: the
     * canonical form (and so the plan) must not depend on whether a file says 16 or 16.0.
     */
    private static boolean whole(double x) {
        return x == Math.rint(x) && Math.abs(x) < GridValues.MAX_STEPS;
    }

    record Constant(Object value) implements Space {
        public String distribution() {
            return "constant";
        }
    }

    record Categorical(List<Object> values) implements Space {
        public String distribution() {
            return "categorical";
        }
    }

    /** @param points for grid search: this many evenly spaced values (null: not griddable) */
    record Uniform(double min, double max, Integer points) implements Space {
        public String distribution() {
            return "uniform";
        }
    }

    /** @param points for grid search: this many log-spaced values (null: not griddable) */
    record LogUniform(double min, double max, Integer points) implements Space {
        public String distribution() {
            return "log_uniform";
        }
    }

    /**
     * Integers min..max, both included.
     *
     * @param log drawn log-uniformly (min at least 1): each integer k as likely as the interval
     *            [k - 0.5, k + 0.5] is on a log scale, so 1..1000 gives as many draws below 32 as above
     */
    record IntUniform(long min, long max, boolean log) implements Space {
        public IntUniform(long min, long max) {
            this(min, max, false);
        }

        public String distribution() {
            return "int_uniform";
        }
    }

    /** Multiples of q between min and max; integers when min, max and q are whole numbers. */
    record QUniform(double min, double max, double q) implements Space {
        public String distribution() {
            return "q_uniform";
        }

        /** Whether the values are integers (Long): {@code --width=32}, which argparse's type=int takes, not 32.0. */
        public boolean integers() {
            return whole(min) && whole(max) && whole(q);
        }
    }

    /** Log-uniform between min and max, rounded to a multiple of q; integers when min, max and q are whole numbers. */
    record QLogUniform(double min, double max, double q) implements Space {
        public String distribution() {
            return "q_log_uniform";
        }

        /** Whether the values are integers (Long), as for {@link QUniform#integers()}. */
        public boolean integers() {
            return whole(min) && whole(max) && whole(q);
        }
    }

    record Normal(double mu, double sigma) implements Space {
        public String distribution() {
            return "normal";
        }
    }

    /** exp of a normal(mu, sigma). */
    record LogNormal(double mu, double sigma) implements Space {
        public String distribution() {
            return "log_normal";
        }
    }
}
