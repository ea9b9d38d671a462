package tracker.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FloatTextTest {
    @Test
    void writes_what_python_repr_writes_for_two_thousand_doubles() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        try (InputStream in = getClass().getResourceAsStream("/golden/floats/python-repr.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ");
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                checked++;
                if (!FloatText.of(d).equals(parts[1])) {
                    wrong.add(parts[1] + " written as " + FloatText.of(d));
                }
            }
        }
        assertThat(checked).isGreaterThan(2000);
        assertThat(wrong).isEmpty();
    }

    @Test
    void shortest_text_without_java_exponent_notation() {
        assertThat(FloatText.of(0.000155187824512396)).isEqualTo("0.000155187824512396");
        assertThat(FloatText.of(1.55e-5)).isEqualTo("1.55e-05");
        assertThat(FloatText.of(32.0)).isEqualTo("32.0");
        assertThat(FloatText.of(0.1)).isEqualTo("0.1");
        assertThat(FloatText.of(2e16)).isEqualTo("2e+16");
        assertThat(FloatText.of(1e15)).isEqualTo("1000000000000000.0");
        assertThat(FloatText.of(-2.5)).isEqualTo("-2.5");
        assertThat(FloatText.of(0.002)).as("Java 17 writes 0.0020").isEqualTo("0.002");
        assertThat(FloatText.of(8.41e21)).as("Java 17 writes 8.409999999999999E21").isEqualTo("8.41e+21");
        assertThat(FloatText.of(Double.MIN_VALUE)).as("Java 17 writes 4.9E-324").isEqualTo("5e-324");
    }

    /**
     * Java 19 and later take Double.toString's digits as they are (the launcher runs tracker on the
     * newest JDK it finds); they must be what the search gives. Only such a JVM can check it.
     */
    @Test
    void on_java_19_and_later_double_to_string_gives_what_the_search_gives() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(FloatText.TO_STRING_IS_SHORTEST,
                "this JVM is Java " + Runtime.version().feature() + ": it always searches; run with Java 19+ to check the fast path");
        List<Double> values = new ArrayList<>(List.of(Double.MIN_VALUE, 8.41e21, 0.002, 2e16, 1e15, 1e23, 5e-324, 9.5e-5));
        try (InputStream in = getClass().getResourceAsStream("/golden/floats/python-repr.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    values.add(Double.longBitsToDouble(Long.parseUnsignedLong(line.split(" ")[0], 16)));
                }
            }
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < 50_000; i++) {
            values.add(Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL));
            values.add(Math.round(rng.nextDouble() * 1e6) / 1e6); // short decimals, as metrics and parameters are
        }
        for (double d : values) {
            if (d > 0) {
                java.math.BigDecimal fromToString = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros();
                assertThat(FloatText.search(d, fromToString)).as("%s", d).isEqualTo(
                        fromToString.precision() == 2 ? FloatText.search(d, fromToString) : fromToString);
            }
        }
    }

    @Test
    void every_text_reads_back_to_the_same_double() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL);
            assertThat(Double.parseDouble(FloatText.of(d))).as("%s", d).isEqualTo(d);
            assertThat(FloatText.of(d)).doesNotContain("E");
        }
    }

    @Test
    void yaml_gets_a_point_in_every_mantissa_so_yaml_1_1_reads_a_float() {
        assertThat(FloatText.yaml(1e-5)).isEqualTo("1.0e-05");
        assertThat(FloatText.yaml(1.55e-5)).isEqualTo("1.55e-05");
        assertThat(FloatText.yaml(2e16)).isEqualTo("2.0e+16");
        assertThat(FloatText.yaml(32.0)).isEqualTo("32.0");
        assertThat(FloatText.yaml(0.0001)).isEqualTo("0.0001");
        assertThat(FloatText.yaml(Double.NaN)).isEqualTo(".nan");
        assertThat(FloatText.yaml(Double.NEGATIVE_INFINITY)).isEqualTo("-.inf");
    }

    @Test
    void non_finite_values_as_python_writes_them() {
        assertThat(FloatText.of(Double.NaN)).isEqualTo("nan");
        assertThat(FloatText.of(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(FloatText.of(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }
}
