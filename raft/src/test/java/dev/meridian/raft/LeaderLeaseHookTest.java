package dev.meridian.raft;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tick-based hook a lease implementation builds on, and the single-voter fast paths. */
class LeaderLeaseHookTest {

    @Test
    void quorumContactTickIsTheSendTickOfTheHeartbeatAQuorumAnswered() {
        Cluster c = new Cluster();
        c.run("add-nodes 5 voters=(1,2,3,4,5) heartbeat=2", "campaign 1", "stabilize");
        RawNode leader = c.node(1);
        assertThat(leader.status().quorumContactTick()).isZero();
        // Tick 2: heartbeats go out stamped with tick 2; only 2 and 3 answer.
        c.run("tick-heartbeat 1", "partition (1,2,3) (4,5)", "stabilize");
        assertThat(leader.status().ticks()).isEqualTo(2);
        assertThat(leader.status().quorumContactTick()).isEqualTo(2);
        // Ticks 4 and 6 reach only 2: the quorum (1, 2, 3) was last confirmed at tick 2.
        c.run("partition (1,2) (3,4,5)", "tick-heartbeat 1", "stabilize", "tick-heartbeat 1", "stabilize");
        assertThat(leader.status().ticks()).isEqualTo(6);
        assertThat(leader.status().quorumContactTick()).isEqualTo(2);
        assertThat(leader.status().progress().get(2L).lastContactTick()).isEqualTo(6);
        c.run("heal", "tick-heartbeat 1", "stabilize");
        assertThat(leader.status().quorumContactTick()).isEqualTo(8);
    }

    @Test
    void followersReportNoQuorumContact() {
        Cluster c = new Cluster();
        c.run("add-nodes 3 voters=(1,2,3)", "campaign 1", "stabilize", "tick-heartbeat 1", "stabilize");
        assertThat(c.node(2).status().quorumContactTick()).isZero();
        assertThat(c.node(2).status().progress()).isEmpty();
    }

    @Test
    void aSingleVoterLeadsCommitsAndReadsAlone() {
        MemoryRaftLogStorage storage = new MemoryRaftLogStorage(ConfState.of(List.of(1L), List.of()));
        RawNode n = new RawNode(Config.defaults(1), storage, InteractionHarness.NO_JITTER);
        n.campaign();
        assertThat(n.status().softState()).isEqualTo(new SoftState(1, Role.LEADER));
        assertThat(n.propose("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(ProposalOutcome.APPENDED);
        n.readIndex("r".getBytes(StandardCharsets.UTF_8));
        Ready rd = n.ready();
        assertThat(rd.messages()).isEmpty();
        assertThat(rd.entries()).extracting(Entry::index).containsExactly(1L, 2L);
        // Committed in the same Ready: the caller persists entries before applying them.
        assertThat(rd.committedEntries()).extracting(Entry::index).containsExactly(1L, 2L);
        assertThat(rd.readStates()).containsExactly(new ReadState(2, "r".getBytes(StandardCharsets.UTF_8)));
        storage.setHardState(rd.hardState());
        storage.append(rd.entries());
        n.advance(rd);
        assertThat(n.status().applied()).isEqualTo(2);
        assertThat(n.hasReady()).isFalse();
    }
}
