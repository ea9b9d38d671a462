package tracker.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import tracker.spec.GridValues;
import tracker.spec.Space;

class UnitCoordinatesTest {

    private static final List<Space> FINITE = List.of(
            new Space.IntUniform(-3, 3),
            new Space.IntUniform(0, 0),
            new Space.IntUniform(1, 1000, true),
            new Space.IntUniform(2, 5, true),
            new Space.QUniform(0.05, 0.95, 0.1),
            new Space.QUniform(0, 0.45, 0.1),
            new Space.QUniform(0, 10, 2),
            new Space.QLogUniform(16, 1024, 16),
            new Space.QLogUniform(3, 1000, 5),
            new Space.QLogUniform(1e-4, 1e-2, 1e-4),
            new Space.Categorical(List.of("relu", "tanh", "gelu")),
            new Space.Categorical(List.of(1L, 2.5, "x", true)));

    private static final List<Space> CONTINUOUS = List.of(
            new Space.Uniform(-2, 3, null),
            new Space.LogUniform(1e-5, 1e-1, null),
            new Space.Normal(0, 1),
            new Space.Normal(-3, 0.25),
            new Space.LogNormal(0, 1),
            new Space.LogNormal(2, 0.5));

    @Test
    void every_value_of_a_finite_space_maps_back_to_itself_from_the_centre_of_its_interval() {
        for (Space space : FINITE) {
            List<Object> values = GridValues.of(space);
            double previous = -1;
            for (Object value : values) {
                double u = UnitCoordinates.unitOf(space, value);
                assertThat(u).as("%s %s", space, value).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
                assertThat(SettingsSampler.valueAt(space, u)).as("%s %s", space, value).isEqualTo(value);
                assertThat(u).as("values in order along u").isGreaterThan(previous);
                previous = u;
            }
        }
    }

    @Test
    void integer_and_categorical_coordinates_are_interval_centres() {
        assertThat(UnitCoordinates.unitOf(new Space.IntUniform(0, 3), 0L)).isEqualTo(0.125);
        assertThat(UnitCoordinates.unitOf(new Space.IntUniform(0, 3), 3L)).isEqualTo(0.875);
        assertThat(UnitCoordinates.unitOf(new Space.Categorical(List.of("a", "b")), "b")).isEqualTo(0.75);
        // log int 1..3 draws exp of a uniform log over [0.5, 3.5]: 1 takes u in [0, ln(1.5 / 0.5) / ln(3.5 / 0.5)]
        double oneEnds = StrictMath.log(3.0) / StrictMath.log(7.0);
        assertThat(UnitCoordinates.unitOf(new Space.IntUniform(1, 3, true), 1L)).isCloseTo(oneEnds / 2, within(1e-15));
        // q_uniform 0..1 step 0.5: 0 takes [0, 0.25], 0.5 takes [0.25, 0.75], 1 takes [0.75, 1]
        assertThat(UnitCoordinates.unitOf(new Space.QUniform(0, 1, 0.5), 0.5)).isEqualTo(0.5);
        assertThat(UnitCoordinates.unitOf(new Space.QUniform(0, 1, 0.5), 1L)).isEqualTo(0.875);
    }

    @Test
    void continuous_spaces_invert_exactly() {
        SplitMix64 rng = new SplitMix64(11);
        for (Space space : CONTINUOUS) {
            for (int i = 0; i < 2000; i++) {
                double u = i == 0 ? 0.0 : i == 1 ? Math.nextDown(1.0) : i == 2 ? 1e-12 : rng.nextDouble();
                Object value = SettingsSampler.valueAt(space, u);
                double back = UnitCoordinates.unitOf(space, value);
                // normal kinds take u = 0 as 2^-54: that is where their value maps back to
                assertThat(back).as("%s at %s", space, u).isCloseTo(u, within(1e-12));
                if (u > 1e-10 && u < 1 - 1e-10) {
                    double again = (Double) SettingsSampler.valueAt(space, back);
                    assertThat(again).as("%s at %s", space, u).isCloseTo((Double) value, within(1e-9 * Math.abs((Double) value) + 1e-12));
                }
            }
        }
        assertThat(UnitCoordinates.unitOf(new Space.Uniform(-2, 3, null), 3.0)).isEqualTo(Math.nextDown(1.0));
        assertThat(UnitCoordinates.unitOf(new Space.Uniform(-2, 3, null), 0.5)).isEqualTo(0.5);
        assertThat(UnitCoordinates.unitOf(new Space.LogUniform(1e-4, 1, null), 1e-2)).isCloseTo(0.5, within(1e-15));
        assertThat(UnitCoordinates.unitOf(new Space.Normal(1, 2), 1.0)).isEqualTo(0.5);
        assertThat(UnitCoordinates.unitOf(new Space.LogNormal(0, 1), 1.0)).isEqualTo(0.5);
    }

