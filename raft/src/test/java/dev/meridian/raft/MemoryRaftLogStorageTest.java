package dev.meridian.raft;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryRaftLogStorageTest {

    private static Entry e(long term, long index) {
        return Entry.normal(term, index, new byte[] {(byte) index, 0});
    }

    @Test
    void appendReplacesTheSuffixFromTheFirstNewIndex() {
        MemoryRaftLogStorage s = new MemoryRaftLogStorage(ConfState.EMPTY);
        assertThat(s.firstIndex()).isEqualTo(1);
        assertThat(s.lastIndex()).isZero();
        s.append(List.of(e(1, 1), e(1, 2), e(1, 3)));
        s.append(List.of(e(2, 2)));
        assertThat(s.lastIndex()).isEqualTo(2);
        assertThat(s.term(2)).isEqualTo(2);
        assertThat(s.term(0)).isZero();
        assertThatThrownBy(() -> s.append(List.of(e(2, 5)))).hasMessageContaining("gap");
    }

    @Test
    void entriesRespectTheByteLimitButReturnAtLeastOne() {
        MemoryRaftLogStorage s = new MemoryRaftLogStorage(ConfState.EMPTY);
        s.append(List.of(e(1, 1), e(1, 2), e(1, 3)));
        assertThat(s.entries(1, 4, Long.MAX_VALUE)).hasSize(3);
        assertThat(s.entries(1, 4, 4)).hasSize(2);
        assertThat(s.entries(1, 4, 0)).hasSize(1);
        assertThatThrownBy(() -> s.entries(0, 2, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.entries(2, 5, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionKeepsTheTermOfTheCompactedIndex() {
        MemoryRaftLogStorage s = new MemoryRaftLogStorage(ConfState.EMPTY);
        s.append(List.of(e(1, 1), e(2, 2), e(3, 3)));
        Snapshot snap = s.createSnapshot(2, ConfState.of(List.of(1L), List.of()), new byte[] {7});
        s.compact(2);
        assertThat(s.firstIndex()).isEqualTo(3);
        assertThat(s.term(2)).isEqualTo(2);
        assertThat(s.snapshot()).isEqualTo(snap);
        assertThat(s.initialState().confState().voters()).containsExactly(1L);
        assertThatThrownBy(() -> s.term(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.createSnapshot(2, ConfState.EMPTY, null)).hasMessageContaining("not newer");
        // Appending entries before the compaction point skips them.
        s.append(List.of(e(2, 2), e(3, 3), e(3, 4)));
        assertThat(s.lastIndex()).isEqualTo(4);
        assertThat(s.term(2)).isEqualTo(2);
    }

    @Test
    void applyingASnapshotDropsTheWholeLog() {
        MemoryRaftLogStorage s = new MemoryRaftLogStorage(ConfState.EMPTY);
        s.append(List.of(e(1, 1), e(1, 2)));
        s.applySnapshot(new Snapshot(new SnapshotMetadata(10, 4, ConfState.EMPTY), null));
        assertThat(s.firstIndex()).isEqualTo(11);
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.term(10)).isEqualTo(4);
        assertThatThrownBy(() -> s.applySnapshot(new Snapshot(new SnapshotMetadata(5, 4, ConfState.EMPTY), null)))
                .hasMessageContaining("older");
    }
}
