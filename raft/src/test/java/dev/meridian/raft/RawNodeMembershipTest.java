package dev.meridian.raft;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Membership at the RawNode boundary: contexts of conf changes, and nodes that are no member yet. */
class RawNodeMembershipTest {

    private static RawNode singleVoterLeader(MemoryRaftLogStorage storage) {
        RawNode n = new RawNode(Config.defaults(1), storage, InteractionHarness.NO_JITTER);
        n.campaign();
        persistAndAdvance(n, storage);
        return n;
    }

    private static Ready persistAndAdvance(RawNode n, MemoryRaftLogStorage storage) {
        Ready rd = n.ready();
        if (!rd.snapshot().isEmpty()) {
            storage.applySnapshot(rd.snapshot());
        }
        if (!rd.hardState().isEmpty()) {
            storage.setHardState(rd.hardState());
        }
        storage.append(rd.entries());
        for (Entry e : rd.committedEntries()) {
            if (e.type() == EntryType.CONF_CHANGE) {
                n.applyConfChange(ConfChange.decode(e.data()));
            }
        }
        n.advance(rd);
        return rd;
    }

    @Test
    void theContextOfAConfChangeTravelsUnchangedToTheCommittedEntry() {
        MemoryRaftLogStorage storage = new MemoryRaftLogStorage(ConfState.of(List.of(1L), List.of()));
        RawNode n = singleVoterLeader(storage);
        byte[] context = "descriptor v2".getBytes(StandardCharsets.UTF_8);
        ConfChange add = new ConfChange(ConfChange.Transition.JOINT_IMPLICIT,
                List.of(new ConfChange.Single(ConfChange.ChangeType.ADD_LEARNER, 2)), context);
        assertThat(n.proposeConfChange(add)).isEqualTo(ProposalOutcome.APPENDED);
        Ready rd = persistAndAdvance(n, storage);
        Entry committed = rd.committedEntries().stream().filter(e -> e.type() == EntryType.CONF_CHANGE).findFirst().orElseThrow();
        assertThat(ConfChange.decode(committed.data())).isEqualTo(add);
        assertThat(ConfChange.decode(committed.data()).context()).isEqualTo(context);
        // Leaving the joint state is the leader's own change: it carries no context.
        n.tick();
        Ready leave = persistAndAdvance(n, storage);
        List<ConfChange> leaves = leave.committedEntries().stream().filter(e -> e.type() == EntryType.CONF_CHANGE)
                .map(e -> ConfChange.decode(e.data())).toList();
        assertThat(leaves).containsExactly(ConfChange.leaveJoint());
        assertThat(leaves.get(0).context()).isEmpty();
        assertThat(n.status().config().learners()).containsExactly(2L);
        assertThat(n.status().config().isJoint()).isFalse();
    }

    @Test
    void aNodeWithoutMembershipNeverCampaignsUntilASnapshotMakesItAVoter() {
        MemoryRaftLogStorage storage = new MemoryRaftLogStorage(ConfState.EMPTY);
        RawNode n = new RawNode(Config.defaults(2), storage, InteractionHarness.NO_JITTER);
        for (int i = 0; i < 100; i++) {
            n.tick();
        }
        n.campaign();
        assertThat(n.status().softState()).isEqualTo(new SoftState(0, Role.FOLLOWER));
        assertThat(n.status().hardState().term()).isZero();
        assertThat(n.hasReady()).isFalse();

        Snapshot snap = new Snapshot(new SnapshotMetadata(10, 3, ConfState.of(List.of(1L, 2L), List.of())), new byte[] {42});
        n.step(Message.builder(MessageType.SNAP).from(1).to(2).term(3).snapshot(snap).build());
        Ready rd = persistAndAdvance(n, storage);
        assertThat(rd.snapshot()).isEqualTo(snap);
        assertThat(rd.messages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.index()).isEqualTo(10);
        });
        assertThat(n.status().config().voters()).containsExactly(1L, 2L);
        // A voter now: without a leader it campaigns after its election timeout.
        for (int i = 0; i < 2 * Config.defaults(2).electionTicks(); i++) {
            n.tick();
        }
        assertThat(n.status().softState().role()).isIn(Role.PRE_CANDIDATE, Role.CANDIDATE);
    }
}
