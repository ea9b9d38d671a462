package tracker.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tracker.report.stats.Comparison.Family;
import tracker.report.stats.ReplicateTies.Verdict;

class PairwiseTest {
    @Test
    void holm_multiplies_the_ith_smallest_by_m_minus_i_plus_one_and_keeps_the_order() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        assertThat(Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005}))
                .containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-15));
        assertThat(Holm.adjust(new double[] {0.5, 0.9})).containsExactly(1, 1);
        assertThat(Holm.adjust(new double[0])).isEmpty();
        assertThatThrownBy(() -> Holm.adjust(new double[] {Double.NaN})).hasMessageContaining("p-value 0 is NaN");
    }

    @Test
    void against_the_best_compares_k_minus_1_pairs_and_corrects_over_them() {
        AverageRanks ranks = AverageRanks.of(Demsar2006.AUC, true);
        List<Comparison> c = Comparison.wilcoxonHolm(Demsar2006.AUC, ranks, Family.AGAINST_BEST, 0.05);
        assertThat(c).extracting(Comparison::first).containsOnly(3); // C4.5+m+cf has the best average rank
        assertThat(c).extracting(Comparison::second).containsExactly(0, 1, 2);
        double[] raw = c.stream().mapToDouble(Comparison::pValue).toArray();
        assertThat(c).extracting(Comparison::adjustedP).containsExactly(Holm.adjust(raw)[0], Holm.adjust(raw)[1], Holm.adjust(raw)[2]);
        for (Comparison one : c) {
            assertThat(one.significant()).isEqualTo(one.adjustedP() <= 0.05);
            assertThat(one.adjustedP()).isGreaterThanOrEqualTo(one.pValue());
        }
    }

    @Test
    void all_pairs_compares_k_choose_2_pairs_in_index_order() {
        AverageRanks ranks = AverageRanks.of(Demsar2006.AUC, true);
        List<Comparison> c = Comparison.wilcoxonHolm(Demsar2006.AUC, ranks, Family.ALL_PAIRS, 0.05);
        assertThat(c).extracting(x -> x.first() + "-" + x.second()).containsExactly("0-1", "0-2", "0-3", "1-2", "1-3", "2-3");
        // Table 2's pair: C4.5 against C4.5+m, p = 0.0108 (SciPy), adjusted over six
        assertThat(c.get(0).pValue()).isCloseTo(0.01075713311978963, within(1e-12));
        assertThat(c.get(0).adjustedP()).isLessThanOrEqualTo(6 * c.get(0).pValue());
    }

    @Test
    void identical_columns_are_no_difference_not_an_error() {
        double[][] scores = {{0.5, 0.5, 0.9}, {0.6, 0.6, 0.8}, {0.7, 0.7, 0.95}};
        List<Comparison> c = Comparison.wilcoxonHolm(scores, AverageRanks.of(scores, true), Family.ALL_PAIRS, 0.05);
        assertThat(c.get(0).test().method()).isEqualTo(SignedRank.Method.NONE);
        assertThat(c.get(0).pValue()).isEqualTo(1);
        assertThat(c.get(0).significant()).isFalse();
    }

    @Test
    void mismatched_ranks_and_scores_are_refused() {
        double[][] scores = {{0.5, 0.6}, {0.6, 0.7}};
        AverageRanks other = AverageRanks.of(new double[][] {{1, 2, 3}}, true);
        assertThatThrownBy(() -> Comparison.wilcoxonHolm(scores, other, Family.ALL_PAIRS, 0.05))
                .hasMessageContaining("ranks are of 3 models on 1 datasets");
    }

    @Test
    void welch_treats_constant_samples_without_dividing_by_zero() {
        assertThat(Welch.test(new double[] {0.9, 0.9}, new double[] {0.9, 0.9}).pValue()).isEqualTo(1);
        Welch apart = Welch.test(new double[] {0.9, 0.9}, new double[] {0.8, 0.8});
        assertThat(apart.pValue()).isZero();
        assertThat(apart.t()).isPositive().isInfinite();
        assertThatThrownBy(() -> Welch.test(new double[] {0.9}, new double[] {0.8, 0.7}))
                .hasMessageContaining("at least 2 values per sample, the first has 1");
        assertThatThrownBy(() -> Welch.test(new double[] {0.9, Double.NaN}, new double[] {0.8, 0.7}))
                .hasMessageContaining("the first sample holds NaN");
    }

    @Test
    void replicate_ties_say_best_not_worse_worse_and_untested_distinctly() {
        List<double[]> replicates = List.of(
                new double[] {0.90, 0.91, 0.92},   // 0 best
                new double[] {0.89, 0.93, 0.90},   // 1 within the noise
                new double[] {0.70, 0.71, 0.72},   // 2 clearly worse
                new double[] {0.95},               // 3 one replicate: cannot be tested, even with a higher value
                new double[] {0.92, 0.90, 0.91},   // 4 the same values in another order
                new double[] {});                  // 5 nothing
        assertThat(ReplicateTies.againstBest(replicates, 0, true))
                .containsExactly(Verdict.BEST, Verdict.NOT_WORSE, Verdict.WORSE, Verdict.UNTESTED, Verdict.NOT_WORSE, Verdict.UNTESTED);
    }

    @Test
    void replicate_ties_follow_the_direction_of_the_objective() {
        List<double[]> losses = List.of(new double[] {0.10, 0.11, 0.12}, new double[] {0.30, 0.31, 0.32});
        assertThat(ReplicateTies.againstBest(losses, 0, false)).containsExactly(Verdict.BEST, Verdict.WORSE);
        // a model significantly *better* than the one named best is not worse
        assertThat(ReplicateTies.againstBest(losses, 1, false)).containsExactly(Verdict.NOT_WORSE, Verdict.BEST);
    }

    @Test
    void replicate_ties_cannot_be_tested_when_the_best_has_one_replicate() {
        List<double[]> r = List.of(new double[] {0.9}, new double[] {0.1, 0.2}, new double[] {0.9});
        assertThat(ReplicateTies.againstBest(r, 0, true)).containsExactly(Verdict.BEST, Verdict.UNTESTED, Verdict.NOT_WORSE);
        assertThatThrownBy(() -> ReplicateTies.againstBest(r, 3, true)).hasMessageContaining("best model index 3 is outside 0..2");
    }

    @Test
    void across_datasets_bundles_ranks_friedman_nemenyi_cliques_and_holm_wilcoxon() {
        AcrossDatasets a = AcrossDatasets.of(List.of(Demsar2006.MODELS), Demsar2006.AUC, true, 0.05, Family.AGAINST_BEST);
        assertThat(a.ranks().average()).containsExactly(new double[] {3.143, 2.000, 2.893, 1.964}, within(0.0005));
        assertThat(a.friedman().chiSquare()).isCloseTo(10.2283, within(0.0001)); // tie-corrected, SciPy's value
        assertThat(a.nemenyi().criticalDifference()).isCloseTo(1.25, within(0.005));
        assertThat(a.cliques()).hasSize(1);
        assertThat(a.comparisons()).hasSize(3);
        CdDiagram d = a.diagram();
        assertThat(d.names()).containsExactly(Demsar2006.MODELS);
        assertThat(d.datasets()).isEqualTo(14);
        assertThatThrownBy(() -> AcrossDatasets.of(List.of("a"), Demsar2006.AUC, true, 0.05, Family.ALL_PAIRS))
                .hasMessageContaining("1 model names for 4 score columns");
    }

    @Test
    void score_table_keeps_the_datasets_every_model_has_and_says_which_it_left_out() {
        Map<String, Double> scores = new HashMap<>();
        scores.put("mlp/iris", 0.9);
        scores.put("tree/iris", 0.8);
        scores.put("mlp/wine", 0.7);
        scores.put("tree/wine", Double.NaN);
        scores.put("mlp/digits", 0.6);
        scores.put("tree/digits", 0.65);
        ScoreTable t = ScoreTable.ofCommonDatasets(List.of("mlp", "tree", "svm"), List.of("iris", "wine", "digits"),
                (model, dataset) -> scores.get(model + "/" + dataset));
        assertThat(t.datasets()).isEmpty();
        assertThat(t.dropped()).containsExactly(Map.entry("iris", List.of("svm")),
                Map.entry("wine", List.of("tree", "svm")), Map.entry("digits", List.of("svm")));
        assertThatThrownBy(() -> AcrossDatasets.of(t, true, 0.05, Family.AGAINST_BEST))
                .hasMessageContaining("at least 2 models on at least 2 common datasets, got 3 models on 0")
                .hasMessageContaining("wine=[tree, svm]");

        ScoreTable two = ScoreTable.ofCommonDatasets(List.of("mlp", "tree"), List.of("iris", "wine", "digits"),
                (model, dataset) -> scores.get(model + "/" + dataset));
        assertThat(two.datasets()).containsExactly("iris", "digits");
        assertThat(two.scores()).isEqualTo(new double[][] {{0.9, 0.8}, {0.6, 0.65}});
        assertThat(two.dropped()).containsOnlyKeys("wine");
        assertThat(AcrossDatasets.of(two, true, 0.05, Family.ALL_PAIRS).ranks().average()).containsExactly(1.5, 1.5);
    }
}
