package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.ConfChange;
import dev.meridian.raft.Role;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.meridian.cluster.raft.driver.MultiRaftDriverTest.FAST;
import static dev.meridian.cluster.raft.driver.TestCluster.NODES;
import static dev.meridian.cluster.raft.driver.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Membership changes, replicas created on demand, removal and leadership transfer, on three
 * (and a fourth) drivers over the in-memory network; run once per engine.
 */
abstract class MultiRaftDriverMembershipTest {

    private static final long GROUP = 1;
    private static final long NEW_NODE = 4;

    TestCluster cluster;

    abstract TestCluster newCluster(DriverConfig config);

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A ListStateMachine snapshot holding {@code commands} at indexes 1, 2, ... */
    private static byte[] seedState(String... commands) {
        ListStateMachine seed = new ListStateMachine();
        for (int i = 0; i < commands.length; i++) {
            seed.apply(i + 1, commands[i].getBytes(StandardCharsets.UTF_8));
        }
        return seed.snapshot();
    }

    private static ConfChange change(ConfChange.Transition t, ConfChange.ChangeType type, long replica) {
        return new ConfChange(t, List.of(new ConfChange.Single(type, replica)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Proposes a membership change at the leader; retries while another change is pending. */
    private long proposeConfChange(ConfChange cc, String context) {
        for (int attempt = 0; attempt < 200; attempt++) {
            long leader = cluster.awaitLeader(GROUP);
            try {
                return TestCluster.get(cluster.driver(leader).proposeConfChange(GROUP, cc, utf8(context)));
            } catch (ProposalException e) {
                if (e.reason() == ProposalException.Reason.AMBIGUOUS) {
                    throw e;
                }
                sleep(20); // NOT_LEADER while an election runs, REJECTED while a leave-joint is pending
            }
        }
        throw new AssertionError("no leader took " + cc);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<Long> allNodes() {
        return new ArrayList<>(cluster.driverOf.keySet());
    }

    @Test
    void aGroupCreatedAtAnInitialIndexStartsItsLogThereAndElectsInAHigherTerm() {
        cluster = newCluster(FAST);
        cluster.createGroupAt(GROUP, 10, 5, seedState("seed-a", "seed-b"));
        long index = cluster.propose(GROUP, "first");
        cluster.awaitApplied(GROUP, 3);
        assertThat(index).as("after the snapshot at 10 and the leader's no-op").isGreaterThan(11);
        for (long n : NODES) {
            GroupStatus st = cluster.status(n, GROUP);
            assertThat(st.term()).isGreaterThan(5);
            assertThat(st.firstIndex()).isEqualTo(11);
            assertThat(cluster.sm(n, GROUP).commands()).containsExactly("seed-a", "seed-b", "first");
        }
        assertThat(cluster.driver(1).stats().groupsCreated()).isEqualTo(1);
        assertThatThrownBy(() -> cluster.driver(1).createGroup(2, 1, TestCluster.peers(), new ListStateMachine(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.driver(1).hosts(2)).isFalse();
    }

    @Test
    void aLearnerCreatedOnDemandIsInitializedBySnapshotThenPromotedAndLeads() {
        cluster = newCluster(FAST.withQuiesceAfterTicks(0));
        cluster.addNode(NEW_NODE);
        List<String> factoryCalls = cluster.hostOnDemand(NEW_NODE);
        cluster.createGroupAt(GROUP, 10, 5, seedState("seed-a", "seed-b"));
        cluster.propose(GROUP, "before");

        String learnerContext = "add learner 4|1@1,2@2,3@3,4@4";
        long learnerIndex = proposeConfChange(change(ConfChange.Transition.AUTO, ConfChange.ChangeType.ADD_LEARNER, 4),
                learnerContext);
        await("node 4 to host the group", () -> cluster.driver(NEW_NODE).hosts(GROUP));
        await("node 4 to hold every command", () -> cluster.sm(NEW_NODE, GROUP).commands().size() >= 3);
        // The seed exists only in the initial snapshot (the log starts at 11): node 4 has it
        // because it installed that snapshot, the only way to initialize an empty replica.
        assertThat(cluster.sm(NEW_NODE, GROUP).commands()).containsExactly("seed-a", "seed-b", "before");
        assertThat(cluster.sm(NEW_NODE, GROUP).restores()).isPositive();
        assertThat(cluster.driver(NEW_NODE).stats().snapshotsApplied()).isPositive();
        assertThat(cluster.driver(NEW_NODE).stats().replicasCreatedOnDemand()).isEqualTo(1);
        assertThat(factoryCalls).hasSize(1);
        assertThat(factoryCalls.get(0)).startsWith(GROUP + "/4/");

        String voterContext = "promote 4|1@1,2@2,3@3,4@4";
        long voterIndex = proposeConfChange(change(ConfChange.Transition.JOINT_IMPLICIT, ConfChange.ChangeType.ADD_VOTER, 4),
                voterContext);
        assertThat(voterIndex).isGreaterThan(learnerIndex);
        // Node 4 follows new entries as a member.
        cluster.propose(GROUP, "after");
        await("every node applying 'after'", () -> allNodes().stream().allMatch(n -> cluster.sm(n, GROUP).commands().contains("after")));

        // A voter now: it can take over leadership.
        long leader = cluster.awaitLeader(GROUP);
        cluster.driver(leader).transferLeadership(GROUP, 4);
        await("replica 4 to lead", () -> cluster.status(NEW_NODE, GROUP).role() == Role.LEADER);
        assertThat(TestCluster.get(cluster.driver(NEW_NODE).propose(GROUP, utf8("from-4")))).isGreaterThan(voterIndex);
        await("every node applying 'from-4'", () -> allNodes().stream().allMatch(n -> cluster.sm(n, GROUP).commands().contains("from-4")));

        // Every replica applied the same changes at the same indexes, with the callers' contexts
        // (the leader's own leave-joint step has none), in order.
        List<ListStateMachine.ConfChangeApplied> reference = cluster.sm(1, GROUP).confChanges();
        assertThat(reference).extracting(ListStateMachine.ConfChangeApplied::context)
                .containsExactly(learnerContext, voterContext, "");
        assertThat(reference.get(0).index()).isEqualTo(learnerIndex);
        assertThat(reference.get(1).index()).isEqualTo(voterIndex);
        for (long n : allNodes()) {
            assertThat(cluster.sm(n, GROUP).confChanges()).as("node %d", n).isEqualTo(reference);
            assertThat(cluster.sm(n, GROUP).log()).as("node %d", n).isEqualTo(cluster.sm(1, GROUP).log());
        }
        assertThat(cluster.driver(leader).stats().confChangesApplied()).isEqualTo(3);
    }

    @Test
    void aRestartedReplicaWhoseStateMachineKeptItsStateStillKnowsTheNewMembership() {
        cluster = newCluster(FAST.withQuiesceAfterTicks(0));
        cluster.addNode(NEW_NODE);
        cluster.hostOnDemand(NEW_NODE);
        cluster.createGroupAt(GROUP, 10, 5, seedState("seed"));
        proposeConfChange(change(ConfChange.Transition.AUTO, ConfChange.ChangeType.ADD_LEARNER, 4), "learner|1@1,2@2,3@3,4@4");
        long leader = cluster.awaitLeader(GROUP);
        long restarted = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        await("the follower applying the change", () -> !cluster.sm(restarted, GROUP).confChanges().isEmpty());
        ListStateMachine before = cluster.sm(restarted, GROUP);
        byte[] state = before.snapshot();
        long appliedIndex = before.appliedIndex();
        cluster.stop(restarted);
        // Its state machine is past the change, so the driver must not apply the change to it
        // again, yet Raft must get it back: its membership is stored only with snapshots.
        cluster.restartDurable(restarted, GROUP, state, appliedIndex);
        // A transfer is abandoned after an election timeout if the target is not caught up by
        // then (likely on a loaded machine): ask again until it leads.
        long[] lastAsk = {0};
        await("the restarted replica to lead", () -> {
            if (cluster.status(restarted, GROUP).role() == Role.LEADER) {
                return true;
            }
            if (System.nanoTime() - lastAsk[0] > 1_000_000_000L) {
                lastAsk[0] = System.nanoTime();
                cluster.driver(cluster.awaitLeader(GROUP)).transferLeadership(GROUP, restarted);
            }
            return false;
        });
        assertThat(TestCluster.get(cluster.driver(restarted).propose(GROUP, utf8("x")))).isGreaterThan(appliedIndex);
        // Only a leader that knows learner 4 replicates to it.
        await("the learner applying 'x'", () -> cluster.sm(NEW_NODE, GROUP).commands().contains("x"));
        assertThat(cluster.sm(restarted, GROUP).confChanges()).as("not applied to the state machine twice").isEmpty();
        assertThat(cluster.sm(restarted, GROUP).commands()).containsExactly("seed", "x");
        assertThat(cluster.driver(restarted).failure()).isNull();
    }

    @Test
    void transferLeadershipMovesTheLeader() {
        cluster = newCluster(FAST);
        cluster.createGroup(GROUP);
        long leader = cluster.awaitLeader(GROUP);
        long target = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        long term = cluster.status(leader, GROUP).term();
        cluster.driver(leader).transferLeadership(GROUP, target);
        await("node " + target + " to lead", () -> cluster.status(target, GROUP).role() == Role.LEADER);
        assertThat(cluster.status(target, GROUP).term()).isGreaterThan(term);
        assertThat(TestCluster.get(cluster.driver(target).propose(GROUP, utf8("x")))).isPositive();
        assertThatThrownBy(() -> cluster.driver(leader).transferLeadership(GROUP, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConfChangeToAFollowerFailsWithTheLeaderAsHint() {
        cluster = newCluster(FAST);
        cluster.createGroup(GROUP);
        long leader = cluster.awaitLeader(GROUP);
        await("followers to know the leader", () -> NODES.stream().allMatch(n -> cluster.status(n, GROUP).leaderNodeId() == leader));
        long follower = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        ConfChange addLearner = change(ConfChange.Transition.AUTO, ConfChange.ChangeType.ADD_LEARNER, 4);
        assertThatThrownBy(() -> TestCluster.get(cluster.driver(follower).proposeConfChange(GROUP, addLearner, null)))
                .isInstanceOfSatisfying(ProposalException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProposalException.Reason.NOT_LEADER);
                    assertThat(e.leaderNodeId()).isEqualTo(leader);
                });
        assertThatThrownBy(() -> cluster.driver(leader).proposeConfChange(GROUP, addLearner.withContext(utf8("x")), null))
                .isInstanceOf(IllegalArgumentException.class);
        // Without a context, the state machines get an empty one.
        long index = TestCluster.get(cluster.driver(leader).proposeConfChange(GROUP, addLearner, null));
        await("every node applying the change", () -> NODES.stream().allMatch(n -> !cluster.sm(n, GROUP).confChanges().isEmpty()));
        for (long n : NODES) {
            assertThat(cluster.sm(n, GROUP).confChanges()).containsExactly(new ListStateMachine.ConfChangeApplied(index, ""));
        }
    }

    @Test
    void removingAGroupFailsItsProposalsDeletesItsLogAndHandsLaterMessagesToTheFactory() {
        cluster = newCluster(FAST.withQuiesceAfterTicks(0));
        cluster.createGroup(GROUP);
        cluster.propose(GROUP, "a");
        long leader = cluster.awaitLeader(GROUP);
        long victim = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        long other = NODES.stream().filter(n -> n != leader && n != victim).findFirst().orElseThrow();
        // A proposal that cannot commit while the leader's followers are cut off.
        cluster.network.isolate(victim);
        cluster.network.isolate(other);
        CompletableFuture<Long> stuck = cluster.proposeAsync(leader, GROUP, "stuck");
        TestCluster.get(cluster.driver(leader).removeGroup(GROUP));
        assertThatThrownBy(() -> TestCluster.get(stuck)).isInstanceOfSatisfying(ProposalException.class,
                e -> assertThat(e.reason()).isEqualTo(ProposalException.Reason.DRIVER_CLOSED));
        assertThat(cluster.driver(leader).hosts(GROUP)).isFalse();
        assertThat(raftLogKeysOf(leader, GROUP)).isEmpty();
        assertThat(cluster.driver(leader).stats().groupsRemoved()).isEqualTo(1);
        assertThatThrownBy(() -> cluster.driver(leader).propose(GROUP, utf8("late"))).isInstanceOf(IllegalArgumentException.class);

        // The other two elect a leader among themselves; its messages reach the removed
        // replica's node, which now asks its factory (here: refuses, and counts them dropped).
        List<String> refused = new CopyOnWriteArrayList<>();
        cluster.driver(leader).setGroupFactory((groupId, replicaId, fromNode) -> {
            refused.add(groupId + "/" + replicaId);
            return null;
        });
        cluster.network.heal(victim);
        cluster.network.heal(other);
        await("the factory to be asked", () -> !refused.isEmpty());
        assertThat(refused).allMatch(c -> c.equals(GROUP + "/" + leader));
        await("messages counted as dropped", () -> cluster.driver(leader).stats().messagesDroppedUnknownGroup() > 0);
        assertThat(cluster.driver(leader).hosts(GROUP)).isFalse();
        assertThat(raftLogKeysOf(leader, GROUP)).isEmpty();
        // Two of the three replicas remain, a quorum: the group keeps committing.
        long survivor = cluster.awaitLeader(GROUP);
        assertThat(survivor).isIn(victim, other);
        assertThat(TestCluster.get(cluster.driver(survivor).propose(GROUP, utf8("b")))).isPositive();
    }

    /** Every RAFT_LOG key of {@code groupId} on node {@code n}'s engine. */
    private List<byte[]> raftLogKeysOf(long n, long groupId) {
        byte[] start = ByteBuffer.allocate(8).putLong(groupId).array();
        byte[] end = ByteBuffer.allocate(8).putLong(groupId + 1).array();
        List<byte[]> keys = new ArrayList<>();
        try (EngineIterator it = cluster.engineOf.get(n).iterator(KeySpace.RAFT_LOG, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                byte[] k = it.key();
                if (Arrays.compareUnsigned(k, start) >= 0 && Arrays.compareUnsigned(k, end) < 0) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }
}
