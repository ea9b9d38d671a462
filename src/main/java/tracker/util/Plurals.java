package tracker.util;

/** Counts with their noun: "1 run", "2 runs", "0 runs" - never "1 runs". */
public final class Plurals {
    private Plurals() {
    }

    /** n and the noun, with an "s" unless n is 1. */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** n and the noun, for nouns whose plural is not just an "s" (status, statuses). */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
