package tracker.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tracker.json.Json;

/**
 * Reference outputs of SciPy, computed once by src/test/resources/stats/make_fixtures.py and
 * stored in scipy-fixtures.json (the script's docstring says how to rerun it). No Python here.
 */
class SciPyFixturesTest {
    private static final Offset<Double> CLOSE = within(1e-9);
    private static Map<String, Object> fixtures;

    @BeforeAll
    static void read() throws IOException {
        fixtures = Json.parseObject(Files.readString(Path.of("src/test/resources/stats/scipy-fixtures.json")));
        assertThat(fixtures.get("scipy")).as("the SciPy version the fixtures were made with").isNotNull();
    }

    @Test
    void friedman_chi_square_with_tie_correction_and_iman_davenport_match_scipy() {
        for (Map<String, Object> c : cases("friedman")) {
            AverageRanks ranks = AverageRanks.of(matrix(c.get("scores")), true);
            assertThat(ranks.average()).as(name(c)).containsExactly(vector(c.get("averageRanks")), CLOSE);
            Friedman f = Friedman.test(ranks);
            assertThat(f.chiSquare()).as(name(c)).isCloseTo(number(c, "chiSquare"), CLOSE);
            assertThat(f.pValue()).as(name(c)).isCloseTo(number(c, "pValue"), CLOSE);
            assertThat(f.f()).as(name(c)).isCloseTo(number(c, "f"), CLOSE);
            assertThat(f.fPValue()).as(name(c)).isCloseTo(number(c, "fPValue"), CLOSE);
        }
    }

    @Test
    void wilcoxon_matches_scipy_defaults_exact_enumerated_and_normal() {
        List<Map<String, Object>> cases = cases("wilcoxon");
        assertThat(cases).extracting(c -> c.get("method")).contains("EXACT", "EXACT_WITH_TIES", "NORMAL_APPROXIMATION");
        for (Map<String, Object> c : cases) {
            double[] x = vector(c.get("x"));
            double[] y = vector(c.get("y"));
            SignedRank r = SignedRank.test(x, y);
            assertThat(r.method().name()).as(name(c)).isEqualTo(c.get("method"));
            assertThat(r.statistic()).as(name(c)).isEqualTo(number(c, "statistic"));
            assertThat(r.pValue()).as(name(c)).isCloseTo(number(c, "pValue"), CLOSE);
            assertThat(SignedRank.rankSumsSplittingZeros(x, y).statistic()).as(name(c)).isEqualTo(number(c, "zsplitStatistic"));
        }
    }

    @Test
    void welch_t_df_and_p_match_scipy_ttest_ind_unequal_variances() {
        for (Map<String, Object> c : cases("welch")) {
            Welch w = Welch.test(vector(c.get("a")), vector(c.get("b")));
            assertThat(w.t()).as(name(c)).isCloseTo(number(c, "t"), CLOSE);
            assertThat(w.df()).as(name(c)).isCloseTo(number(c, "df"), CLOSE);
            assertThat(w.pValue()).as(name(c)).isCloseTo(number(c, "pValue"), CLOSE);
        }
    }

    /** SciPy integrates the same function adaptively; both agree far below the 3 decimals anyone prints. */
    @Test
    void q_alpha_matches_scipy_studentized_range_with_infinite_df_for_2_to_50_models() {
        List<Map<String, Object>> cases = cases("studentizedRange");
        assertThat(cases).hasSize(2 * 49);
        for (Map<String, Object> c : cases) {
            int k = ((Number) c.get("k")).intValue();
            double alpha = number(c, "alpha");
            assertThat(Nemenyi.qAlpha(k, alpha)).as("k=%d alpha=%s", k, alpha).isCloseTo(number(c, "qAlpha"), within(1e-6));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases(String key) {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) fixtures.get(key);
        assertThat(cases).as(key).isNotEmpty();
        return cases;
    }

    private static String name(Map<String, Object> c) {
        return String.valueOf(c.get("name"));
    }

    private static double number(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).doubleValue();
    }

    private static double[] vector(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[][] matrix(Object rows) {
        return ((List<?>) rows).stream().map(SciPyFixturesTest::vector).toArray(double[][]::new);
    }
}
