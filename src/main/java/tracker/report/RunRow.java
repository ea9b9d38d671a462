package tracker.report;

import java.util.List;
import java.util.Map;

/**
 * One run as the runs view shows it.
 *
 * @param objective the best value of the objective (what ranks the run), null when it has none; a
 *                  pruned run's last value (early stopping judged it there)
 * @param last      the objective's value at the last epoch logged
 * @param duration  seconds from the claim of its last attempt to its end; null while it has not ended
 * @param chosenEpoch the epoch the {@link Selection} chooses of the run (its best or its last); null when it has none
 * @param shown     the selection's shown metric at that epoch (or the duration, for {@code --metric duration});
 *                  null when the run has no such value
 */
public record RunRow(String run, String model, String dataset, int trial, int replicate, Long seed, String status, int attempt,
                     Map<String, Object> params, Double objective, Double last, Long epochs, Double duration,
                     Long chosenEpoch, Double shown) {

    /** Fields that --where and --sort know, besides {@code params.NAME}. */
    public static final List<String> FIELDS = List.of("run", "model", "dataset", "trial", "replicate", "seed", "status", "attempt",
            "objective", "final", "epochs", "duration", "chosen_epoch", "shown");

    /** Fields whose values are text (compared by equality only). */
    static final List<String> TEXT = List.of("run", "model", "dataset", "status");

    /** The value of a field (a name of {@link #FIELDS} or {@code params.NAME}); null when the run has none. */
    public Object get(String field) {
        if (field.startsWith("params.")) {
            return params == null ? null : params.get(field.substring("params.".length()));
        }
        return switch (field) {
            case "run" -> run;
            case "model" -> model;
            case "dataset" -> dataset;
            case "trial" -> trial;
            case "replicate" -> replicate;
            case "seed" -> seed;
            case "status" -> status;
            case "attempt" -> attempt;
            case "objective" -> objective;
            case "final" -> last;
            case "epochs" -> epochs;
            case "duration" -> duration;
            case "chosen_epoch" -> chosenEpoch;
            case "shown" -> shown;
            default -> throw new IllegalArgumentException("no field " + field);
        };
    }
}
