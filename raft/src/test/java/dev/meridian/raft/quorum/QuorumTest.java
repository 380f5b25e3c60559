package dev.meridian.raft.quorum;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class QuorumTest {

    private static AckedIndexer acks(long... byId) {
        // byId[i] is the acked index of voter i+1.
        return id -> id >= 1 && id <= byId.length ? byId[(int) id - 1] : 0;
    }

    @Test
    void majorityCommitsWhatAQuorumHolds() {
        assertThat(MajorityConfig.of(1).committedIndex(acks(5))).isEqualTo(5);
        assertThat(MajorityConfig.of(1, 2, 3).committedIndex(acks(5, 3, 1))).isEqualTo(3);
        assertThat(MajorityConfig.of(1, 2, 3, 4).committedIndex(acks(5, 3, 1, 4))).isEqualTo(3);
        assertThat(MajorityConfig.of(1, 2, 3, 4, 5).committedIndex(acks(9, 9, 1, 1, 2))).isEqualTo(2);
        // A voter that acked nothing counts as 0.
        assertThat(MajorityConfig.of(1, 2, 3).committedIndex(acks(7))).isZero();
    }

    @Test
    void emptyMajorityIsNeutralInJointConfigs() {
        assertThat(MajorityConfig.empty().committedIndex(acks())).isEqualTo(Long.MAX_VALUE);
        assertThat(MajorityConfig.empty().voteResult(new TreeMap<>())).isEqualTo(VoteResult.WON);
        JointConfig simple = JointConfig.simple(MajorityConfig.of(1, 2, 3));
        assertThat(simple.committedIndex(acks(5, 4, 1))).isEqualTo(4);
        assertThat(simple.isJoint()).isFalse();
    }

    @Test
    void jointCommitIsTheMinimumOfBothHalves() {
        JointConfig joint = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
        // incoming (1,2,3) acks 9,8,2 -> 8; outgoing (3,4,5) acks 2,1,1 -> 1.
        assertThat(joint.committedIndex(acks(9, 8, 2, 1, 1))).isEqualTo(1);
        assertThat(joint.committedIndex(acks(9, 8, 7, 7, 1))).isEqualTo(7);
        assertThat(joint.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void votesWinLoseOrWait() {
        MajorityConfig c = MajorityConfig.of(1, 2, 3);
        TreeMap<Long, Boolean> v = new TreeMap<>();
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.PENDING);
        v.put(1L, true);
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.PENDING);
        v.put(2L, false);
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.PENDING);
        v.put(3L, true);
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.WON);
        v.put(3L, false);
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.LOST);
        // Votes of non-members do not count.
        v.put(9L, true);
        assertThat(c.voteResult(v)).isEqualTo(VoteResult.LOST);
    }

    @Test
    void jointVoteNeedsBothHalves() {
        JointConfig joint = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(4, 5, 6));
        TreeMap<Long, Boolean> v = new TreeMap<>();
        v.put(1L, true);
        v.put(2L, true);
        assertThat(joint.voteResult(v)).isEqualTo(VoteResult.PENDING);
        v.put(4L, true);
        v.put(5L, true);
        assertThat(joint.voteResult(v)).isEqualTo(VoteResult.WON);
        v.put(5L, false);
        v.put(6L, false);
        assertThat(joint.voteResult(v)).isEqualTo(VoteResult.LOST);
    }

    /** Whatever the acks, a majority of voters holds the committed index, and no larger index has one. */
    @Property
    void committedIndexIsTheLargestHeldByAMajority(@ForAll @Size(min = 1, max = 9) List<@LongRange(min = 0, max = 20) Long> acked) {
        long[] a = acked.stream().mapToLong(Long::longValue).toArray();
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= a.length; i++) {
            ids.add(i);
        }
        MajorityConfig c = MajorityConfig.of(ids);
        long committed = c.committedIndex(acks(a));
        assertThat(countAtLeast(a, committed)).isGreaterThanOrEqualTo(c.quorum());
        assertThat(countAtLeast(a, committed + 1)).isLessThan(c.quorum());
    }

    private static int countAtLeast(long[] a, long index) {
        int n = 0;
        for (long x : a) {
            if (x >= index) {
                n++;
            }
        }
        return n;
    }

    /** Two majorities of one config always intersect: two candidates cannot both win. */
    @Property
    void twoDisjointVoteSetsCannotBothWin(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            ids.add(i);
        }
        MajorityConfig c = MajorityConfig.of(ids);
        java.util.Random rnd = new java.util.Random(seed);
        TreeMap<Long, Boolean> forA = new TreeMap<>();
        TreeMap<Long, Boolean> forB = new TreeMap<>();
        for (long id : ids) {
            // Each voter votes for at most one candidate.
            int choice = rnd.nextInt(3);
            forA.put(id, choice == 0);
            forB.put(id, choice == 1);
        }
        assertThat(c.voteResult(forA) == VoteResult.WON && c.voteResult(forB) == VoteResult.WON).isFalse();
    }

    /** The joint commit index never exceeds either half's, and equals the smaller. */
    @Property
    void jointCommitIsBoundedByBothHalves(@ForAll @Size(min = 6, max = 6) List<@LongRange(min = 0, max = 10) Long> acked,
                                          @ForAll @IntRange(min = 1, max = 6) int split) {
        long[] a = acked.stream().mapToLong(Long::longValue).toArray();
        List<Long> in = new ArrayList<>();
        List<Long> out = new ArrayList<>();
        for (long i = 1; i <= 6; i++) {
            (i <= split ? in : out).add(i);
        }
        // Overlap: voter 1 is in both halves.
        out.add(1L);
        JointConfig j = new JointConfig(MajorityConfig.of(in), MajorityConfig.of(out));
        long ci = j.incoming().committedIndex(acks(a));
        long co = j.outgoing().committedIndex(acks(a));
        assertThat(j.committedIndex(acks(a))).isEqualTo(Math.min(ci, co));
    }

    /** Adding a vote never turns WON into something else, and never turns LOST into WON. */
    @Property
    void moreGrantsNeverHurt(@ForAll @IntRange(min = 1, max = 7) int n, @ForAll long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        MajorityConfig c = MajorityConfig.of(rangeIds(n));
        TreeMap<Long, Boolean> votes = new TreeMap<>();
        VoteResult prev = c.voteResult(votes);
        for (long id = 1; id <= n; id++) {
            votes.put(id, rnd.nextBoolean());
            VoteResult now = c.voteResult(votes);
            if (prev == VoteResult.WON) {
                assertThat(now).isEqualTo(VoteResult.WON);
            }
            if (prev == VoteResult.LOST) {
                assertThat(now).isEqualTo(VoteResult.LOST);
            }
            prev = now;
        }
        assertThat(prev).isNotEqualTo(VoteResult.PENDING);
    }

    private static List<Long> rangeIds(int n) {
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            ids.add(i);
        }
        return ids;
    }
}
