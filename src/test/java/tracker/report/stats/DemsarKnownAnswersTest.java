package tracker.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The published numbers of Demšar (2006): Tables 2, 5(a) and 6 and the statistics in the text. */
class DemsarKnownAnswersTest {
    private static final double TABLE_ROUNDING = 0.0005 + 0.0005 / Math.sqrt(2);

    @Test
    void table6_average_ranks_of_the_four_c45_variants() {
        AverageRanks ranks = AverageRanks.of(Demsar2006.AUC, true);
        assertThat(ranks.average()).containsExactly(new double[] {3.143, 2.000, 2.893, 1.964}, within(0.0005));
        // mushroom: all four tie at 1.000 and share rank 2.5
        assertThat(ranks.perDataset()[9]).containsExactly(2.5, 2.5, 2.5, 2.5);
        assertThat(ranks.best()).isEqualTo(3);
    }

    @Test
    void friedman_and_iman_davenport_as_printed_in_section_3_2_2() {
        Friedman f = Friedman.test(AverageRanks.of(Demsar2006.AUC, true), Friedman.Ties.UNCORRECTED);
        assertThat(f.chiSquare()).isCloseTo(9.28, within(0.005));
        assertThat(f.f()).isCloseTo(3.69, within(0.005));
        assertThat(f.dfModels()).isEqualTo(3);
        assertThat(f.dfResidual()).isEqualTo(39);
        // "The critical value of F(3, 39) for alpha = 0.05 is 2.85, so we reject the null-hypothesis"
        assertThat(f.fPValue()).isLessThan(0.05);
        assertThat(f.pValue()).isLessThan(0.05);
    }

    /**
     * Demšar's Table 5(a) divides the studentized range quantiles of the classical tables, already
     * rounded to 3 decimals, by sqrt(2) and rounds again, so two of its entries are off by one in the
     * last digit: k = 3, q0.05 = 3.3145 / sqrt(2) = 2.34370 (printed 2.343), and k = 7,
     * 4.16955 / sqrt(2) = 2.94832 (printed 2.949). The exact values agree with SciPy (see
     * SciPyFixturesTest) and with an independent adaptive quadrature; the table is met within that
     * double rounding: 0.0005 + 0.0005 / sqrt(2).
     */
    @Test
    void table5a_q_alpha_for_2_to_10_classifiers() {
        double[] q05 = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
        double[] q10 = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};
        for (int k = 2; k <= 10; k++) {
            assertThat(Nemenyi.qAlpha(k, 0.05)).as("q0.05 for k=%d", k).isCloseTo(q05[k - 2], within(TABLE_ROUNDING));
            assertThat(Nemenyi.qAlpha(k, 0.10)).as("q0.10 for k=%d", k).isCloseTo(q10[k - 2], within(TABLE_ROUNDING));
        }
    }

    @Test
    void nemenyi_critical_difference_for_four_models_on_14_datasets() {
        // "CD = 2.569 sqrt(4*5 / (6*14)) = 1.25"; at alpha 0.10 q = 2.291 gives 1.12
        assertThat(Nemenyi.of(4, 14, Nemenyi.ALPHA_05).criticalDifference()).isCloseTo(1.25, within(0.005));
        assertThat(Nemenyi.of(4, 14, Nemenyi.ALPHA_10).criticalDifference()).isCloseTo(1.12, within(0.005));
    }

    @Test
    void cliques_of_the_c45_example_at_alpha_005() {
        AverageRanks ranks = AverageRanks.of(Demsar2006.AUC, true);
        Nemenyi n = Nemenyi.of(ranks, 0.05);
        // m+cf 1.964, m 2.000, cf 2.893, plain 3.143: the widest gap, 3.143 - 1.964 = 1.179, is below
        // CD = 1.25, so all four are one group: the post-hoc test finds no difference at 0.05
        assertThat(Clique.of(ranks.average(), n.criticalDifference()))
                .extracting(Clique::models).containsExactly(List.of(3, 1, 2, 0));
        // at alpha 0.10 (CD 1.12) C4.5+m+cf and C4.5+m are both better than C4.5 (by 1.18 and 1.14)
        // while C4.5+cf is told apart from none: two overlapping groups
        assertThat(Clique.of(ranks.average(), Nemenyi.of(ranks, 0.10).criticalDifference()))
                .extracting(Clique::models).containsExactly(List.of(3, 1, 2), List.of(2, 0));
    }

    @Test
    void table2_signed_ranks_of_c45_against_c45_with_m() {
        double[] withM = Demsar2006.column(1);
        double[] plain = Demsar2006.column(0);
        SignedRank.RankSums split = SignedRank.rankSumsSplittingZeros(withM, plain);
        assertThat(split.positive()).isEqualTo(93);
        assertThat(split.negative()).isEqualTo(12);
        // T = min(R+, R-) = 12 is below 21, the critical value for N = 14 at alpha 0.05: significant
        assertThat(split.statistic()).isEqualTo(12);
        SignedRank test = SignedRank.test(withM, plain);
        assertThat(test.zeroDifferences()).isEqualTo(2);
        assertThat(test.pValue()).isLessThan(0.05);
    }
}
