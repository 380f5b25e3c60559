package dev.meridian.raft.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of voters decided by simple majority. The empty configuration is a degenerate case
 * chosen so that a joint configuration with an empty half behaves like its other half: it
 * commits everything ({@link Long#MAX_VALUE}) and wins every vote.
 *
 * @param voters the voter ids, sorted; never modified after construction
 */
public record MajorityConfig(SortedSet<Long> voters) {

    public MajorityConfig {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    }

    public static MajorityConfig of(Collection<Long> ids) {
        return new MajorityConfig(new TreeSet<>(ids));
    }

    public static MajorityConfig of(long... ids) {
        TreeSet<Long> s = new TreeSet<>();
        for (long id : ids) {
            s.add(id);
        }
        return new MajorityConfig(s);
    }

    public static MajorityConfig empty() {
        return new MajorityConfig(new TreeSet<>());
    }

    public boolean isEmpty() {
        return voters.isEmpty();
    }

    public boolean contains(long id) {
        return voters.contains(id);
    }

    public int size() {
        return voters.size();
    }

    /** The smallest number of voters that forms a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /**
     * The largest index acknowledged by a majority: sort the acknowledged indexes descending
     * and take the one at position quorum-1. Every index at or below it is held by a majority.
     */
    public long committedIndex(AckedIndexer acked) {
        if (voters.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long[] indexes = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            indexes[i++] = acked.ackedIndex(id);
        }
        Arrays.sort(indexes);
        // Ascending order: the quorum-th largest sits at n - quorum.
        return indexes[indexes.length - quorum()];
    }

    /**
     * Counts votes: a voter missing from {@code votes} has not answered yet. WON once a
     * majority granted, LOST once a majority can no longer be reached.
     */
    public VoteResult voteResult(Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean v = votes.get(id);
            if (v == null) {
                missing++;
            } else if (v) {
                granted++;
            }
        }
        if (granted >= quorum()) {
            return VoteResult.WON;
        }
        if (granted + missing >= quorum()) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (long id : voters) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(id);
        }
        return b.append(')').toString();
    }
}
