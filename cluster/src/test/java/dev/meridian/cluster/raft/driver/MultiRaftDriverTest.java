package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.meridian.cluster.raft.driver.TestCluster.NODES;
import static dev.meridian.cluster.raft.driver.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three drivers with real threads over the in-memory network, run once per engine. Outcomes
 * only: who leads, what is applied where, what the counters say. Waits are generous polls.
 */
abstract class MultiRaftDriverTest {

    /**
     * 10 ms ticks, elections after 300-600 ms: quick, yet slow enough that a loaded machine
     * (fsyncs, two shared cores) does not depose leaders in the middle of a test.
     */
    static final DriverConfig FAST = DriverConfig.defaults().withTickInterval(Duration.ofMillis(10)).withWorkerThreads(2)
            .withElection(30, 3);

    TestCluster cluster;

    abstract TestCluster newCluster(DriverConfig config);

    /** Groups in the many-groups test. */
    abstract int manyGroups();

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void assertSameCommandsEverywhere(long groupId, int expected) {
        cluster.awaitApplied(groupId, expected);
        List<ListStateMachine.Applied> reference = cluster.sm(1, groupId).log();
        assertThat(reference).hasSize(expected);
        for (long n : cluster.driverOf.keySet()) {
            assertThat(cluster.sm(n, groupId).log()).as("node %d", n).isEqualTo(reference);
        }
    }

