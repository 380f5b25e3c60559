package dev.meridian.raft.sim;

import dev.meridian.raft.Entry;
import dev.meridian.raft.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver loop's contract on a calm three-node group: persist, sync, then send; except a
 * leader's appends, which leave at write time (its own write overlaps the followers').
 */
class SimClusterTest {

    private static final FaultMix CALM = new FaultMix(0, 0, 3, 0, 0, 0, 0, 0, 0, 100, 5, 0, 0, 0, 0, 0);
    private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

    private final SimCluster cluster = new SimCluster(
            new SeedPlan(1, 3, 100, CALM, 10, 1, 10, 1 << 20, 8, false, false, 10, InjectedBug.NONE),
            new SplittableRandom(1), null);

    private void runFor(long millis) {
        long end = cluster.queue.now() + millis;
        while (cluster.queue.now() < end) {
            cluster.handle(cluster.queue.next().event());
        }
    }

    private SimNode idleLeader() {
        for (int i = 0; i < 10_000; i++) {
            for (SimNode n : cluster.nodes.values()) {
                if (n.up() && n.role == Role.LEADER && n.outstanding == null && cluster.history.commits() > 0) {
                    return n;
                }
            }
            cluster.handle(cluster.queue.next().event());
        }
        throw new AssertionError("no leader");
    }

    private boolean anyLogHolds(byte[] payload) {
        for (SimNode n : cluster.nodes.values()) {
            LogImage img = n.disk.current();
            for (long i = img.firstIndex(); i <= img.lastIndex(); i++) {
                if (Arrays.equals(img.entry(i).data(), payload)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aLeaderCrashBetweenWriteAndSyncLosesItsCopyButNotTheAppendItSentEarly() {
        cluster.startGroup();
        SimNode leader = idleLeader();
        long durableLast = leader.disk.durable().lastIndex();
        int committedBefore = cluster.history.commits();

        leader.raw.propose(X);
        cluster.pump(leader);
        assertThat(leader.outstanding).as("the Ready waits for its fsync").isNotNull();
        assertThat(leader.disk.current().lastIndex()).isEqualTo(durableLast + 1);
        assertThat(leader.disk.hasUnsyncedWrites()).isTrue();

        cluster.crash(leader);
        assertThat(leader.disk.current().lastIndex()).as("the leader's own copy is lost").isEqualTo(durableLast);
        runFor(500);
        assertThat(anyLogHolds(X)).as("the append left before the sync and reached the followers").isTrue();
        assertThat(cluster.history.commits()).as("a majority of the followers alone commits it under the next leader")
                .isGreaterThan(committedBefore);
        assertThat(cluster.violation()).isNull();
    }

    @Test
    void aFollowerDoesNotAcknowledgeBeforeItsSync() {
        cluster.startGroup();
        SimNode leader = idleLeader();
        leader.raw.propose(X);
        cluster.pump(leader);
        // Deliver the append to the followers and let them write it, but not sync it.
        SimNode follower = null;
        for (int i = 0; i < 1_000 && follower == null; i++) {
            cluster.handle(cluster.queue.next().event());
            for (SimNode n : cluster.nodes.values()) {
                if (n != leader && n.outstanding != null && n.disk.hasUnsyncedWrites()) {
                    follower = n;
                }
            }
        }
        assertThat(follower).as("a follower wrote the append").isNotNull();
        long leaderMatch = leader.raw.status().progress().get(follower.id).match();
        cluster.crash(follower);
        runFor(20);
        assertThat(leader.raw.status().progress().get(follower.id).match())
                .as("no acknowledgement left the follower before its fsync").isEqualTo(leaderMatch);
        assertThat(cluster.violation()).isNull();
    }

    @Test
    void aSyncedEntryReachesEveryNodeAndSurvivesTheLeadersCrash() {
        cluster.startGroup();
        SimNode leader = idleLeader();
        leader.raw.propose(X);
        cluster.pump(leader);
        runFor(50);
        cluster.crash(leader);
        cluster.restart(leader);
        runFor(1_000);

        for (SimNode n : cluster.nodes.values()) {
            assertThat(n.applied).as("node " + n.id).extracting(Entry::data).anySatisfy(d -> assertThat(d).isEqualTo(X));
        }
        assertThat(cluster.crashes).isEqualTo(1);
        assertThat(cluster.violation()).isNull();
    }
}
