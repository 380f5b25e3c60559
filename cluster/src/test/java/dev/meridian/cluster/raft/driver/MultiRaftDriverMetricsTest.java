package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.memory.InMemoryRaftNetwork;
import dev.meridian.storage.memory.InMemoryEngine;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver's work shows up under the documented metric names. */
class MultiRaftDriverMetricsTest {

    @Test
    void aReplicatedProposalIsCountedUnderTheRaftMetricNames() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        OpenTelemetry otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
        DriverConfig config = DriverConfig.defaults().withTickInterval(Duration.ofMillis(10)).withElection(30, 3);
        List<Peer> peers = List.of(new Peer(1, 1), new Peer(2, 2), new Peer(3, 3));
        try (InMemoryRaftNetwork network = new InMemoryRaftNetwork()) {
            Map<Long, MultiRaftDriver> drivers = new TreeMap<>();
            for (long n = 1; n <= 3; n++) {
                drivers.put(n, new MultiRaftDriver(n, new InMemoryEngine(), network.newTransport(), config,
                        n == 1 ? otel : OpenTelemetry.noop()));
                drivers.get(n).createGroup(1, n, peers, new ListStateMachine());
            }
            drivers.get(1L).campaign(1);
            TestCluster.await("node 1 leading", () -> TestCluster.get(drivers.get(1L).status(1)).role()
                    == dev.meridian.raft.Role.LEADER);
            assertThat(TestCluster.get(drivers.get(1L).propose(1, "x".getBytes(StandardCharsets.UTF_8)))).isPositive();
            drivers.values().forEach(MultiRaftDriver::close);
        }
        Map<String, MetricData> byName = new TreeMap<>();
        reader.collectAllMetrics().forEach(m -> byName.put(m.getName(), m));
        assertThat(byName).containsKeys("meridian.raft.proposals", "meridian.raft.entries.applied",
                "meridian.raft.ready.rounds", "meridian.raft.fsync.batches", "meridian.raft.fsync.entries",
                "meridian.raft.fsync.latency", "meridian.raft.messages.sent", "meridian.raft.messages.received",
                "meridian.raft.groups.quiescent", "meridian.raft.leader.changes", "meridian.raft.ticks");
        long proposals = byName.get("meridian.raft.proposals").getLongSumData().getPoints().iterator().next().getValue();
        assertThat(proposals).isEqualTo(1);
        assertThat(byName.get("meridian.raft.messages.sent").getLongSumData().getPoints())
                .anySatisfy(p -> assertThat(p.getAttributes().asMap().values()).contains("MsgApp"));
    }
}
