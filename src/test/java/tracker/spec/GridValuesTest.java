package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class GridValuesTest {
    /** The lattice as it was enumerated before sizes were computed: the reference the computed one must match. */
    static List<Double> enumerated(double min, double max, double q) {
        BigDecimal step = BigDecimal.valueOf(q);
        BigDecimal lo = BigDecimal.valueOf(Math.ceil(min / q - 1e-9)).multiply(step);
        List<Double> out = new ArrayList<>();
        for (BigDecimal v = lo; v.doubleValue() <= max + 1e-9 * Math.abs(q); v = v.add(step)) {
            out.add(v.doubleValue());
        }
        return out;
    }

    @Test
    void computed_lattices_equal_the_enumerated_ones_value_for_value() {
        Random random = new Random(42);
        double[] steps = {0.1, 0.05, 0.25, 1, 16, 0.001, 3, 0.3, 1e-4};
        for (int i = 0; i < 3000; i++) {
            double q = steps[random.nextInt(steps.length)];
            double min = Math.round((random.nextDouble() * 40 - 20) * 1000) / 1000.0;
            double max = min + q * random.nextInt(300) + (random.nextBoolean() ? 0 : Math.round(random.nextDouble() * 1000) / 1000.0);
            Space space = new Space.QUniform(min, max, q);
            List<Double> expected = enumerated(min, max, q);
            assertThat(GridValues.size(space)).as("size of %s", space).isEqualTo(expected.size());
            assertThat(GridValues.of(space)).as("values of %s", space).isEqualTo(new ArrayList<Object>(expected));
        }
    }

    @Test
    void huge_grids_are_measured_and_sampled_without_being_listed() {
        Space wide = new Space.QUniform(0, 1e12, 1e-3);
        Space ints = new Space.IntUniform(Long.MIN_VALUE, Long.MAX_VALUE);
        long start = System.nanoTime();
        assertThat(GridValues.size(wide)).isEqualTo(1_000_000_000_000_001L);
        assertThat(GridValues.size(ints)).as("more than a long counts").isEqualTo(Long.MAX_VALUE);
        assertThat(GridValues.valueAt(wide, 123_456_789_012L)).isEqualTo(123_456_789.012);
        assertThat(GridValues.valueAt(new Space.IntUniform(5, 1_000_000_000_000L), 999_999_999_995L)).isEqualTo(1_000_000_000_000L);
        assertThat(GridValues.gridSize(new Definition.Model("m", List.of(), List.of("d"),
                new java.util.TreeMap<>(java.util.Map.of("a", ints, "b", new Space.IntUniform(1, 3))), null)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // generous for a loaded machine: listing it would take hours
    }

    @Test
    void saturated_multiplication_stops_at_the_largest_long() {
        assertThat(GridValues.multiplySaturated(3, 4)).isEqualTo(12);
        assertThat(GridValues.multiplySaturated(1L << 32, 1L << 31)).isEqualTo(Long.MAX_VALUE);
        assertThat(GridValues.multiplySaturated(1L << 62, 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(GridValues.multiplySaturated(0, Long.MAX_VALUE)).isZero();
    }
}
