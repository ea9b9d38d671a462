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
    void of_equally_close_candidates_the_one_nearest_in_length_wins() {
        List<String> options = List.of("--version", "--verbose", "--view", "--width", "--where", "--wait");
        assertThat(Suggestions.closest("--veiw", options)).isEqualTo("--view");
        assertThat(Suggestions.closest("--wiat", options)).isEqualTo("--wait");
        assertThat(Suggestions.closest("--wdith", options)).isEqualTo("--width");
        assertThat(Suggestions.closest("complete", List.of("completed", "failed", "cancelled", "preempted"))).isEqualTo("completed");
        // "ab" is one edit from both; "abc" (one longer) loses to "xb" (same length) only on length
        assertThat(Suggestions.closest("ab", List.of("abc", "xb"))).isEqualTo("xb");
    }

    @Test
    void counts_a_transposition_as_one_edit() {
        assertThat(Suggestions.distance("sever", "server")).isEqualTo(1);
        assertThat(Suggestions.distance("sevrer", "server")).isEqualTo(1);
    }
}
