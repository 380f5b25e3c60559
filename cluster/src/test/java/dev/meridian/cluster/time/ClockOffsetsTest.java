package dev.meridian.cluster.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClockOffsetsTest {

    private static final long MS = 1_000_000L;
    private static final long NOW = 1_000_000 * MS;

    /** max-offset 500 ms: tolerance 400 ms; measurements count for 10 s. */
    private final ClockOffsets offsets = new ClockOffsets(Duration.ofMillis(500), Duration.ofSeconds(10));

    private static ClockOffsets.Measurement at(long offsetMs, long uncertaintyMs) {
        return new ClockOffsets.Measurement(offsetMs * MS, uncertaintyMs * MS, NOW);
    }

    @Test
    void aRoundTripGivesTheOffsetToItsMidpointAndHalfItsLengthAsUncertainty() {
        // Sent at 100, the peer read 250, received at 140: the peer read its clock around 120.
        ClockOffsets.Measurement m = ClockOffsets.measure(100 * MS, 250 * MS, 140 * MS);
        assertThat(m.offsetNanos()).isEqualTo(130 * MS);
        assertThat(m.uncertaintyNanos()).isEqualTo(20 * MS);
        assertThat(m.measuredAtNanos()).isEqualTo(140 * MS);
        assertThat(ClockOffsets.measure(100 * MS, 50 * MS, 100 * MS).offsetNanos()).isEqualTo(-50 * MS);
        assertThatThrownBy(() -> ClockOffsets.measure(100 * MS, 0, 99 * MS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOffsetIsBeyondOnlyIfEvenTheMostFavourableReadingIs() {
        assertThat(offsets.toleranceNanos()).isEqualTo(400 * MS);
        assertThat(at(401, 0).beyond(offsets.toleranceNanos())).isTrue();
        assertThat(at(-401, 0).beyond(offsets.toleranceNanos())).isTrue();
        assertThat(at(400, 0).beyond(offsets.toleranceNanos())).isFalse();
        // 450 ms give or take 60 ms might be 390 ms: not proven beyond.
        assertThat(at(450, 60).beyond(offsets.toleranceNanos())).isFalse();
        assertThat(at(450, 40).beyond(offsets.toleranceNanos())).isTrue();
    }

    @Test
    void theOddNodeOutIsUnhealthyItsPeersAreNot() {
        // Node 3 is 450 ms ahead. Node 3 sees both peers 450 ms behind; nodes 1 and 2 see one of two peers off.
        ClockOffsets onThree = new ClockOffsets(Duration.ofMillis(500), Duration.ofSeconds(10));
        onThree.record(1, at(-450, 1));
        onThree.record(2, at(-450, 1));
        ClockOffsets.Verdict three = onThree.verdict(NOW, List.of(1L, 2L));
        assertThat(three.healthy()).isFalse();
        assertThat(three.counted()).isEqualTo(2);
        assertThat(three.beyond()).containsOnlyKeys(1L, 2L);
        assertThat(three.explanation()).contains("2 of 2 peers").contains("n1: -450.0 ms").contains("400.0 ms");

        offsets.record(2, at(0, 1));
        offsets.record(3, at(450, 1));
        ClockOffsets.Verdict one = offsets.verdict(NOW, List.of(2L, 3L));
        assertThat(one.healthy()).isTrue();
        assertThat(one.beyond()).containsOnlyKeys(3L);
    }

    @Test
    void aStrictMajorityOfAtLeastTwoKnownPeersIsNeeded() {
        offsets.record(2, at(500, 1));
        assertThat(offsets.verdict(NOW, List.of(2L)).healthy()).as("one peer, off: nobody can tell whose clock is wrong")
                .isTrue();
        assertThat(offsets.verdict(NOW, List.of(2L, 3L)).healthy())
                .as("node 3 not measured yet: one skewed peer heard from first is no majority").isTrue();
        offsets.record(3, at(0, 1));
        assertThat(offsets.verdict(NOW, List.of(2L, 3L)).healthy()).as("1 of 2 is no majority").isTrue();
        offsets.record(4, at(-500, 1));
        assertThat(offsets.verdict(NOW, List.of(2L, 3L, 4L)).healthy()).as("2 of 3").isFalse();
        assertThat(offsets.verdict(NOW, List.of(2L, 3L, 4L, 5L, 6L)).healthy()).as("2 of 5").isTrue();
        offsets.forget(4);
        assertThat(offsets.verdict(NOW, List.of(2L, 3L, 4L)).healthy()).isTrue();
        assertThat(offsets.of(4)).isEmpty();
    }

    @Test
    void peersWhoseMeasurementsWentStaleDoNotCount() {
        offsets.record(2, new ClockOffsets.Measurement(500 * MS, MS, NOW - Duration.ofSeconds(11).toNanos()));
        offsets.record(3, at(0, 1));
        offsets.record(4, at(500, 1));
        ClockOffsets.Verdict v = offsets.verdict(NOW, List.of(2L, 3L, 4L));
        assertThat(v.counted()).as("node 2 went away").isEqualTo(2);
        assertThat(v.beyond()).containsOnlyKeys(4L);
        assertThat(v.healthy()).isTrue();
        assertThat(new ClockOffsets(Duration.ofMillis(500), Duration.ofSeconds(10)).verdict(NOW, List.of()).healthy())
                .as("no peers").isTrue();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new ClockOffsets(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClockOffsets(Duration.ofMillis(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClockOffsets.Measurement(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
