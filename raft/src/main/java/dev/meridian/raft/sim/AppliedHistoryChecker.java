package dev.meridian.raft.sim;

import dev.meridian.raft.Entry;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * State machine safety and durability of commits, checked on every apply. Every entry any node
 * applies is committed, so the first one applied at an index is remembered for the whole run:
 * <ul>
 *   <li>a node applies indexes in order without gaps (its sequence is a prefix of the others);</li>
 *   <li>no node applies a different entry at an index where one was applied before. If a live
 *       node still holds the other entry this is {@code state-machine-safety}; if only nodes
 *       that have since crashed or been rebuilt did, the commit was lost
 *       ({@code committed-entry-lost}).</li>
 * </ul>
 */
final class AppliedHistoryChecker {

    /** Answers which live node other than {@code exceptNode} has applied {@code entry}; 0 for none. */
    interface LiveStateMachines {
        long liveHolderOf(Entry entry, long exceptNode);
    }

    private record Applied(long node, Entry entry) {
    }

    private final TreeMap<Long, Applied> appliedEver = new TreeMap<>();
    private final LiveStateMachines live;

    AppliedHistoryChecker(LiveStateMachines live) {
        this.live = live;
    }

    /** {@code node}, having applied indexes 1..appliedSoFar, applies {@code e}. */
    Optional<Violation> onApply(long node, long appliedSoFar, Entry e) {
        if (e.index() != appliedSoFar + 1) {
            return Optional.of(new Violation(Violation.Check.STATE_MACHINE_SAFETY, 0, "node " + node + " applied " + e
                    + " after index " + appliedSoFar + ": its applied sequence is not a prefix"));
        }
        return record(node, e);
    }

    /** {@code node}, having applied 1..appliedSoFar, replaces its state machine by a snapshot of 1..n. */
    Optional<Violation> onSnapshot(long node, long appliedSoFar, List<Entry> snapshot) {
        if (snapshot.size() < appliedSoFar) {
            return Optional.of(new Violation(Violation.Check.STATE_MACHINE_SAFETY, 0, "node " + node
                    + " installed a snapshot at " + snapshot.size() + " after applying up to " + appliedSoFar));
        }
        for (int i = 0; i < snapshot.size(); i++) {
            Entry e = snapshot.get(i);
            if (e.index() != i + 1) {
                return Optional.of(new Violation(Violation.Check.STATE_MACHINE_SAFETY, 0, "node " + node
                        + " installed a snapshot with a gap: " + e + " at position " + (i + 1)));
            }
            Optional<Violation> v = record(node, e);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> record(long node, Entry e) {
        Applied before = appliedEver.putIfAbsent(e.index(), new Applied(node, e));
        if (before == null || before.entry.equals(e)) {
            return Optional.empty();
        }
        long holder = live.liveHolderOf(before.entry, node);
        if (holder != 0) {
            return Optional.of(new Violation(Violation.Check.STATE_MACHINE_SAFETY, 0, "node " + node + " applied " + e
                    + " but node " + holder + " applied " + before.entry + " at that index"));
        }
        return Optional.of(new Violation(Violation.Check.COMMITTED_ENTRY_LOST, 0, "node " + node + " applied " + e
                + " but " + before.entry + " was applied there first (by node " + before.node
                + ") and has been lost with crashes and restarts"));
    }

    /** Every entry known committed, by index. */
    SortedMap<Long, Entry> committed() {
        TreeMap<Long, Entry> out = new TreeMap<>();
        appliedEver.forEach((i, a) -> out.put(i, a.entry));
        return out;
    }

    /** The committed entry at {@code index}, or null if none was applied there yet. */
    Entry committedAt(long index) {
        Applied a = appliedEver.get(index);
        return a == null ? null : a.entry;
    }

    long highestCommitted() {
        return appliedEver.isEmpty() ? 0 : appliedEver.lastKey();
    }

    int commits() {
        return appliedEver.size();
    }
}
