package dev.meridian.raft.quorum;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The voters of a joint configuration C(old,new): every decision needs a majority of the
 * incoming AND of the outgoing voters. Outside a membership change the outgoing half is empty,
 * which by {@link MajorityConfig}'s conventions makes this the incoming majority alone.
 */
public record JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {

    public static JointConfig simple(MajorityConfig incoming) {
        return new JointConfig(incoming, MajorityConfig.empty());
    }

    public boolean isJoint() {
        return !outgoing.isEmpty();
    }

    /** Every voter of either half, sorted. */
    public SortedSet<Long> ids() {
        TreeSet<Long> all = new TreeSet<>(incoming.voters());
        all.addAll(outgoing.voters());
        return all;
    }

    public boolean contains(long id) {
        return incoming.contains(id) || outgoing.contains(id);
    }

    /** The largest index acknowledged by a majority of both halves: the smaller of the two. */
    public long committedIndex(AckedIndexer acked) {
        return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
    }

    /** WON only if both halves won; LOST if either lost; PENDING otherwise. */
    public VoteResult voteResult(Map<Long, Boolean> votes) {
        VoteResult in = incoming.voteResult(votes);
        VoteResult out = outgoing.voteResult(votes);
        if (in == out) {
            return in;
        }
        if (in == VoteResult.LOST || out == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    @Override
    public String toString() {
        return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
    }
}
