/**
 * The statistics behind the report's claims of significance, after Demšar (2006), "Statistical
 * Comparisons of Classifiers over Multiple Data Sets", JMLR 7:1-30: average ranks across datasets,
 * the Friedman test with the Iman-Davenport correction, the Nemenyi critical difference and its
 * cliques, Holm-corrected Wilcoxon signed-rank comparisons, and Welch's t-test over the replicates
 * of one dataset; plus the critical-difference diagram as text and as SVG.
 *
 * <p>Pure computation: no picocli, no driver. Distributions and the underlying tests come from
 * Apache Commons Statistics; docs/statistics.md lists the methods, defaults and references.
 */
package tracker.report.stats;
