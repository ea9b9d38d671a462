package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SparklineTest {
    @Test
    void scales_between_min_and_max_and_leaves_nan_blank() {
        assertThat(Sparkline.of(Arrays.asList(0.0, 0.5, 1.0), 10)).isEqualTo("▁▅█");
        assertThat(Sparkline.of(Arrays.asList(1.0, Double.NaN, 0.0), 10)).isEqualTo("█ ▁");
        assertThat(Sparkline.of(List.of(2.0, 2.0), 10)).isEqualTo("▄▄");
        assertThat(Sparkline.of(List.of(), 10)).isEmpty();
    }

    @Test
    void long_series_are_resampled_to_the_width() {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            v.add((double) i);
        }
        String s = Sparkline.of(v, 8);
        assertThat(s).hasSize(8).startsWith("▁").endsWith("█");
    }
}
