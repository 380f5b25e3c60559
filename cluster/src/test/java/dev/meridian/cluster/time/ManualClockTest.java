package dev.meridian.cluster.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManualClockTest {

    @Test
    void movesOnlyWhenTold() {
        ManualClock c = new ManualClock(100);
        assertThat(c.nowNanos()).isEqualTo(100);
        assertThat(c.advance(Duration.ofNanos(5))).isEqualTo(105);
        assertThat(c.nowNanos()).isEqualTo(105);
        c.set(7);
        assertThat(c.nowNanos()).isEqualTo(7);
    }

    @Test
    void refusesNegativeAdvanceAndOverflowWithoutMoving() {
        ManualClock c = new ManualClock(Long.MAX_VALUE - 1);
        assertThatThrownBy(() -> c.advance(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.advance(Duration.ofNanos(2))).isInstanceOf(ArithmeticException.class);
        assertThat(c.nowNanos()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void theSystemClockReadsNanosecondsSinceTheEpoch() {
        long reading = PhysicalClock.system().nowNanos();
        // 2020-01-01 and 2200-01-01 in nanoseconds: a reading in millis or micros would fail.
        assertThat(reading).isBetween(1_577_836_800_000_000_000L, 7_258_118_400_000_000_000L);
    }
}
