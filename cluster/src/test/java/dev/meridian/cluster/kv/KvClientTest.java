package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.KeyValue;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.meridian.cluster.kv.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;

/** KvClient end to end over real gRPC: one node serving a {@link FakeCluster}'s ranges. */
class KvClientTest {

    @Test
    void operationsGoThroughGrpcToTheRangesLeaseholder() throws Exception {
        FakeCluster cluster = new FakeCluster(1);
        cluster.split("m", 1);
        try (FakeNodeServer node = new FakeNodeServer(1, r -> cluster.send(1, r).join())) {
            node.nodes = List.of(node.descriptor());
            node.firstRange = cluster.firstRange().join();
            KvClientConfig config = new KvClientConfig(DistSenderConfig.defaults().withDeadline(Duration.ofSeconds(10)),
                    GrpcRangeTransportConfig.defaults(), OpenTelemetry.noop());
            try (KvClient kv = KvClient.connect(List.of(node.address()), config)) {
                kv.put(key("b"), key("1")).join();
                kv.put(key("x"), key("2")).join();
                assertThat(kv.get(key("x")).join()).hasValueSatisfying(v -> assertThat(v).isEqualTo(key("2")));
                assertThat(kv.increment(key("n"), 3).join()).isEqualTo(3);
                List<KeyValue> rows = kv.scan(key("a"), key("z"), 0).join();
                assertThat(rows).extracting(r -> r.getKey().toStringUtf8()).containsExactly("b", "n", "x");
            }
            assertThat(cluster.value("b")).isEqualTo(key("1"));
            assertThat(node.received).isNotEmpty();
        }
    }
}
