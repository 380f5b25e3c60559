package dev.meridian.raft.sim;

import dev.meridian.raft.Entry;

import java.util.List;
import java.util.Optional;

/**
 * Leader completeness: when a node becomes leader, its log (synced or not: what it will
 * replicate) holds every entry committed so far. Entries its own snapshot covers are compared
 * through the snapshot's state machine.
 */
final class LeaderCompletenessChecker {

    private final AppliedHistoryChecker history;

    LeaderCompletenessChecker(AppliedHistoryChecker history) {
        this.history = history;
    }

    Optional<Violation> onLeader(long node, long term, LogImage log) {
        List<Entry> snapshotted = null;
        long top = history.highestCommitted();
        for (long i = 1; i <= top; i++) {
            Entry committed = history.committedAt(i);
            if (committed == null) {
                continue;
            }
            Entry held;
            if (i <= log.snapshotIndex()) {
                if (snapshotted == null) {
                    snapshotted = StateMachineCodec.decode(log.snapshot.data());
                }
                held = i <= snapshotted.size() ? snapshotted.get((int) i - 1) : null;
            } else {
                held = log.entry(i);
            }
            if (held == null || !held.equals(committed)) {
                return Optional.of(new Violation(Violation.Check.LEADER_COMPLETENESS, 0, "node " + node
                        + " became leader of term " + term + " without committed entry " + committed + " (it holds "
                        + (held == null ? "nothing" : held.toString()) + " at index " + i + ", last index " + log.lastIndex() + ")"));
            }
        }
        return Optional.empty();
    }
}
