package dev.meridian.cluster.node;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.AdminSplitRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.RequestUnion;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three real nodes in one JVM, real gRPC on loopback, RocksDB stores in a temporary directory. */
class ClusterTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void nodesJoinReplicateAndServeThroughAnyGateway() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            assertThat(List.of(c.node(0).nodeId(), c.node(1).nodeId(), c.node(2).nodeId())).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(c.node(1).clusterId()).isEqualTo(c.node(0).clusterId());
            c.awaitVoters(0, 1, 3);

            c.kv(1).put(b("user/a"), b("one")).get(10, TimeUnit.SECONDS);
            assertThat(c.kv(2).get(b("user/a")).get(10, TimeUnit.SECONDS)).map(ClusterTest::s).contains("one");
            c.kv(0).delete(b("user/a")).get(10, TimeUnit.SECONDS);
            assertThat(c.kv(1).get(b("user/a")).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(c.kv(2).increment(b("user/n"), 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(c.kv(0).increment(b("user/n"), 2).get(10, TimeUnit.SECONDS)).isEqualTo(7);

            // Every replica converges on the same data.
            LocalCluster.await(Duration.ofSeconds(20), () -> sameKeyCounts(c, 1), () -> "replicas to converge" + c.describe());
        }
    }

    @Test
    void secondInitIsRefusedWithAClearMessage() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(1)) {
            assertThatThrownBy(() -> LocalCluster.init(c.node(0).advertiseAddress()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("ALREADY_EXISTS")
                    .hasMessageContaining("already been initialized");
            assertThat(c.node(0).state()).isEqualTo(Node.State.RUNNING);
        }
    }

    @Test
    void splitServesBothSidesAndUpdatesMeta() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            for (char ch = 'a'; ch <= 'z'; ch++) {
                c.kv(0).put(b("user/" + ch), b("v" + ch)).get(10, TimeUnit.SECONDS);
            }
            BatchResponse split = c.kv(1).batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                    .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFrom(b("user/m"))))).build())
                    .get(30, TimeUnit.SECONDS);
            assertThat(split.hasError()).as(split.getError().getMessage()).isFalse();
            RangeDescriptor left = split.getResponses(0).getAdminSplit().getLeft();
            RangeDescriptor right = split.getResponses(0).getAdminSplit().getRight();
            assertThat(s(left.getEndKey().toByteArray())).isEqualTo("user/m");
            assertThat(s(right.getStartKey().toByteArray())).isEqualTo("user/m");
            assertThat(right.getRangeId()).isNotEqualTo(left.getRangeId());
            assertThat(right.getReplicasList()).isEqualTo(left.getReplicasList());

            for (int gw = 0; gw < 3; gw++) {
                List<KeyValue> rows = c.kv(gw).scan(b("user/"), b("user0"), 0).get(20, TimeUnit.SECONDS);
                assertThat(rows).hasSize(26);
                assertThat(s(rows.get(12).getKey().toByteArray())).isEqualTo("user/m");
            }
            c.kv(2).put(b("user/zz"), b("right")).get(10, TimeUnit.SECONDS);
            c.kv(2).put(b("user/aa"), b("left")).get(10, TimeUnit.SECONDS);
            assertThat(c.kv(0).get(b("user/zz")).get(10, TimeUnit.SECONDS)).map(ClusterTest::s).contains("right");
            assertThat(c.kv(0).get(b("user/aa")).get(10, TimeUnit.SECONDS)).map(ClusterTest::s).contains("left");

            LocalCluster.await(Duration.ofSeconds(20), () -> metaHolds(c, right) && metaHolds(c, left), "meta entries");
            // The right-hand range exists on every node.
            LocalCluster.await(Duration.ofSeconds(20), () -> sameKeyCounts(c, right.getRangeId()), () -> "right-hand replicas" + c.describe());
        }
    }

    /**
     * Splits of a range that holds no meta entry carry no write batch; every replica must apply
     * them (they once stopped every node of the cluster), and a restarted node must replay them.
     */
    @Test
    void rangesSplitAgainAndAgainAndARestartedNodeReplaysTheSplits() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            for (int i = 0; i < 40; i++) {
                c.kv(0).put(b(String.format("user/%02d", i)), b("v" + i)).get(10, TimeUnit.SECONDS);
            }
            List<Long> rangeIds = new java.util.ArrayList<>();
            for (String at : List.of("user/10", "user/20", "user/30")) {
                BatchResponse split = c.kv(1).batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                        .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFrom(b(at))))).build())
                        .get(30, TimeUnit.SECONDS);
                assertThat(split.hasError()).as(at + ": " + split.getError().getMessage()).isFalse();
                rangeIds.add(split.getResponses(0).getAdminSplit().getRight().getRangeId());
            }
            for (int i = 0; i < 3; i++) {
                assertThat(c.node(i).state()).as("node %d", i + 1).isEqualTo(Node.State.RUNNING);
            }
            assertThat(c.kv(2).scan(b("user/"), b("user0"), 0).get(20, TimeUnit.SECONDS)).hasSize(40);
            c.stop(2);
            c.kv(0).put(b("user/35"), b("while-down")).get(10, TimeUnit.SECONDS);
            c.restart(2);
            for (long id : rangeIds) {
                LocalCluster.await(Duration.ofSeconds(30), () -> sameKeyCounts(c, id),
                        () -> "r" + id + " the same on every node after the restart" + c.describe());
            }
            assertThat(c.node(2).state()).isEqualTo(Node.State.RUNNING);
        }
    }

    @Test
    void restartedNodeCatchesUpByLog() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            c.kv(0).put(b("user/before"), b("1")).get(10, TimeUnit.SECONDS);
            c.stop(2);
            for (int i = 0; i < 50; i++) {
                c.kv(0).put(b("user/k" + i), b("v" + i)).get(10, TimeUnit.SECONDS);
            }
            c.restart(2);
            LocalCluster.await(Duration.ofSeconds(30), () -> sameKeyCounts(c, 1), () -> "restarted node to catch up" + c.describe());
        }
    }

    @Test
    void restartedNodeCatchesUpBySnapshotAfterLogTruncation() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x.withDriver(x.driver().withCompactionThreshold(20))).start(3)) {
            c.awaitVoters(0, 1, 3);
            c.stop(2);
            long appliedWhenStopped = c.ranges(0).getFirst().getAppliedIndex();
            for (int i = 0; i < 120; i++) {
                c.kv(0).put(b("user/k" + i), b("v" + i)).get(10, TimeUnit.SECONDS);
            }
            long firstIndex = c.node(0).store().orElseThrow().driver().status(1).get(5, TimeUnit.SECONDS).firstIndex();
            assertThat(firstIndex).as("the leader's log no longer holds what node 3 misses").isGreaterThan(appliedWhenStopped + 1);
            c.restart(2);
            LocalCluster.await(Duration.ofSeconds(30), () -> sameKeyCounts(c, 1), () -> "restarted node to catch up by snapshot" + c.describe());
            assertThat(c.kv(2).get(b("user/k119")).get(10, TimeUnit.SECONDS)).map(ClusterTest::s).contains("v119");
        }
    }

    /** Whether every running node has range {@code rangeId} with the same key count and applied state. */
    static boolean sameKeyCounts(LocalCluster c, long rangeId) {
        Long keys = null;
        for (int i = 0; i < c.size(); i++) {
            if (c.node(i).state() != Node.State.RUNNING) {
                continue;
            }
            Optional<RangeInfo> r = c.ranges(i).stream().filter(x -> x.getRangeDescriptor().getRangeId() == rangeId).findFirst();
            if (r.isEmpty()) {
                return false;
            }
            if (keys == null) {
                keys = r.get().getKeyCount();
            } else if (keys != r.get().getKeyCount()) {
                return false;
            }
        }
        return keys != null;
    }

    static boolean metaHolds(LocalCluster c, RangeDescriptor d) {
        try {
            Optional<byte[]> raw = c.kv(0).get(Keys.metaKey(d.getEndKey().toByteArray())).get(10, TimeUnit.SECONDS);
            return raw.isPresent() && RangeDescriptor.parseFrom(raw.get()).getRangeId() == d.getRangeId();
        } catch (Exception e) {
            return false;
        }
    }

}
