package dev.meridian.cluster.node;

import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Payload;
import dev.meridian.testkit.history.register.RegisterChecker;
import dev.meridian.testkit.history.register.RegisterResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Network partitions under a register workload, through the fault layer every node of the
 * cluster shares ({@link NetworkFaults}): a follower cut off from both other nodes, and the
 * leaseholder cut off from the majority. Each time the recorded history must be linearizable
 * (no stale read, no lost acknowledged write), the majority must keep serving (after the old
 * lease has run out, when the leaseholder was cut off), and after the partition heals every
 * replica must converge.
 */
class PartitionTest {

    private static final List<String> REGISTERS = List.of("x", "y", "z");
    /** The range holding every user key in these tests (nothing splits it). */
    private static final long RANGE = 1;
    /** LocalCluster's lease duration and max offset. */
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration MAX_OFFSET = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void isolatedFollowerLeavesTheMajorityServingAndCatchesUpAfterHeal() throws Exception {
        NetworkFaults faults = NetworkFaults.create();
        try (LocalCluster c = new LocalCluster(dir, faults, x -> x).start(3)) {
            int holder = settle(c);
            // settle() waits for the Raft leader to be the leaseholder: this node is neither.
            int isolated = (holder + 1) % 3;
            List<Integer> gateways = othersThan(isolated);
            RegisterWorkload w = new RegisterWorkload(REGISTERS, client -> c.kv(gateways.get(client % 2)));
            w.start(6, 7);
            Thread.sleep(1000);

            long cutAt = System.nanoTime();
            faults.isolate(c.node(isolated).nodeId(), c.otherNodeIds(isolated));
            // Keys that only exist from the partition on: the cut-off node must learn them after the heal.
            for (int i = 0; i < 20; i++) {
                c.kv(gateways.get(i % 2)).put(b("user/during/" + i), b("v" + i)).get(10, TimeUnit.SECONDS);
            }
            sleepUntil(cutAt + Duration.ofSeconds(4).toNanos());
            long isolatedApplied = c.range(isolated, RANGE).orElseThrow().getAppliedIndex();
            long majorityApplied = c.range(gateways.get(0), RANGE).orElseThrow().getAppliedIndex();
            long isolatedKeys = c.range(isolated, RANGE).orElseThrow().getKeyCount();
            long majorityKeys = c.range(gateways.get(0), RANGE).orElseThrow().getKeyCount();
            long healedAt = System.nanoTime();
            History h = healAndFinish(c, faults, w, Duration.ofMillis(1000));

            assertThat(isolatedApplied).as("the cut-off node applied nothing while the majority went on" + c.describe())
                    .isLessThan(majorityApplied);
            assertThat(isolatedKeys).as("the cut-off node has none of the keys written during the partition")
                    .isLessThanOrEqualTo(majorityKeys - 20);
            assertThat(okBetween(h, cutAt, healedAt)).as("operations acknowledged during the partition")
                    .isGreaterThan(20);
            RegisterResult result = RegisterChecker.check(h, null);
            assertThat(result.valid()).as(result.report()).isTrue();
            LocalCluster.await(Duration.ofSeconds(20), () -> converged(c), () -> "replicas to converge after the heal" + c.describe());
        }
    }

    @Test
    void leaseholderCutOffFromTheMajorityIsReplacedAndServesNoStaleRead() throws Exception {
        NetworkFaults faults = NetworkFaults.create();
        try (LocalCluster c = new LocalCluster(dir, faults, x -> x).start(3)) {
            int old = settle(c);
            long oldId = c.node(old).nodeId();
            List<Integer> majority = othersThan(old);
            // Six clients go through the majority's gateways, two through the old leaseholder's:
            // theirs may fail or stay unknown during the partition, but must never read stale data.
            RegisterWorkload w = new RegisterWorkload(REGISTERS, client -> c.kv(client < 6 ? majority.get(client % 2) : old));
            w.start(8, 11);
            Thread.sleep(1000);

            long cutAt = System.nanoTime();
            faults.isolate(oldId, c.otherNodeIds(old));
            // The old lease runs out within one lease duration; an election takes a few hundred ms.
            LocalCluster.await(LEASE.multipliedBy(4), () -> majority.stream().allMatch(i -> c.range(i, RANGE)
                    .map(r -> r.getLease().getReplica().getNodeId() != oldId).orElse(false)),
                    () -> "a leaseholder on the majority side" + c.describe());
            long newLeaseAt = System.nanoTime();
            int successor = c.leaseholderIndex(majority.get(0), RANGE);
            assertThat(successor).isIn(majority);

            // Once its lease has certainly run out, the old leaseholder must not answer a read.
            sleepUntil(cutAt + LEASE.plus(MAX_OFFSET.multipliedBy(2)).toNanos());
            Optional<byte[]> stale = null;
            try {
                stale = c.kv(old).get(RegisterWorkload.key("x")).get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException expected) {
                // Refused, or no answer: what a node without a lease must do.
            }
            assertThat(stale).as("a read served by the cut-off node after its lease expired").isNull();

            // Long enough for the new leaseholder to serve a while before the heal.
            sleepUntil(Math.max(cutAt + Duration.ofSeconds(7).toNanos(), newLeaseAt + Duration.ofSeconds(3).toNanos()));
            long healedAt = System.nanoTime();
            History h = healAndFinish(c, faults, w, Duration.ofMillis(1500));

            long servingFrom = cutAt + LEASE.multipliedBy(2).toNanos();
            assertThat(okBetween(h, servingFrom, healedAt))
                    .as("operations acknowledged by the new leaseholder, two lease durations into the partition")
                    .isGreaterThan(10);
            RegisterResult result = RegisterChecker.check(h, null);
            assertThat(result.valid()).as(result.report()).isTrue();
            LocalCluster.await(Duration.ofSeconds(20), () -> converged(c), () -> "replicas to converge after the heal" + c.describe());
        }
    }

