package dev.meridian.server.workload;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationArgTest {

    @Test
    void parsesUnitsAndCombinations() {
        assertThat(DurationArg.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationArg.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationArg.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationArg.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationArg.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationArg.parse(" 0s ")).isZero();
    }

    @Test
    void formatsAsWritten() {
        assertThat(DurationArg.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(DurationArg.format(Duration.ofMillis(3500))).isEqualTo("3.5s");
        assertThat(DurationArg.format(Duration.ofMillis(1))).isEqualTo("0.001s");
        assertThat(DurationArg.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad : new String[] {"", "10", "10x", "s", "1.5s", "-1s", "1m 30s", "99999999999999999999s",
                "9223372036854775807h"}) {
            assertThatThrownBy(() -> DurationArg.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
