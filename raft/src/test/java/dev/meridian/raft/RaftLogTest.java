package dev.meridian.raft;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftLogTest {

    private static List<Entry> entries(long firstIndex, long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(Entry.normal(terms[i], firstIndex + i, new byte[] {(byte) i}));
        }
        return out;
    }

    private static RaftLog logWithStored(long... terms) {
        MemoryRaftLogStorage s = new MemoryRaftLogStorage(ConfState.EMPTY);
        s.append(entries(1, terms));
        return new RaftLog(s);
    }

    @Test
    void maybeAppendChecksThePreviousEntryAndTruncatesOnlyConflicts() {
        RaftLog log = logWithStored(1, 2, 3);
        assertThat(log.maybeAppend(3, 2, 0, entries(4, 4))).isEqualTo(-1); // term at 3 is 3, not 2
        assertThat(log.maybeAppend(5, 3, 0, entries(6, 4))).isEqualTo(-1); // no entry 5
        // Entries already held are not rewritten: nothing unstable.
        assertThat(log.maybeAppend(1, 1, 0, entries(2, 2, 3))).isEqualTo(3);
        assertThat(log.unstableEntries()).isEmpty();
        // A conflict at 3 replaces the suffix from there on.
        assertThat(log.maybeAppend(2, 2, 2, entries(3, 4, 4))).isEqualTo(4);
        assertThat(log.term(3)).isEqualTo(4);
        assertThat(log.lastIndex()).isEqualTo(4);
        assertThat(log.committed()).isEqualTo(2);
        assertThat(log.unstableEntries()).extracting(Entry::index).containsExactly(3L, 4L);
    }

    @Test
    void committedEntriesAreNeverTruncated() {
        RaftLog log = logWithStored(1, 1, 1);
        log.commitTo(3);
        assertThatThrownBy(() -> log.maybeAppend(1, 1, 3, entries(2, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
    }

    @Test
    void commitOnlyMovesForwardAndNotPastTheLog() {
        RaftLog log = logWithStored(1, 1);
        log.commitTo(2);
        log.commitTo(1);
        assertThat(log.committed()).isEqualTo(2);
        assertThatThrownBy(() -> log.commitTo(3)).isInstanceOf(IllegalStateException.class);
        assertThat(log.maybeCommit(2, 1)).isFalse(); // already committed
    }

    @Test
    void maybeCommitRequiresTheGivenTerm() {
        RaftLog log = logWithStored(1, 1, 2);
        assertThat(log.maybeCommit(2, 2)).isFalse();
        assertThat(log.committed()).isZero();
        assertThat(log.maybeCommit(3, 2)).isTrue();
        assertThat(log.committed()).isEqualTo(3);
    }

    @Test
    void findConflictByTermSkipsHigherTerms() {
        RaftLog log = logWithStored(1, 1, 3, 3, 5, 5);
        assertThat(log.findConflictByTerm(6, 4)).isEqualTo(new RaftLog.IndexTerm(4, 3));
        assertThat(log.findConflictByTerm(6, 5)).isEqualTo(new RaftLog.IndexTerm(6, 5));
        assertThat(log.findConflictByTerm(4, 2)).isEqualTo(new RaftLog.IndexTerm(2, 1));
        assertThat(log.findConflictByTerm(6, 0)).isEqualTo(new RaftLog.IndexTerm(0, 0));
    }

    @Test
    void upToDateComparesLastTermThenLength() {
        RaftLog log = logWithStored(1, 2, 2);
        assertThat(log.isUpToDate(3, 2)).isTrue();
        assertThat(log.isUpToDate(2, 2)).isFalse();
        assertThat(log.isUpToDate(1, 3)).isTrue();
        assertThat(log.isUpToDate(9, 1)).isFalse();
    }

    @Test
    void slicesSpanStorageAndUnstableWithinTheByteBudget() {
        RaftLog log = logWithStored(1, 1);
        log.append(entries(3, 1, 1));
        assertThat(log.slice(1, 5, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L);
        // Each entry has one byte: a budget of 3 stops after three, and at least one is returned.
        assertThat(log.slice(1, 5, 3)).hasSize(3);
        assertThat(log.slice(2, 5, 0)).hasSize(1);
        assertThatThrownBy(() -> log.slice(0, 2, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stableToIgnoresEntriesReplacedMeanwhile() {
        RaftLog log = logWithStored();
        log.append(entries(1, 1, 1));
        log.append(entries(2, 2)); // a new leader replaced entry 2 before it was persisted
        log.stableTo(2, 1);
        assertThat(log.unstableEntries()).extracting(Entry::index).containsExactly(1L, 2L);
        log.stableTo(2, 2);
        assertThat(log.unstableEntries()).isEmpty();
    }

    @Test
    void nextCommittedEntriesStopAtTheCommitIndex() {
        RaftLog log = logWithStored(1, 1, 1);
        assertThat(log.hasNextCommittedEntries()).isFalse();
        log.commitTo(2);
        assertThat(log.nextCommittedEntries()).extracting(Entry::index).containsExactly(1L, 2L);
        log.appliedTo(2);
        assertThat(log.hasNextCommittedEntries()).isFalse();
        assertThatThrownBy(() -> log.appliedTo(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSnapshotReplacesTheLog() {
        RaftLog log = logWithStored(1, 1);
        Snapshot snap = new Snapshot(new SnapshotMetadata(10, 3, ConfState.EMPTY), null);
        log.restore(snap);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.lastIndex()).isEqualTo(10);
        assertThat(log.term(10)).isEqualTo(3);
        assertThat(log.term(5)).isEqualTo(-1);
        assertThat(log.committed()).isEqualTo(10);
        assertThat(log.snapshot()).isSameAs(snap);
    }
}
