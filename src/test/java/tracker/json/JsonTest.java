package tracker.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void parses_nested_objects_in_order_with_longs_and_doubles() {
        Map<String, Object> m = Json.parseObject("{\"epoch\": 3, \"train\": {\"loss\": 0.41, \"n\": -2}, \"tags\": [\"a\", true, null]}");
        assertThat(m.keySet()).containsExactly("epoch", "train", "tags");
        assertThat(m.get("epoch")).isEqualTo(3L);
        assertThat(m.get("train")).isEqualTo(Map.of("loss", 0.41, "n", -2L));
        assertThat((List<Object>) m.get("tags")).containsExactly("a", true, null);
    }

    @Test
    void accepts_the_non_finite_numbers_python_writes() {
        Map<String, Object> m = Json.parseObject("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": 1e-3}");
        assertThat((Double) m.get("a")).isNaN();
        assertThat(m.get("b")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(m.get("c")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.get("d")).isEqualTo(0.001);
    }

    @Test
    void decodes_escapes_and_round_trips_hostile_strings() {
        String hostile = "it's \"quoted\" $(rm -rf /) `x` \\ \n\t\u0001 é";
        String written = JsonWriter.write(Map.of("v", hostile));
        assertThat(Json.parseObject(written).get("v")).isEqualTo(hostile);
        assertThat(Json.parse("\"\\u00e9\\/\"")).isEqualTo("é/");
    }

    @Test
    void reports_the_column_of_a_syntax_error() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,, }"))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("column 9");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1} x")).hasMessageContaining("after the value");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Json.parse("[1, 2")).isInstanceOf(JsonException.class);
    }

    @Test
    void numbers_follow_rfc_8259_strictly() {
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-0.5e+2")).isEqualTo(-50.0);
        assertThat(Json.parse("1E-3")).isEqualTo(0.001);
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("92233720368547758070")).as("beyond a long: a double").isEqualTo(9.223372036854775807e19);
        assertThat(Json.parse("1e-400")).as("underflow is a tiny number, not an error").isEqualTo(0.0);
        for (String bad : new String[] {"01", "-01", "1.", "1.e5", ".5", "+1", "-", "1e", "1e+", "0x10", "1_000", "--1", "1.5.2"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("must not start with 0");
        assertThatThrownBy(() -> Json.parse("[1.]")).hasMessageContaining("after the decimal point").hasMessageContaining("column 4");
    }

    @Test
    void a_number_too_large_for_a_double_is_an_error_but_infinity_spelt_out_is_data() {
        assertThatThrownBy(() -> Json.parse("{\"loss\": 1e400}")).isInstanceOf(JsonException.class)
                .hasMessageContaining("1e400 is too large").hasMessageContaining("column 10");
        assertThatThrownBy(() -> Json.parse("-1e400")).hasMessageContaining("too large");
        assertThat(Json.parse("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Json.parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
    }

    @Test
    void strings_take_only_the_rfc_escapes() {
        assertThat(Json.parse("\"\\b\\f\\n\\r\\t\\\"\\\\\\u0041\\uD83D\\uDE00\"")).isEqualTo("\b\f\n\r\t\"\\A\uD83D\uDE00");
        for (String bad : new String[] {"\"\\x41\"", "\"\\u-041\"", "\"\\u+041\"", "\"\\u00g1\"", "\"\\u12\"",
                "\"\\u\uFF10\uFF10\uFF10\uFF10\"", "\"tab\there\"", "\"\\", "'single'"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void literals_and_trailing_text_are_exact() {
        for (String bad : new String[] {"tru", "truex", "nul", "NaNa", "Infinityy", "-Inf", "+Infinity", "nan", "{} {}", "[1,]",
                "{\"a\":1,}", "{a:1}", "[1 2]", "", "   "}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
        assertThat(Json.parse(" \t[true, false, null]\r\n")).isEqualTo(java.util.Arrays.asList(true, false, null));
    }

    @Test
    void nesting_is_limited_with_an_ordinary_error_not_a_stack_overflow() {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(deepest)).isInstanceOf(List.class);
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(tooDeep)).isInstanceOf(JsonException.class)
                .hasMessageContaining("nested more than " + Json.MAX_DEPTH + " levels");
        String hostile = "{\"a\":".repeat(1_000_000) + "1" + "}".repeat(1_000_000);
        assertThatThrownBy(() -> Json.parse(hostile)).isInstanceOf(JsonException.class)
                .hasMessageContaining("column " + (5 * Json.MAX_DEPTH + 1));
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000_000))).isInstanceOf(JsonException.class);
    }

    @Test
    void writes_non_finite_numbers_as_words_and_integral_doubles_as_doubles() {
        assertThat(JsonWriter.write(List.of(Double.NaN, Double.NEGATIVE_INFINITY, 2.0, 0.5, 7L)))
                .isEqualTo("[NaN,-Infinity,2.0,0.5,7]");
    }
}
