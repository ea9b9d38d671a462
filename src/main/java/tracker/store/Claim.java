package tracker.store;

import java.time.Instant;
import java.util.Map;

/**
 * A run handed to a worker: what to train and the fencing token that every later write about the
 * run must carry.
 */
public record Claim(String run, String token, String experiment, String model, String dataset, int trial,
                    int replicate, long seed, int attempt, Map<String, Object> params, Instant leaseUntil,
                    long leaseMillis, String checkpoint, String command, boolean resumed) {
}
