package tracker.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class RanksAndFriedmanTest {
    @Test
    void minimizing_ranks_the_lowest_score_first_and_ties_share_the_average_rank() {
        AverageRanks r = AverageRanks.of(new double[][] {{0.3, 0.1, 0.3}, {2.0, 1.0, 3.0}}, false);
        assertThat(r.perDataset()[0]).containsExactly(2.5, 1, 2.5);
        assertThat(r.perDataset()[1]).containsExactly(2, 1, 3);
        assertThat(r.average()).containsExactly(2.25, 1, 2.75);
        assertThat(r.best()).isEqualTo(1);
    }

    @Test
    void missing_values_and_ragged_tables_are_refused_with_what_to_do() {
        assertThatThrownBy(() -> AverageRanks.of(new double[][] {{1, Double.NaN}}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataset 0").hasMessageContaining("every model");
        assertThatThrownBy(() -> AverageRanks.of(new double[][] {{1, 2}, {1}}, true))
                .hasMessageContaining("dataset 1 has 1 scores, dataset 0 has 2");
        assertThatThrownBy(() -> AverageRanks.of(new double[][] {{1}}, true)).hasMessageContaining("at least two models");
        assertThatThrownBy(() -> AverageRanks.of(new double[0][], true)).hasMessageContaining("no datasets");
    }

    @Test
    void friedman_finds_nothing_when_every_dataset_ties_every_model() {
        Friedman f = Friedman.test(AverageRanks.of(new double[][] {{1, 1, 1}, {2, 2, 2}}, true));
        assertThat(f.chiSquare()).isZero();
        assertThat(f.pValue()).isEqualTo(1);
        assertThat(f.f()).isZero();
        assertThat(f.fPValue()).isEqualTo(1);
    }

    @Test
    void iman_davenport_is_infinite_when_every_dataset_ranks_the_models_alike() {
        Friedman f = Friedman.test(AverageRanks.of(new double[][] {{3, 2, 1}, {30, 20, 10}, {0.3, 0.2, 0.1}}, true));
        assertThat(f.chiSquare()).isCloseTo(6, within(1e-12)); // N(k-1): the largest possible
        assertThat(f.f()).isInfinite();
        assertThat(f.fPValue()).isZero();
    }

    @Test
    void one_dataset_has_no_residual_degrees_of_freedom() {
        Friedman f = Friedman.test(AverageRanks.of(new double[][] {{3, 2, 1}}, true));
        assertThat(f.dfResidual()).isZero();
        assertThat(f.f()).isNaN();
        assertThat(f.fPValue()).isEqualTo(1);
    }

    @Test
    void cliques_are_maximal_runs_within_less_than_the_critical_difference() {
        // ranks by model: a 1.0, b 1.5, c 2.4, d 3.0, e 4.5; CD 1.0
        double[] ranks = {1.0, 1.5, 2.4, 3.0, 4.5};
        assertThat(Clique.of(ranks, 1.0)).containsExactly(
                new Clique(List.of(0, 1), 1.0, 1.5),
                new Clique(List.of(1, 2), 1.5, 2.4),
                new Clique(List.of(2, 3), 2.4, 3.0));
        // a difference of exactly CD is significant: no clique
        assertThat(Clique.of(new double[] {1, 2}, 1.0)).isEmpty();
        assertThat(Clique.of(new double[] {2, 1, 1.5}, 5)).containsExactly(new Clique(List.of(1, 2, 0), 1, 2));
    }

    @Test
    void critical_difference_shrinks_with_more_datasets_and_grows_with_more_models() {
        assertThat(Nemenyi.of(4, 28, 0.05).criticalDifference()).isLessThan(Nemenyi.of(4, 14, 0.05).criticalDifference());
        assertThat(Nemenyi.of(8, 14, 0.05).criticalDifference()).isGreaterThan(Nemenyi.of(4, 14, 0.05).criticalDifference());
        Nemenyi n = Nemenyi.of(4, 14, 0.05);
        assertThat(n.differ(1.0, 1.0 + n.criticalDifference())).isTrue();
        assertThat(n.differ(1.0, 1.0 + n.criticalDifference() - 1e-9)).isFalse();
        assertThatThrownBy(() -> Nemenyi.of(4, 14, 1.5)).hasMessageContaining("alpha must be between 0 and 1");
        assertThatThrownBy(() -> Nemenyi.of(1, 14, 0.05)).hasMessageContaining("at least two models");
    }

    @Test
    void studentized_range_of_two_is_the_absolute_difference_of_two_normals() {
        // R = |Z1 - Z2| = sqrt(2)|Z|: P(R <= sqrt(2) * 1.959964) = 0.95
        assertThat(StudentizedRange.cdf(Math.sqrt(2) * 1.959963984540054, 2)).isCloseTo(0.95, within(1e-9));
        assertThat(StudentizedRange.cdf(0, 5)).isZero();
        assertThat(StudentizedRange.quantile(0.99, 100)).isGreaterThan(StudentizedRange.quantile(0.95, 100));
    }
}
