package tracker.report.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a critical-difference diagram (Demšar 2006, Figure 1) shows: k models placed on an axis of
 * average rank from 1 to k, the Nemenyi critical difference as a bar of its length, and the
 * cliques of models it cannot tell apart as thick lines. Rendered by {@link CdDiagramText} for the
 * terminal and {@link CdDiagramSvg} for papers.
 *
 * @param names              the models' names, in the order of the ranks
 * @param averageRanks       each model's average rank
 * @param criticalDifference the Nemenyi CD at {@code alpha}
 * @param cliques            the groups joined by lines ({@link Clique#of})
 * @param datasets           N, the number of datasets ranked
 */
public record CdDiagram(List<String> names, double[] averageRanks, double criticalDifference, double alpha,
        List<Clique> cliques, int datasets) {

    public CdDiagram {
        names = List.copyOf(names);
        averageRanks = averageRanks.clone();
        cliques = List.copyOf(cliques);
        if (names.size() != averageRanks.length || names.size() < 2) {
            throw new IllegalArgumentException("a diagram needs a name for each of at least two models: "
                    + names.size() + " names, " + averageRanks.length + " ranks");
        }
        for (double r : averageRanks) {
            if (!(r >= 1 && r <= names.size())) {
                throw new IllegalArgumentException("average rank " + r + " is outside 1.." + names.size());
            }
        }
    }

    @Override
    public double[] averageRanks() {
        return averageRanks.clone();
    }

    /** The diagram of ranked models at the Nemenyi test's level, its cliques computed here. */
    public static CdDiagram of(List<String> names, AverageRanks ranks, Nemenyi nemenyi) {
        return new CdDiagram(names, ranks.average(), nemenyi.criticalDifference(), nemenyi.alpha(),
                Clique.of(ranks.average(), nemenyi.criticalDifference()), ranks.datasets());
    }

    /** k, the number of models: the axis runs from 1 to k. */
    public int models() {
        return names.size();
    }

    /** The models' indices, best average rank first; equal ranks keep their input order. */
    public Integer[] byRank() {
        Integer[] order = new Integer[models()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> averageRanks[i]));
        return order;
    }

    /** One line that says what the diagram shows, in words (with "alpha" when {@code unicode} is false). */
    public String caption(boolean unicode) {
        return String.format(Locale.ROOT, "Critical difference (Nemenyi, %s = %s): CD = %.2f; %d models, %d datasets",
                unicode ? "α" : "alpha", alphaText(), criticalDifference, models(), datasets);
    }

    /** The legend under the diagram. */
    public static String legend() {
        return "A line joins models whose average ranks differ by less than CD: the test cannot tell them apart.";
    }

    String alphaText() {
        return String.format(Locale.ROOT, "%.2f", alpha);
    }

    static String rankText(double rank) {
        return String.format(Locale.ROOT, "%.2f", rank);
    }

    /** Control characters would garble a terminal and are not allowed in XML: shown as '?'. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
