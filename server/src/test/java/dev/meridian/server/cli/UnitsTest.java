package dev.meridian.server.cli;

import dev.meridian.proto.kv.LocalityTier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line's durations, sizes, localities and address lists (`meridian start`, `init`, `debug split`). */
class UnitsTest {

    @Test
    void durationsNeedAUnit() {
        assertThat(Units.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Units.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Units.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.duration("100us")).isEqualTo(Duration.ofNanos(100_000));
        for (String bad : List.of("250", "ms", "1 day", "-1s", "")) {
            assertThatThrownBy(() -> Units.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void sizesTakeBinaryAndDecimalUnits() {
        assertThat(Units.bytes("4096")).isEqualTo(4096);
        assertThat(Units.bytes("64MB")).isEqualTo(64_000_000L);
        assertThat(Units.bytes("512MiB")).isEqualTo(512L << 20);
        assertThat(Units.bytes("1GiB")).isEqualTo(1L << 30);
        assertThat(Units.bytes("1.5kib")).isEqualTo(1536);
        assertThatThrownBy(() -> Units.bytes("lots")).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> Units.bytes("99999999TiB")).hasMessageContaining("too large");
    }

    @Test
    void localityTiersKeepTheirOrderAndRefuseRepeats() {
        assertThat(Units.locality("region=us-east1,zone=a")).containsExactly(
                LocalityTier.newBuilder().setKey("region").setValue("us-east1").build(),
                LocalityTier.newBuilder().setKey("zone").setValue("a").build());
        assertThat(Units.locality(null)).isEmpty();
        assertThatThrownBy(() -> Units.locality("region")).hasMessageContaining("is not a locality tier");
        assertThatThrownBy(() -> Units.locality("region=a,region=b")).hasMessageContaining("given twice");
    }

    @Test
    void addressListsAreCheckedOneByOne() {
        assertThat(Units.addresses("127.0.0.1:26257, 127.0.0.1:26258")).containsExactly("127.0.0.1:26257", "127.0.0.1:26258");
        assertThat(Units.addresses("")).isEmpty();
        assertThatThrownBy(() -> Units.addresses("127.0.0.1")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> Units.addresses("h:70000")).hasMessageContaining("port out of range");
    }
}
