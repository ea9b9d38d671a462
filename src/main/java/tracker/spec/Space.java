package tracker.spec;

import java.util.List;

/**
 * A parameter's space. Every kind maps a unit coordinate u in [0, 1) to a value, so that random
 * and quasi-random search share one code path; finite kinds also enumerate for grid search.
 */
public sealed interface Space {

    /** The name of the kind as written in a definition. */
    String distribution();

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

    /** Integers min..max, both included. */
    record IntUniform(long min, long max) implements Space {
        public String distribution() {
            return "int_uniform";
        }
    }

    /** Multiples of q between min and max. */
    record QUniform(double min, double max, double q) implements Space {
        public String distribution() {
            return "q_uniform";
        }
    }

    /** Log-uniform between min and max, rounded to a multiple of q. */
    record QLogUniform(double min, double max, double q) implements Space {
        public String distribution() {
            return "q_log_uniform";
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
