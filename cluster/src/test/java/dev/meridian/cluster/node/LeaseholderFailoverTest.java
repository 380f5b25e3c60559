package dev.meridian.cluster.node;

import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.register.RegisterChecker;
import dev.meridian.testkit.history.register.RegisterResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leaseholder of the range is stopped abruptly while clients read, write and
 * compare-and-set registers through the two other nodes: a new leaseholder must serve within a
 * few election timeouts, and the recorded history must be linearizable (no stale read, no lost
 * acknowledged write).
 */
class LeaseholderFailoverTest {

    @TempDir
    Path dir;

    @Test
    void killingTheLeaseholderLosesNothingAndServesAgain() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            c.kv(0).put("user/warmup".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {1}).get();
            int victim = leaseholderIndex(c);
            List<Integer> gateways = java.util.stream.IntStream.range(0, 3).filter(i -> i != victim).boxed().toList();
            RegisterWorkload w = new RegisterWorkload(List.of("x", "y", "z"), client -> c.kv(gateways.get(client % 2)));
            w.start(6, 42);
            Thread.sleep(1500);
            long killedAt = System.nanoTime();
            c.stop(victim);
            Thread.sleep(6000);
            History h = w.stop().history();

            long okAfterKill = h.ops().stream()
                    .filter(op -> op.type() == OpType.OK && op.time() > killedAt + Duration.ofSeconds(4).toNanos())
                    .count();
            assertThat(okAfterKill).as("operations acknowledged once a new leaseholder took over").isGreaterThan(10);
            RegisterResult result = RegisterChecker.check(h, null);
            assertThat(result.valid()).as(result.report()).isTrue();
        }
    }

    /**
     * The leaseholder of many ranges, after another node was restarted (at a new address), is
     * stopped: every range must get a leader and a leaseholder among the two others, quiesced
     * or not.
     */
    @Test
    void everyRangeFailsOverAfterARestartElsewhere() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            for (int i = 1; i <= 6; i++) {
                byte[] at = ("user/" + (char) ('a' + 3 * i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                c.kv(0).batch(dev.meridian.proto.kv.BatchRequest.newBuilder().addRequests(dev.meridian.proto.kv.RequestUnion
                        .newBuilder().setAdminSplit(dev.meridian.proto.kv.AdminSplitRequest.newBuilder()
                                .setSplitKey(com.google.protobuf.ByteString.copyFrom(at)))).build()).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            int victim = leaseholderIndex(c);
            int other = (victim + 1) % 3;
            c.stop(other);
            c.restart(other);
            for (RangeInfo r : c.ranges(victim)) {
                long rid = r.getRangeDescriptor().getRangeId();
                LocalCluster.await(Duration.ofSeconds(30), () -> ClusterTest.sameKeyCounts(c, rid), () -> "r" + rid + c.describe());
            }
            Thread.sleep(1000); // long enough for idle groups to quiesce
            c.stop(victim);
            for (char k = 'a'; k <= 'z'; k += 2) {
                byte[] key = ("user/" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int gw = (victim + 1 + k % 2) % 3;
                c.kv(gw).put(key, new byte[] {1}).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    static int leaseholderIndex(LocalCluster c) {
        RangeInfo r1 = c.ranges(0).stream().filter(r -> r.getRangeDescriptor().getRangeId() == 1).findFirst().orElseThrow();
        long holder = r1.getLease().getReplica().getNodeId();
        for (int i = 0; i < c.size(); i++) {
            if (c.node(i).nodeId() == holder) {
                return i;
            }
        }
        throw new AssertionError("no leaseholder among the nodes: " + r1);
    }
}
