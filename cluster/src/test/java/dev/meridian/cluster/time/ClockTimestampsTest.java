package dev.meridian.cluster.time;

import dev.meridian.storage.mvcc.Timestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Timestamps' wire conversions (named for the clock test filter). */
class ClockTimestampsTest {

    @Test
    void roundTripsEveryPart() {
        for (Timestamp ts : new Timestamp[] {Timestamp.ZERO, Timestamp.of(12, 3), Timestamp.MAX}) {
            dev.meridian.proto.kv.Timestamp wire = Timestamps.toProto(ts);
            assertThat(wire.getWallNanos()).isEqualTo(ts.wallNanos());
            assertThat(wire.getLogical()).isEqualTo(ts.logical());
            assertThat(Timestamps.fromProto(wire)).isEqualTo(ts);
        }
    }

    @Test
    void anUnsetWireTimestampIsZero() {
        assertThat(Timestamps.fromProto(dev.meridian.proto.kv.Timestamp.getDefaultInstance())).isEqualTo(Timestamp.ZERO);
    }

    @Test
    void aNegativeWireTimestampIsRefused() {
        assertThatThrownBy(() -> Timestamps.fromProto(
                dev.meridian.proto.kv.Timestamp.newBuilder().setWallNanos(-1).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.fromProto(
                dev.meridian.proto.kv.Timestamp.newBuilder().setLogical(-1).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
