package tracker.util;

import java.util.Collection;

/** "Did you mean …" for near misses in keys, names and options. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The closest candidate within a small edit distance, or null when nothing is close. A swap
     * of two neighbouring letters counts as one edit (--veiw is one from --view); of equally close
     * candidates the one nearest in length wins, then the first given.
     */
    public static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestLengthGap = Integer.MAX_VALUE;
        String lower = word.toLowerCase();
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase());
            int lengthGap = Math.abs(c.length() - word.length());
            if (d < bestDistance || (d == bestDistance && lengthGap < bestLengthGap)) {
                bestDistance = d;
                bestLengthGap = lengthGap;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
