package dev.meridian.raft.sim;

import dev.meridian.raft.Entry;

import java.util.Optional;
import java.util.TreeMap;

/**
 * Log matching: two logs holding an entry of equal index and term are identical up to it.
 *
 * <p>Checked incrementally: for every (index, term) ever written by any node, the first
 * writer's entry and the term of the entry before it are remembered; a later write of the same
 * (index, term) must carry the same entry after the same previous term. By induction over the
 * index this is the pairwise property over all logs ever written, synced or not, at the cost
 * of one lookup per written entry. {@link #compareLogs} checks two whole logs directly (at the
 * end of a run, and in the known-bad tests).
 */
final class LogMatchingChecker {

    private record Seen(long node, long prevTerm, Entry entry) {
    }

    /** index -> term -> first sighting. */
    private final TreeMap<Long, TreeMap<Long, Seen>> seen = new TreeMap<>();

    /** {@code node} wrote {@code e}, whose predecessor in its log has term {@code prevTerm}. */
    Optional<Violation> onWrite(long node, long prevTerm, Entry e) {
        TreeMap<Long, Seen> byTerm = seen.computeIfAbsent(e.index(), i -> new TreeMap<>());
        Seen first = byTerm.putIfAbsent(e.term(), new Seen(node, prevTerm, e));
        if (first == null || (first.prevTerm == prevTerm && first.entry.equals(e))) {
            return Optional.empty();
        }
        return Optional.of(new Violation(Violation.Check.LOG_MATCHING, 0, "node " + node + " wrote " + e
                + " after an entry of term " + prevTerm + ", but node " + first.node + " wrote " + first.entry
                + " after an entry of term " + first.prevTerm));
    }

    /** {@code node} holds a snapshot covering {@code e}: it must be the entry others wrote there. */
    Optional<Violation> onSnapshotEntry(long node, Entry e) {
        TreeMap<Long, Seen> byTerm = seen.get(e.index());
        Seen first = byTerm == null ? null : byTerm.get(e.term());
        if (first == null || first.entry.equals(e)) {
            return Optional.empty();
        }
        return Optional.of(new Violation(Violation.Check.LOG_MATCHING, 0, "node " + node + " holds " + e
                + " in a snapshot, but node " + first.node + " wrote " + first.entry));
    }

    /** Compares two whole logs: equal (index, term) in both means equal entries up to there. */
    static Optional<Violation> compareLogs(long nodeA, LogImage a, long nodeB, LogImage b) {
        long lo = Math.max(a.firstIndex(), b.firstIndex());
        long hi = Math.min(a.lastIndex(), b.lastIndex());
        boolean matchedAbove = false;
        for (long i = hi; i >= lo; i--) {
            Entry ea = a.entry(i);
            Entry eb = b.entry(i);
            if (ea.term() == eb.term()) {
                matchedAbove = true;
            }
            if (matchedAbove && !ea.equals(eb)) {
                return Optional.of(new Violation(Violation.Check.LOG_MATCHING, 0, "nodes " + nodeA + " and " + nodeB
                        + " share an entry of equal index and term above " + i + " but differ at " + i + ": " + ea + " vs " + eb));
            }
        }
        return Optional.empty();
    }
}
