package tracker.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void suggests_near_misses_only() {
        List<String> keys = List.of("uri", "database", "connect_timeout", "server");
        assertThat(Suggestions.closest("databse", keys)).isEqualTo("database");
        assertThat(Suggestions.closest("connect_timout", keys)).isEqualTo("connect_timeout");
        assertThat(Suggestions.closest("URI", keys)).isEqualTo("uri");
        assertThat(Suggestions.closest("colour", keys)).isNull();
    }

    @Test
    void counts_a_transposition_as_one_edit() {
        assertThat(Suggestions.distance("sever", "server")).isEqualTo(1);
        assertThat(Suggestions.distance("sevrer", "server")).isEqualTo(1);
    }
}
