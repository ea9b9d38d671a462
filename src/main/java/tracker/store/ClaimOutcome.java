package tracker.store;

import java.time.Instant;

/** What {@code next} found: a claim, nothing left at all, or nothing claimable until runs in flight finish. */
public sealed interface ClaimOutcome {
    record Claimed(Claim claim) implements ClaimOutcome {
    }

    /** Every run (of the filtered cells) is finished: the worker can stop. */
    record NothingLeft() implements ClaimOutcome {
    }

    /** Runs are in flight; the earliest lease ends at {@code nextExpiry} (null if unknown). */
    record NothingNow(int inFlight, Instant nextExpiry) implements ClaimOutcome {
        /** How long to wait before asking again: {@code backoff}, or less when a lease ends sooner (just after it). */
        public long pauseMillis(long backoff) {
            if (nextExpiry == null) {
                return backoff;
            }
            long untilExpiry = Instant.now().until(nextExpiry, java.time.temporal.ChronoUnit.MILLIS) + 50;
            return Math.max(50, Math.min(backoff, untilExpiry));
        }
    }
}
