package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.ProgressStatus;
import dev.meridian.raft.Role;
import dev.meridian.raft.Status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a group goes quiet. The leader decides; a follower only ever quiesces on its leader's
 * word, so a follower never stops its election timer on its own.
 *
 * <p>A leader quiesces when its log is fully committed, applied and held by every member
 * ({@link #leaderMayQuiesce}); it then sends every member a heartbeat marked with
 * {@link #QUIESCE_CONTEXT} and stops ticking. The follower steps that heartbeat (context
 * stripped, so Raft sees a plain heartbeat: its election timer restarts and it acknowledges) and
 * stops ticking if the heartbeat came from the leader it follows in the current term.
 */
final class QuiesceProtocol {

    /** Marks a heartbeat as "go quiet". Raft's own heartbeats carry read-index contexts, never this. */
    static final byte[] QUIESCE_CONTEXT = "meridian.quiesce".getBytes(StandardCharsets.UTF_8);

    private QuiesceProtocol() {
    }

    static boolean isQuiesceRequest(Message m) {
        return m.type() == MessageType.HEARTBEAT && Arrays.equals(m.context(), QUIESCE_CONTEXT);
    }

    /** The heartbeat Raft must see instead of a quiesce request. */
    static Message stripped(Message m) {
        return m.toBuilder().context(new byte[0]).build();
    }

    /**
     * Whether a leader may go quiet: nothing uncommitted, unapplied or unreplicated, no transfer
     * under way. A member that is behind (or down and behind) keeps the group awake, so the
     * leader keeps retrying it.
     */
    static boolean leaderMayQuiesce(Status st) {
        if (st.softState().role() != Role.LEADER || st.leadTransferee() != 0) {
            return false;
        }
        ProgressStatus self = st.progress().get(st.id());
        if (self == null) {
            return false;
        }
        long last = self.match();
        if (st.hardState().commit() != last || st.applied() != last) {
            return false;
        }
        for (ProgressStatus p : st.progress().values()) {
            if (p.match() != last) {
                return false;
            }
        }
        return true;
    }

    /** The quiesce heartbeats a quiescing leader sends, one per other member. */
    static List<Message> requests(Status st) {
        List<Message> out = new ArrayList<>();
        for (long member : st.progress().keySet()) {
            if (member != st.id()) {
                out.add(Message.builder(MessageType.HEARTBEAT).from(st.id()).to(member).term(st.hardState().term())
                        .commit(st.hardState().commit()).index(st.ticks()).context(QUIESCE_CONTEXT).build());
            }
        }
        return out;
    }

    /** Whether a follower that just stepped quiesce request {@code m} should go quiet. */
    static boolean followerMayQuiesce(Status st, Message m) {
        return st.softState().role() == Role.FOLLOWER && st.softState().lead() == m.from()
                && st.hardState().term() == m.term();
    }
}
