package tracker.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parses_units_combinations_and_bare_seconds() {
        assertThat(Durations.parseOrNull("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parseOrNull("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parseOrNull("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parseOrNull("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parseOrNull("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parseOrNull("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parseOrNull("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parseOrNull("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejects_what_is_not_a_duration() {
        assertThat(Durations.parseOrNull("")).isNull();
        assertThat(Durations.parseOrNull("ten minutes")).isNull();
        assertThat(Durations.parseOrNull("10x")).isNull();
        assertThat(Durations.parseOrNull("m10")).isNull();
        assertThat(Durations.parseOrNull("-5s")).isNull();
    }

    @Test
    void formats_what_it_parses() {
        for (String s : new String[] {"0s", "250ms", "45s", "10m", "1h30m", "2d3h"}) {
            assertThat(Durations.format(Durations.parseOrNull(s))).isEqualTo(s);
        }
    }
}
