package dev.meridian.raft.tracker;

import dev.meridian.raft.quorum.JointConfig;
import dev.meridian.raft.quorum.MajorityConfig;
import org.junit.jupiter.api.Test;

import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressTest {

    @Test
    void inflightsBoundByCountAndBytes() {
        Inflights in = new Inflights(3, 100);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue(); // count bound
        in.freeLE(2);
        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(10);
        in.add(4, 95);
        assertThat(in.full()).isTrue(); // byte bound: 105 >= 100
        in.freeLE(4);
        assertThat(in.count()).isZero();
        assertThat(in.full()).isFalse();
        assertThatThrownBy(() -> { in.add(5, 1); in.add(5, 1); }).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inflightsRingWrapsAround() {
        Inflights in = new Inflights(2, 0);
        for (long i = 1; i <= 10; i++) {
            in.add(i, 1000);
            assertThat(in.full()).isEqualTo(i > 1 && in.count() == 2);
            in.freeLE(i - 1);
            assertThat(in.count()).isEqualTo(1);
        }
        assertThatThrownBy(() -> { in.add(11, 1); in.add(12, 1); }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freeFirstOneOpensAFullWindow() {
        Inflights in = new Inflights(2, 0);
        in.add(3, 1);
        in.add(5, 1);
        assertThat(in.full()).isTrue();
        in.freeFirstOne();
        assertThat(in.full()).isFalse();
        assertThat(in.count()).isEqualTo(1);
        in.freeLE(4);
        assertThat(in.count()).isEqualTo(1); // 5 is still in flight
        in.freeFirstOne();
        in.freeFirstOne();
        assertThat(in.count()).isZero();
    }

    @Test
    void probeSendsOneAtATime() {
        Progress p = new Progress(0, 5, new Inflights(10, 0), false);
        assertThat(p.isPaused()).isFalse();
        p.sentEntries(7, 3, 30);
        assertThat(p.isPaused()).isTrue();
        assertThat(p.next()).isEqualTo(5); // probing does not advance next optimistically
        p.resumeProbing();
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void replicatePipelinesUntilWindowFull() {
        Progress p = new Progress(4, 5, new Inflights(2, 0), false);
        p.becomeReplicate();
        p.sentEntries(6, 2, 2);
        assertThat(p.next()).isEqualTo(7);
        p.sentEntries(8, 2, 2);
        assertThat(p.isPaused()).isTrue();
        assertThat(p.maybeUpdate(6)).isTrue();
        p.inflights().freeLE(6);
        assertThat(p.isPaused()).isFalse();
        assertThat(p.maybeUpdate(5)).isFalse(); // stale ack
        assertThat(p.match()).isEqualTo(6);
    }

    @Test
    void rejectionsBackOffButNeverBelowMatch() {
        Progress p = new Progress(3, 10, new Inflights(4, 0), false);
        // Probe: a rejection of an append other than the last one sent is stale.
        assertThat(p.maybeDecrTo(5, 4)).isFalse();
        assertThat(p.maybeDecrTo(9, 6)).isTrue();
        assertThat(p.next()).isEqualTo(7);
        assertThat(p.maybeDecrTo(6, 0)).isTrue();
        assertThat(p.next()).isEqualTo(4); // match + 1
        // Replicate: stale if at or below match; else restart after match.
        p.maybeUpdate(5);
        p.becomeReplicate();
        p.sentEntries(9, 4, 4);
        assertThat(p.maybeDecrTo(5, 0)).isFalse();
        assertThat(p.maybeDecrTo(8, 2)).isTrue();
        assertThat(p.next()).isEqualTo(6);
    }

    @Test
    void snapshotStatePausesAndResumesAfterTheSnapshot() {
        Progress p = new Progress(2, 3, new Inflights(4, 0), false);
        p.becomeSnapshot(20);
        assertThat(p.isPaused()).isTrue();
        p.snapshotDone(true);
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.next()).isEqualTo(21);
        assertThat(p.isPaused()).isTrue(); // waits for a heartbeat response
        p.becomeSnapshot(20);
        p.snapshotDone(false);
        assertThat(p.next()).isEqualTo(3);
    }

    @Test
    void trackerCommitsByQuorumAndChecksActivity() {
        ProgressTracker t = new ProgressTracker(4, 0);
        TreeMap<Long, Progress> prs = new TreeMap<>();
        for (long id = 1; id <= 3; id++) {
            prs.put(id, new Progress(0, 1, t.newInflights(), false));
        }
        prs.put(4L, new Progress(0, 1, t.newInflights(), true));
        TreeSet<Long> learners = new TreeSet<>();
        learners.add(4L);
        t.switchTo(new TrackerConfig(JointConfig.simple(MajorityConfig.of(1, 2, 3)), learners, new TreeSet<>(), false), prs);
        t.progress(1).maybeUpdate(9);
        t.progress(4).maybeUpdate(9); // a learner does not count
        assertThat(t.committed()).isZero();
        t.progress(2).maybeUpdate(7);
        assertThat(t.committed()).isEqualTo(7);

        t.progress(4).setRecentActive(true);
        assertThat(t.quorumActive(1)).isFalse();
        t.progress(3).setRecentActive(true);
        assertThat(t.quorumActive(1)).isTrue();
        assertThat(t.quorumActive(1)).isFalse(); // marks are reset by each check
    }

    @Test
    void quorumContactTickIsTheQuorumsOldest() {
        ProgressTracker t = new ProgressTracker(4, 0);
        TreeMap<Long, Progress> prs = new TreeMap<>();
        for (long id = 1; id <= 5; id++) {
            prs.put(id, new Progress(0, 1, t.newInflights(), false));
        }
        t.switchTo(new TrackerConfig(JointConfig.simple(MajorityConfig.of(1, 2, 3, 4, 5)), new TreeSet<>(), new TreeSet<>(), false), prs);
        t.progress(2).heardFrom(40);
        t.progress(3).heardFrom(30);
        t.progress(4).heardFrom(10);
        // Self at 50, then 40, 30: the third-latest contact is 30.
        assertThat(t.quorumContactTick(1, 50)).isEqualTo(30);
    }

    @Test
    void configInvariantsAreChecked() {
        TreeSet<Long> learners = new TreeSet<>();
        learners.add(1L);
        assertThatThrownBy(() -> new TrackerConfig(JointConfig.simple(MajorityConfig.of(1, 2)), learners, new TreeSet<>(), false))
                .hasMessageContaining("both voter and learner");
        assertThatThrownBy(() -> new TrackerConfig(JointConfig.simple(MajorityConfig.of(1, 2)), new TreeSet<>(), new TreeSet<>(), true))
                .hasMessageContaining("autoLeave");
    }
}
