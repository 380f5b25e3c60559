package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.HardState;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.ProgressStatus;
import dev.meridian.raft.Role;
import dev.meridian.raft.SoftState;
import dev.meridian.raft.Status;
import dev.meridian.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class QuiesceProtocolTest {

    private static ProgressStatus at(long match) {
        return new ProgressStatus(match, match + 1, ProgressState.REPLICATE, false, true, 0, 0, 0);
    }

    private static Status leader(long commit, long applied, long transferee, long... matches) {
        SortedMap<Long, ProgressStatus> progress = new TreeMap<>();
        for (int i = 0; i < matches.length; i++) {
            progress.put((long) i + 1, at(matches[i]));
        }
        return new Status(1, new HardState(5, 1, commit), new SoftState(1, Role.LEADER), applied, 40, 0, transferee,
                ConfState.of(List.of(1L, 2L, 3L), List.of()), progress);
    }

    @Test
    void aLeaderQuiescesOnlyWithEverythingCommittedAppliedAndReplicated() {
        assertThat(QuiesceProtocol.leaderMayQuiesce(leader(9, 9, 0, 9, 9, 9))).isTrue();
        assertThat(QuiesceProtocol.leaderMayQuiesce(leader(9, 9, 0, 9, 8, 9))).as("a follower behind").isFalse();
        assertThat(QuiesceProtocol.leaderMayQuiesce(leader(8, 8, 0, 9, 9, 9))).as("uncommitted tail").isFalse();
        assertThat(QuiesceProtocol.leaderMayQuiesce(leader(9, 8, 0, 9, 9, 9))).as("unapplied").isFalse();
        assertThat(QuiesceProtocol.leaderMayQuiesce(leader(9, 9, 2, 9, 9, 9))).as("transfer under way").isFalse();
        Status follower = new Status(1, new HardState(5, 1, 9), new SoftState(2, Role.FOLLOWER), 9, 40, 0, 0,
                ConfState.EMPTY, new TreeMap<>());
        assertThat(QuiesceProtocol.leaderMayQuiesce(follower)).isFalse();
    }

    @Test
    void quiesceRequestsAreHeartbeatsToEveryOtherMemberAtTheLeadersTermAndCommit() {
        List<Message> requests = QuiesceProtocol.requests(leader(9, 9, 0, 9, 9, 9));
        assertThat(requests).extracting(Message::to).containsExactly(2L, 3L);
        for (Message m : requests) {
            assertThat(QuiesceProtocol.isQuiesceRequest(m)).isTrue();
            assertThat(m.term()).isEqualTo(5);
            assertThat(m.commit()).isEqualTo(9);
            Message plain = QuiesceProtocol.stripped(m);
            assertThat(QuiesceProtocol.isQuiesceRequest(plain)).isFalse();
            assertThat(plain.type()).isEqualTo(MessageType.HEARTBEAT);
        }
    }

    @Test
    void aFollowerQuiescesOnlyOnTheWordOfTheLeaderItFollowsInItsTerm() {
        Message fromLeader2 = Message.builder(MessageType.HEARTBEAT).from(2).to(1).term(5)
                .context(QuiesceProtocol.QUIESCE_CONTEXT).build();
        Status following2 = new Status(1, new HardState(5, 0, 3), new SoftState(2, Role.FOLLOWER), 3, 7, 0, 0,
                ConfState.EMPTY, new TreeMap<>());
        Status following3 = new Status(1, new HardState(5, 0, 3), new SoftState(3, Role.FOLLOWER), 3, 7, 0, 0,
                ConfState.EMPTY, new TreeMap<>());
        Status newerTerm = new Status(1, new HardState(6, 0, 3), new SoftState(2, Role.FOLLOWER), 3, 7, 0, 0,
                ConfState.EMPTY, new TreeMap<>());
        Status candidate = new Status(1, new HardState(5, 1, 3), new SoftState(0, Role.CANDIDATE), 3, 7, 0, 0,
                ConfState.EMPTY, new TreeMap<>());
        assertThat(QuiesceProtocol.followerMayQuiesce(following2, fromLeader2)).isTrue();
        assertThat(QuiesceProtocol.followerMayQuiesce(following3, fromLeader2)).isFalse();
        assertThat(QuiesceProtocol.followerMayQuiesce(newerTerm, fromLeader2)).isFalse();
        assertThat(QuiesceProtocol.followerMayQuiesce(candidate, fromLeader2)).isFalse();
    }
}