    @Test
    void oneGroupElectsALeaderAndAppliesEveryProposalInTheSameOrderEverywhere() {
        cluster = newCluster(FAST);
        cluster.createGroup(1);
        long leader = cluster.awaitLeader(1);
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            done.add(cluster.proposeAsync(leader, 1, "cmd-" + i));
        }
        List<Long> indexes = done.stream().map(TestCluster::get).toList();
        assertSameCommandsEverywhere(1, 200);
        // Each future names the index at which its own command was applied.
        List<ListStateMachine.Applied> log = cluster.sm(leader, 1).log();
        for (int i = 0; i < 200; i++) {
            long index = indexes.get(i);
            String cmd = "cmd-" + i;
            assertThat(log).contains(new ListStateMachine.Applied(index, cmd));
        }
        assertThat(indexes).doesNotHaveDuplicates();
    }

    @Test
    void aProposalToAFollowerFailsWithTheLeaderAsHint() {
        cluster = newCluster(FAST);
        cluster.createGroup(1);
        long leader = cluster.awaitLeader(1);
        await("followers to know the leader", () -> NODES.stream().allMatch(n -> cluster.status(n, 1).leaderNodeId() == leader));
        long follower = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        assertThatThrownBy(() -> TestCluster.get(cluster.proposeAsync(follower, 1, "x")))
                .isInstanceOfSatisfying(ProposalException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProposalException.Reason.NOT_LEADER);
                    assertThat(e.leaderNodeId()).isEqualTo(leader);
                });
        assertThatThrownBy(() -> cluster.driver(1).propose(99, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestartedNodeRecoversItsLogAndCatchesUp() {
        cluster = newCluster(FAST);
        cluster.createGroup(1);
        for (int i = 0; i < 20; i++) {
            cluster.propose(1, "before-" + i);
        }
        assertSameCommandsEverywhere(1, 20);
        long victim = NODES.stream().filter(n -> n != cluster.awaitLeader(1)).findFirst().orElseThrow();
        GroupStatus beforeStop = cluster.status(victim, 1);
        cluster.stop(victim);
        for (int i = 0; i < 20; i++) {
            cluster.propose(1, "while-down-" + i);
        }
        cluster.restart(victim, List.of(1L));
        // Before hearing from anyone, the restarted replica has its term and log back from disk.
        GroupStatus restarted = cluster.status(victim, 1);
        assertThat(restarted.term()).isGreaterThanOrEqualTo(beforeStop.term());
        assertThat(restarted.lastIndex()).isGreaterThanOrEqualTo(beforeStop.lastIndex());
        for (int i = 0; i < 5; i++) {
            cluster.propose(1, "after-" + i);
        }
        assertSameCommandsEverywhere(1, 45);
    }

    @Test
    void aFollowerFarBehindACompactedLogCatchesUpBySnapshot() {
        cluster = newCluster(FAST.withCompactionThreshold(20).withQuiesceAfterTicks(0));
        cluster.createGroup(1);
        long leader = cluster.awaitLeader(1);
        long lagging = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
        cluster.network.isolate(lagging);
        for (int i = 0; i < 100; i++) {
            cluster.propose(1, "c" + i);
        }
        long leaderNow = cluster.awaitLeader(1);
        assertThat(cluster.status(leaderNow, 1).firstIndex()).as("leader compacted its log").isGreaterThan(50);
        assertThat(cluster.status(lagging, 1).lastIndex()).isLessThan(50);
        cluster.network.heal(lagging);
        assertSameCommandsEverywhere(1, 100);
        assertThat(cluster.driver(lagging).stats().snapshotsApplied()).isPositive();
        assertThat(cluster.sm(lagging, 1).restores()).isPositive();
    }

    @Test
    void anIdleGroupGoesQuietAndWakesOnAProposal() {
        cluster = newCluster(FAST.withQuiesceAfterTicks(3));
        cluster.createGroup(1);
        cluster.propose(1, "first");
        cluster.awaitApplied(1, 1);
        await("every replica quiesced", () -> NODES.stream().allMatch(n -> cluster.status(n, 1).quiesced()));
        List<Long> ticksWhenQuiet = NODES.stream().map(n -> cluster.status(n, 1).raftTicks()).toList();
        List<Long> roundsWhenQuiet = NODES.stream().map(n -> cluster.driver(n).stats().tickerRounds()).toList();
        await("20 more ticker rounds on every node",
                () -> NODES.stream().allMatch(n -> cluster.driver(n).stats().tickerRounds() >= roundsWhenQuiet.get((int) (n - 1)) + 20));
        assertThat(NODES.stream().map(n -> cluster.status(n, 1).raftTicks()).toList()).isEqualTo(ticksWhenQuiet);
        assertThat(NODES.stream().allMatch(n -> cluster.status(n, 1).quiesced())).isTrue();
        assertThat(cluster.driver(1).stats().quiescentGroups()).isEqualTo(1);

        cluster.propose(1, "second");
        assertSameCommandsEverywhere(1, 2);
        // The wake-up came from the proposal, not from an election: the term did not move.
        assertThat(NODES.stream().map(n -> cluster.status(n, 1).term()).distinct()).hasSize(1);
    }

    @Test
    void proposalsAcrossALeaderPartitionApplyOnceAndInTheSameOrderEverywhere() {
        cluster = newCluster(FAST);
        cluster.createGroup(1);
        long firstLeader = cluster.awaitLeader(1);
        java.util.Map<String, ProposalException.Reason> failed = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<Long>> inFlight = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i == 100) {
                cluster.network.isolate(firstLeader);
            }
            if (i == 200) {
                cluster.network.heal(firstLeader);
            }
            String cmd = "p" + i;
            long target = i < 100 ? firstLeader : cluster.awaitLeader(1);
            inFlight.add(cluster.proposeAsync(target, 1, cmd).whenComplete((index, err) -> {
                if (err == null) {
                    acknowledged.add(cmd);
                } else {
                    failed.put(cmd, ((ProposalException) err).reason());
                }
            }));
            if (i % 20 == 19) {
                inFlight.forEach(f -> f.handle((v, e) -> null).join());
            }
        }
        inFlight.forEach(f -> f.handle((v, e) -> null).join());
        // Converge: one more command through the final leader, then every node holds the same log.
        String last = "final";
        cluster.propose(1, last);
        int expected = cluster.sm(cluster.awaitLeader(1), 1).commands().size();
        assertSameCommandsEverywhere(1, expected);
        List<String> applied = cluster.sm(1, 1).commands();
        // The isolated leader took proposal p100 and could not commit it before stepping down.
        assertThat(failed).containsKey("p100");
        assertThat(acknowledged.size()).isGreaterThan(150);
        assertThat(applied).doesNotHaveDuplicates().contains(last).containsAll(acknowledged);
        for (var e : failed.entrySet()) {
            if (e.getValue() != ProposalException.Reason.AMBIGUOUS) {
                assertThat(applied).as("%s failed as %s", e.getKey(), e.getValue()).doesNotContain(e.getKey());
            }
        }
    }

    @Test
    void aQuiescedGroupWhoseLeaderDiedStaysQuietUntilWoken() {
        cluster = newCluster(FAST.withQuiesceAfterTicks(3));
        cluster.createGroup(1);
        cluster.propose(1, "first");
        await("every replica quiesced", () -> NODES.stream().allMatch(n -> cluster.status(n, 1).quiesced()));
        long deadLeader = cluster.awaitLeader(1);
        List<Long> survivors = NODES.stream().filter(n -> n != deadLeader).toList();
        long term = cluster.status(survivors.get(0), 1).term();
        cluster.stop(deadLeader);
        // The HAZARD, as designed: quiet followers do not notice the dead leader by themselves.
        long rounds = cluster.driver(survivors.get(0)).stats().tickerRounds();
        await("20 ticker rounds", () -> cluster.driver(survivors.get(0)).stats().tickerRounds() >= rounds + 20);
        for (long n : survivors) {
            assertThat(cluster.status(n, 1).quiesced()).isTrue();
            assertThat(cluster.status(n, 1).term()).isEqualTo(term);
        }
        // The liveness layer's job: wake the group; the survivors elect a new leader.
        survivors.forEach(n -> cluster.driver(n).wake(1));
        long newLeader = cluster.awaitLeader(1);
        assertThat(survivors).contains(newLeader);
        assertThat(cluster.status(newLeader, 1).term()).isGreaterThan(term);
        cluster.propose(1, "second");
        cluster.awaitApplied(1, 2);
        for (long n : survivors) {
            assertThat(cluster.sm(n, 1).commands()).containsExactly("first", "second");
        }
    }

    @Test
    void aThousandGroupsReplicateAndShareFsyncs() {
        DriverConfig config = FAST.withTickInterval(Duration.ofMillis(20)).withQuiesceAfterTicks(3);
        cluster = newCluster(config);
        int groups = manyGroups();
        for (long g = 1; g <= groups; g++) {
            cluster.createGroup(g);
        }
        long appendsBefore = NODES.stream().mapToLong(n -> cluster.driver(n).stats().groupAppends()).sum();
        long fsyncsBefore = NODES.stream().mapToLong(n -> cluster.driver(n).stats().fsyncs()).sum();
        long[] leaders = new long[groups + 1];
        for (int g = 1; g <= groups; g++) {
            leaders[g] = cluster.awaitLeader(g);
        }
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (int g = 1; g <= groups; g++) {
            done.add(cluster.proposeAsync(leaders[g], g, "g" + g));
        }
        done.forEach(TestCluster::get);
        for (long g = 1; g <= groups; g++) {
            assertSameCommandsEverywhere(g, 1);
            assertThat(cluster.sm(1, g).commands()).containsExactly("g" + g);
        }
        long appends = NODES.stream().mapToLong(n -> cluster.driver(n).stats().groupAppends()).sum() - appendsBefore;
        long fsyncs = NODES.stream().mapToLong(n -> cluster.driver(n).stats().fsyncs()).sum() - fsyncsBefore;
        // Every group appended on all three nodes; one fsync covers many of them.
        assertThat(appends).isGreaterThanOrEqualTo(3L * groups);
        System.out.printf("%d groups: %d group appends, %d fsyncs%n", groups, appends, fsyncs);
        assertThat(fsyncs).as("fsyncs for %d group appends", appends).isLessThan(appends / 4);
        await("all groups quiet", () -> NODES.stream().allMatch(n -> cluster.driver(n).stats().quiescentGroups() == groups));
        assertThat(cluster.status(1, 1).role()).isIn(Role.LEADER, Role.FOLLOWER);
    }
}
