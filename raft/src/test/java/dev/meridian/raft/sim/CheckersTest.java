package dev.meridian.raft.sim;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Each checker fed a crafted violating state reports it, and passes the matching good state. */
class CheckersTest {

    private static final ConfState THREE = ConfState.of(List.of(1L, 2L, 3L), List.of());

    private static Entry e(long term, long index, String data) {
        return Entry.normal(term, index, data.getBytes(StandardCharsets.UTF_8));
    }

    private static LogImage log(Entry... entries) {
        LogImage img = new LogImage(THREE);
        img.append(List.of(entries));
        return img;
    }

    @Test
    void electionSafetyReportsTwoLeadersInOneTerm() {
        ElectionSafetyChecker c = new ElectionSafetyChecker();
        assertThat(c.onLeader(3, 1)).isEmpty();
        assertThat(c.onLeader(3, 1)).as("the same leader reported twice").isEmpty();
        assertThat(c.onLeader(4, 2)).isEmpty();
        Optional<Violation> v = c.onLeader(3, 2);
        assertThat(v).get().extracting(Violation::check).isEqualTo(Violation.Check.ELECTION_SAFETY);
        assertThat(v.get().detail()).contains("nodes 1 and 2", "term 3");
    }

    @Test
    void logMatchingReportsEqualIndexAndTermAfterDifferentPrefixes() {
        LogMatchingChecker c = new LogMatchingChecker();
        assertThat(c.onWrite(1, 1, e(2, 5, "a"))).isEmpty();
        assertThat(c.onWrite(2, 1, e(2, 5, "a"))).as("same entry after the same previous term").isEmpty();
        Optional<Violation> v = c.onWrite(3, 2, e(2, 5, "a"));
        assertThat(v).get().extracting(Violation::check).isEqualTo(Violation.Check.LOG_MATCHING);
        assertThat(c.onWrite(3, 1, e(2, 5, "b"))).as("different data at the same index and term").isPresent();
    }

    @Test
    void logMatchingComparesWholeLogs() {
        LogImage a = log(e(1, 1, "x"), e(1, 2, "y"), e(2, 3, "z"));
        LogImage same = log(e(1, 1, "x"), e(1, 2, "y"), e(3, 3, "other"));
        LogImage bad = log(e(1, 1, "x"), e(1, 2, "DIFFERENT"), e(2, 3, "z"));
        assertThat(LogMatchingChecker.compareLogs(1, a, 2, same)).as("diverging only after the match").isEmpty();
        Optional<Violation> v = LogMatchingChecker.compareLogs(1, a, 3, bad);
        assertThat(v).get().extracting(Violation::check).isEqualTo(Violation.Check.LOG_MATCHING);
        assertThat(v.get().detail()).contains("differ at 2");
    }

    @Test
    void appliedHistoryReportsGapsAndTwoEntriesAtOneIndex() {
        List<Entry> liveHolder = new ArrayList<>();
        AppliedHistoryChecker c = new AppliedHistoryChecker((entry, except) -> liveHolder.contains(entry) ? 9 : 0);
        assertThat(c.onApply(1, 0, e(1, 1, "a"))).isEmpty();
        assertThat(c.onApply(2, 0, e(1, 1, "a"))).isEmpty();
        assertThat(c.onApply(1, 1, e(1, 3, "gap")).get().check()).isEqualTo(Violation.Check.STATE_MACHINE_SAFETY);

        liveHolder.add(e(1, 1, "a"));
        Optional<Violation> live = c.onApply(3, 0, e(2, 1, "b"));
        assertThat(live.get().check()).isEqualTo(Violation.Check.STATE_MACHINE_SAFETY);
        assertThat(live.get().detail()).contains("node 9 applied");

        liveHolder.clear();
        Optional<Violation> lost = c.onApply(3, 0, e(2, 1, "b"));
        assertThat(lost.get().check()).isEqualTo(Violation.Check.COMMITTED_ENTRY_LOST);
    }

    @Test
    void appliedHistoryChecksSnapshotsEntryByEntry() {
        AppliedHistoryChecker c = new AppliedHistoryChecker((entry, except) -> 0);
        assertThat(c.onApply(1, 0, e(1, 1, "a"))).isEmpty();
        assertThat(c.onSnapshot(2, 0, List.of(e(1, 1, "a"), e(1, 2, "b")))).isEmpty();
        assertThat(c.onSnapshot(3, 0, List.of(e(1, 1, "a"), e(2, 2, "c"))).get().check())
                .isEqualTo(Violation.Check.COMMITTED_ENTRY_LOST);
        assertThat(c.onSnapshot(2, 2, List.of(e(1, 1, "a"))).get().check())
                .as("a snapshot behind the applied index").isEqualTo(Violation.Check.STATE_MACHINE_SAFETY);
    }

    @Test
    void leaderCompletenessReportsAMissingCommittedEntry() {
        AppliedHistoryChecker history = new AppliedHistoryChecker((entry, except) -> 0);
        history.onApply(1, 0, e(1, 1, "a"));
        history.onApply(1, 1, e(2, 2, "b"));
        LeaderCompletenessChecker c = new LeaderCompletenessChecker(history);

        assertThat(c.onLeader(2, 3, log(e(1, 1, "a"), e(2, 2, "b"), e(3, 3, "")))).isEmpty();
        Optional<Violation> v = c.onLeader(3, 4, log(e(1, 1, "a"), e(3, 2, "figure 8")));
        assertThat(v.get().check()).isEqualTo(Violation.Check.LEADER_COMPLETENESS);
        assertThat(v.get().detail()).contains("node 3", "term 4", "2/2");
        assertThat(c.onLeader(3, 4, log(e(1, 1, "a"))).get().detail()).contains("holds nothing");
    }

    @Test
    void leaderCompletenessLooksIntoTheSnapshotForCompactedEntries() {
        AppliedHistoryChecker history = new AppliedHistoryChecker((entry, except) -> 0);
        history.onApply(1, 0, e(1, 1, "a"));
        history.onApply(1, 1, e(1, 2, "b"));
        LeaderCompletenessChecker c = new LeaderCompletenessChecker(history);
        LogImage good = new LogImage(THREE);
        good.installSnapshot(snapshot(2, List.of(e(1, 1, "a"), e(1, 2, "b"))));
        assertThat(c.onLeader(1, 2, good)).isEmpty();
        LogImage bad = new LogImage(THREE);
        bad.installSnapshot(snapshot(2, List.of(e(1, 1, "a"), e(1, 2, "not b"))));
        assertThat(c.onLeader(1, 2, bad).get().check()).isEqualTo(Violation.Check.LEADER_COMPLETENESS);
    }

    private static Snapshot snapshot(long index, List<Entry> applied) {
        return new Snapshot(new SnapshotMetadata(index, applied.get(applied.size() - 1).term(), THREE),
                StateMachineCodec.encode(applied, applied.size()));
    }
}
