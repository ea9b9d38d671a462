package tracker.plan;

import java.util.SortedMap;

/**
 * One small run of a plan: a model with one parameter setting and one seed on one dataset.
 * Trial k of a model has the same setting on every dataset, so settings compare across tasks;
 * replicate r has the same seed everywhere (common random numbers). Under adaptive search params
 * is null: the trial's setting is chosen per cell when it is first claimed.
 */
public record PlannedRun(String model, String dataset, int trial, int replicate, long seed,
                         SortedMap<String, Object> params, int priority) {

    /** The run's id within its experiment: stable, so planning twice never makes a second copy. */
    public String key() {
        return model + "/" + dataset + "/" + trial + "/" + replicate;
    }
}