    /**
     * Waits until range 1 has three voters everywhere, every node names the same leaseholder and
     * that node leads the Raft group (leadership follows the lease); returns the holder's index.
     */
    private static int settle(LocalCluster c) throws Exception {
        c.awaitVoters(0, RANGE, 3);
        c.kv(0).put(b("user/warmup"), new byte[] {1}).get(10, TimeUnit.SECONDS);
        LocalCluster.await(Duration.ofSeconds(20), () -> {
            List<RangeInfo> views = IntStream.range(0, c.size()).mapToObj(i -> c.range(i, RANGE)).flatMap(Optional::stream).toList();
            if (views.size() != c.size()) {
                return false;
            }
            long holder = views.getFirst().getLease().getReplica().getNodeId();
            return holder != 0 && views.stream().allMatch(r -> r.getLease().getReplica().getNodeId() == holder
                    && r.getRangeDescriptor().getReplicasList().stream().filter(x -> x.getType() == ReplicaType.VOTER).count() == 3)
                    && c.range(c.indexOf(holder), RANGE).orElseThrow().getRaftLeaderNodeId() == holder;
        }, () -> "one leaseholder leading the Raft group" + c.describe());
        // No wait for every node to know every address: a node that joined after another last
        // refreshed its directory announces its address in its Raft batches (a pre-vote after
        // the cut is enough), which is what lets the majority elect a leader right away.
        return c.leaseholderIndex(0, RANGE);
    }

    /**
     * Heals the partition, lets the workload run {@code after} more, stops it, then reads every
     * register through every node (recorded into the history, so that the checker sees a lost
     * write as a read that misses it) and asserts that each of those reads succeeded.
     */
    private static History healAndFinish(LocalCluster c, NetworkFaults faults, RegisterWorkload w, Duration after)
            throws InterruptedException {
        faults.heal();
        Thread.sleep(after.toMillis());
        HistoryRecorder recorder = w.stop();
        assertThat(finalReads(c, recorder)).as("final reads through every node after the heal" + c.describe())
                .isEqualTo(c.size() * REGISTERS.size());
        return recorder.history();
    }

    /** Reads every register through every node, recorded into the workload's history; returns how many succeeded. */
    private static int finalReads(LocalCluster c, HistoryRecorder recorder) {
        int ok = 0;
        for (int i = 0; i < c.size(); i++) {
            int process = recorder.newProcess();
            for (String reg : REGISTERS) {
                recorder.invoke(process, new Payload.Read(reg, null));
                try {
                    Optional<byte[]> v = c.kv(i).get(RegisterWorkload.key(reg)).get(15, TimeUnit.SECONDS);
                    recorder.ok(process, new Payload.Read(reg, v.map(x -> ByteBuffer.wrap(x).getLong()).orElse(null)));
                    ok++;
                } catch (Exception e) {
                    recorder.fail(process, new Payload.Read(reg, null));
                }
            }
        }
        return ok;
    }

    private static long okBetween(History h, long from, long to) {
        return h.ops().stream().filter(op -> op.type() == OpType.OK && op.time() > from && op.time() < to).count();
    }

    /** Every node has range 1 with the same keys and the same applied index. */
    private static boolean converged(LocalCluster c) {
        if (!ClusterTest.sameKeyCounts(c, RANGE)) {
            return false;
        }
        List<Long> applied = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            applied.add(c.range(i, RANGE).orElseThrow().getAppliedIndex());
        }
        return applied.stream().distinct().count() == 1;
    }

    private static List<Integer> othersThan(int index) {
        return IntStream.range(0, 3).filter(i -> i != index).boxed().toList();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
