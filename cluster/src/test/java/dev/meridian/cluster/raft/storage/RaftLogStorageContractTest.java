package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.RaftLogStorage;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link RaftLogStorage} implementation must share, written once and run
 * against the in-memory reference and the engine-backed log on each engine. The mutators are
 * not part of the raft interface, so each subclass adapts them.
 */
abstract class RaftLogStorageContractTest {

    static final ConfState VOTERS = ConfState.of(List.of(1L, 2L, 3L), List.of());

    /** A fresh, empty log whose initial membership is {@code cs}. */
    abstract RaftLogStorage create(ConfState cs);

    abstract void append(RaftLogStorage s, List<Entry> entries);

    abstract void setHardState(RaftLogStorage s, HardState hs);

    abstract Snapshot createSnapshot(RaftLogStorage s, long index, ConfState cs, byte[] data);

    abstract void compact(RaftLogStorage s, long index);

    abstract void applySnapshot(RaftLogStorage s, Snapshot snap);

    /** The same log as read back after a restart; the memory model returns {@code s} itself. */
    abstract RaftLogStorage reopen(RaftLogStorage s);

    static Entry e(long term, long index) {
        return Entry.normal(term, index, new byte[] {(byte) index, 0});
    }

    @Test
    void anEmptyLogStartsAtOneWithTheInitialMembership() {
        RaftLogStorage s = create(VOTERS);
        assertThat(s.firstIndex()).isEqualTo(1);
        assertThat(s.lastIndex()).isZero();
        assertThat(s.term(0)).isZero();
        assertThat(s.snapshot().isEmpty()).isTrue();
        assertThat(s.initialState().hardState()).isEqualTo(HardState.EMPTY);
        assertThat(s.initialState().confState()).isEqualTo(VOTERS);
        assertThat(s.entries(1, 1, 100)).isEmpty();
    }

    @Test
    void appendReplacesTheSuffixFromTheFirstNewIndex() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(1, 2), e(1, 3)));
        append(s, List.of(e(2, 2)));
        assertThat(s.lastIndex()).isEqualTo(2);
        assertThat(s.term(2)).isEqualTo(2);
        assertThat(s.term(1)).isEqualTo(1);
        assertThat(s.entries(1, 3, Long.MAX_VALUE)).containsExactly(e(1, 1), e(2, 2));
        assertThatThrownBy(() -> append(s, List.of(e(2, 5)))).hasMessageContaining("gap");
        RaftLogStorage r = reopen(s);
        assertThat(r.lastIndex()).isEqualTo(2);
        assertThat(r.entries(1, 3, Long.MAX_VALUE)).containsExactly(e(1, 1), e(2, 2));
        assertThatThrownBy(() -> r.term(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entriesRespectTheByteLimitButReturnAtLeastOne() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(1, 2), e(1, 3)));
        assertThat(s.entries(1, 4, Long.MAX_VALUE)).hasSize(3);
        assertThat(s.entries(1, 4, 4)).hasSize(2);
        assertThat(s.entries(1, 4, 0)).containsExactly(e(1, 1));
        assertThat(s.entries(2, 3, 0)).containsExactly(e(1, 2));
        assertThatThrownBy(() -> s.entries(0, 2, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.entries(2, 5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.entries(3, 2, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionKeepsTheTermOfTheCompactedIndex() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(2, 2), e(3, 3)));
        ConfState one = ConfState.of(List.of(1L), List.of());
        Snapshot snap = createSnapshot(s, 2, one, new byte[] {7});
        compact(s, 2);
        assertThat(s.firstIndex()).isEqualTo(3);
        assertThat(s.term(2)).isEqualTo(2);
        assertThat(s.snapshot()).isEqualTo(snap);
        assertThat(s.initialState().confState()).isEqualTo(one);
        assertThatThrownBy(() -> s.term(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.entries(2, 3, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> createSnapshot(s, 2, one, null)).hasMessageContaining("not newer");
        RaftLogStorage r = reopen(s);
        assertThat(r.firstIndex()).isEqualTo(3);
        assertThat(r.lastIndex()).isEqualTo(3);
        assertThat(r.term(2)).isEqualTo(2);
        assertThat(r.snapshot()).isEqualTo(snap);
        // Appending entries before the compaction point skips them.
        append(r, List.of(e(2, 2), e(3, 3), e(3, 4)));
        assertThat(r.lastIndex()).isEqualTo(4);
        assertThat(r.term(2)).isEqualTo(2);
        assertThat(r.entries(3, 5, Long.MAX_VALUE)).containsExactly(e(3, 3), e(3, 4));
    }

    @Test
    void compactingEverythingLeavesAnEmptyLogThatStillKnowsTheLastTerm() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(2, 2)));
        createSnapshot(s, 2, VOTERS, new byte[] {1});
        compact(s, 2);
        RaftLogStorage r = reopen(s);
        assertThat(r.firstIndex()).isEqualTo(3);
        assertThat(r.lastIndex()).isEqualTo(2);
        assertThat(r.term(2)).isEqualTo(2);
        assertThat(r.entries(3, 3, 10)).isEmpty();
        append(r, List.of(e(3, 3)));
        assertThat(reopen(r).entries(3, 4, 10)).containsExactly(e(3, 3));
    }

    @Test
    void applyingASnapshotDropsTheWholeLog() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(1, 2), e(1, 3)));
        Snapshot snap = new Snapshot(new SnapshotMetadata(10, 4, VOTERS), new byte[] {9, 9});
        applySnapshot(s, snap);
        assertThat(s.firstIndex()).isEqualTo(11);
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.term(10)).isEqualTo(4);
        assertThatThrownBy(() -> applySnapshot(s, new Snapshot(new SnapshotMetadata(5, 4, VOTERS), null)))
                .hasMessageContaining("older");
        RaftLogStorage r = reopen(s);
        assertThat(r.firstIndex()).isEqualTo(11);
        assertThat(r.lastIndex()).isEqualTo(10);
        assertThat(r.term(10)).isEqualTo(4);
        assertThat(r.snapshot()).isEqualTo(snap);
        append(r, List.of(e(4, 11)));
        assertThat(r.entries(11, 12, 0)).containsExactly(e(4, 11));
    }

    @Test
    void applyingASnapshotBehindTheLogStillTruncatesIt() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1), e(1, 2), e(1, 3), e(1, 4)));
        applySnapshot(s, new Snapshot(new SnapshotMetadata(2, 1, VOTERS), null));
        RaftLogStorage r = reopen(s);
        assertThat(r.firstIndex()).isEqualTo(3);
        assertThat(r.lastIndex()).isEqualTo(2);
    }

    @Test
    void hardStateSurvivesARestart() {
        RaftLogStorage s = create(VOTERS);
        setHardState(s, new HardState(3, 2, 1));
        append(s, List.of(e(3, 1)));
        assertThat(s.initialState().hardState()).isEqualTo(new HardState(3, 2, 1));
        setHardState(s, new HardState(4, 0, 1));
        assertThat(reopen(s).initialState().hardState()).isEqualTo(new HardState(4, 0, 1));
        assertThat(reopen(s).initialState().confState()).isEqualTo(VOTERS);
    }
}
