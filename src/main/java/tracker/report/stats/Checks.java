package tracker.report.stats;

/** Argument checks shared by the tests, with messages that say what the caller must change. */
final class Checks {
    private Checks() {
    }

    /** The number of models in {@code table[dataset][model]}, after checking it is a full table. */
    static int models(double[][] table) {
        if (table.length == 0) {
            throw new IllegalArgumentException("no datasets: a comparison across datasets needs at least one");
        }
        int models = table[0].length;
        if (models < 2) {
            throw new IllegalArgumentException("a comparison needs at least two models, got " + models);
        }
        for (int d = 1; d < table.length; d++) {
            if (table[d].length != models) {
                throw new IllegalArgumentException("dataset " + d + " has " + table[d].length + " scores, dataset 0 has " + models
                        + ": every dataset needs one score per model");
            }
        }
        return models;
    }

    static void alpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1 (exclusive), got " + alpha);
        }
    }
}