    @Test
    void standard_normal_cdf_matches_scipy() {
        // python3 -c "from scipy.stats import norm; print([repr(float(norm.cdf(z))) for z in
        //   [-9.0, -6.0, -5.5, -3.0, -1.0, 0.0, 0.5, 2.0, 4.9, 6.0]])"   (scipy 1.17.1)
        double[] z = {-9.0, -6.0, -5.5, -3.0, -1.0, 0.0, 0.5, 2.0, 4.9, 6.0};
        double[] scipy = {1.1285884059538324e-19, 9.865876450376946e-10, 1.898956246588768e-08,
                0.0013498980316300933, 0.15865525393145707, 0.5, 0.6914624612740131, 0.9772498680518208,
                0.9999995208167234, 0.9999999990134123};
        for (int i = 0; i < z.length; i++) {
            assertThat(StandardNormal.cdf(z[i])).as("z = %s", z[i])
                    .isCloseTo(scipy[i], within(Math.max(1e-15, 1e-13 * scipy[i])));
        }
        assertThat(StandardNormal.cdf(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(StandardNormal.cdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    }

    @Test
    void numbers_are_matched_by_value_as_the_database_may_hand_them_back() {
        assertThat(UnitCoordinates.unitOf(new Space.IntUniform(0, 3), 2)).isEqualTo(0.625);
        assertThat(UnitCoordinates.unitOf(new Space.IntUniform(0, 3), 2.0)).isEqualTo(0.625);
        assertThat(UnitCoordinates.unitOf(new Space.Categorical(List.of(8L, 16L)), 16)).isEqualTo(0.75);
        assertThat(UnitCoordinates.unitOf(new Space.QLogUniform(16, 1024, 16), 64.0))
                .isEqualTo(UnitCoordinates.unitOf(new Space.QLogUniform(16, 1024, 16), 64L));
    }

    @Test
    void values_a_space_cannot_produce_are_rejected() {
        List<Object[]> illegal = List.of(
                new Object[] {new Space.Uniform(0, 1, null), 1.5},
                new Object[] {new Space.Uniform(0, 1, null), -0.1},
                new Object[] {new Space.Uniform(0, 1, null), Double.NaN},
                new Object[] {new Space.Uniform(0, 1, null), "0.5"},
                new Object[] {new Space.LogUniform(1e-3, 1, null), 1e-4},
                new Object[] {new Space.IntUniform(0, 3), 4L},
                new Object[] {new Space.IntUniform(0, 3), 2.5},
                new Object[] {new Space.IntUniform(1, 100, true), 0L},
                new Object[] {new Space.QUniform(0, 1, 0.1), 0.33},
                new Object[] {new Space.QUniform(0, 1, 0.1), 1.1},
                new Object[] {new Space.QLogUniform(16, 1024, 16), 40L},
                new Object[] {new Space.QLogUniform(16, 1024, 16), 2048L},
                new Object[] {new Space.Categorical(List.of("a", "b")), "c"},
                new Object[] {new Space.LogNormal(0, 1), 0.0},
                new Object[] {new Space.Normal(0, 1), Double.POSITIVE_INFINITY},
                new Object[] {new Space.Constant(3L), 4L},
                new Object[] {new Space.Uniform(0, 1, null), null});
        for (Object[] c : illegal) {
            assertThatThrownBy(() -> UnitCoordinates.unitOf((Space) c[0], c[1])).as("%s %s", c[0], c[1])
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
