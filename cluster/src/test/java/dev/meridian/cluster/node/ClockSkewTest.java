package dev.meridian.cluster.node;

import dev.meridian.cluster.time.ClockOffsets;
import dev.meridian.cluster.time.ClockSkewException;
import dev.meridian.cluster.time.PhysicalClock;
import dev.meridian.cluster.replica.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes in this JVM, one with its physical clock skewed. Offsets are measured on pings
 * each second; a node off from a majority by more than 80% of max-offset stops itself, and the
 * others keep serving.
 */
class ClockSkewTest {

    private static final Duration MAX_OFFSET = Duration.ofMillis(500);

    /** Node {@code index} (store "n" + index) runs on a clock {@code skew} ahead of the others. */
    private static UnaryOperator<NodeConfig> skewed(int index, Duration skew) {
        PhysicalClock system = PhysicalClock.system();
        PhysicalClock ahead = () -> system.nowNanos() + skew.toNanos();
        return cfg -> {
            StoreConfig store = cfg.store().withMaxOffset(MAX_OFFSET);
            NodeConfig c = cfg.withStore(store);
            return cfg.storeDir().getFileName().toString().equals("n" + index) ? c.withClock(ahead) : c;
        };
    }

    @Test
    void aNodeWhoseClockIsOffFromTheOthersStopsAndTheRestServe(@TempDir Path dir) throws Exception {
        // 450 ms ahead: within max-offset (the others still accept its timestamps), beyond 80% of it.
        try (LocalCluster cluster = new LocalCluster(dir, skewed(2, Duration.ofMillis(450))).start(3)) {
            Node odd = cluster.node(2);
            LocalCluster.await(Duration.ofSeconds(30), () -> odd.state() == Node.State.STOPPED,
                    "the node with the skewed clock stops");
            assertThat(odd.failure()).isInstanceOf(ClockSkewException.class)
                    .hasMessageContaining("2 of 2 peers").hasMessageContaining("400.0 ms");
            assertThat(cluster.node(0).state()).isEqualTo(Node.State.RUNNING);
            assertThat(cluster.node(1).state()).isEqualTo(Node.State.RUNNING);
            byte[] key = "user/after-skew".getBytes(StandardCharsets.UTF_8);
            cluster.kv(0).put(key, new byte[] {7}).get(30, TimeUnit.SECONDS);
            assertThat(cluster.kv(1).get(key).get(30, TimeUnit.SECONDS)).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
        }
    }

    @Test
    void aSkewWithinToleranceIsMeasuredAndTolerated(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, skewed(2, Duration.ofMillis(150))).start(3)) {
            long oddId = cluster.node(2).nodeId();
            // Node 1 measures node 3 about 150 ms ahead, round after round, and nobody stops.
            Set<Long> rounds = new HashSet<>();
            LocalCluster.await(Duration.ofSeconds(30), () -> {
                Optional<ClockOffsets.Measurement> m = cluster.node(0).clockOffsetTo(oddId);
                m.ifPresent(x -> {
                    assertThat(x.offsetNanos()).isBetween(Duration.ofMillis(50).toNanos(), Duration.ofMillis(250).toNanos());
                    rounds.add(x.measuredAtNanos());
                });
                return rounds.size() >= 5;
            }, "five measurements of the skewed node");
            assertThat(cluster.node(2).clockOffsetTo(cluster.node(0).nodeId()))
                    .hasValueSatisfying(x -> assertThat(x.offsetNanos()).isNegative());
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.node(i).state()).as("node %d", i + 1).isEqualTo(Node.State.RUNNING);
            }
        }
    }
}
