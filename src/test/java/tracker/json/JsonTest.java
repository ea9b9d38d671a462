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
    void writes_non_finite_numbers_as_words_and_integral_doubles_as_doubles() {
        assertThat(JsonWriter.write(List.of(Double.NaN, Double.NEGATIVE_INFINITY, 2.0, 0.5, 7L)))
                .isEqualTo("[NaN,-Infinity,2.0,0.5,7]");
    }
}
