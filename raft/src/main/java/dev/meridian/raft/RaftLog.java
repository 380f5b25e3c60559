package dev.meridian.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * One node's view of the log: what storage holds, followed by the unstable tail, with the
 * commit and applied cursors. Invariant: {@code applied <= committed <= lastIndex()}, and
 * committed entries are never truncated (state machine safety rests on it; an attempt is a bug
 * and throws).
 */
final class RaftLog {

    /** An index with its term; term 0 means unknown (compacted). */
    record IndexTerm(long index, long term) {
    }

    private final RaftLogStorage storage;
    private final UnstableLog unstable;
    private long committed;
    private long applied;

    RaftLog(RaftLogStorage storage) {
        this.storage = storage;
        long first = storage.firstIndex();
        this.unstable = new UnstableLog(storage.lastIndex() + 1);
        this.committed = first - 1;
        this.applied = first - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    UnstableLog unstable() {
        return unstable;
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i >= 0 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i >= 0 ? i : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** The term of entry {@code index}, or -1 if it is compacted away or beyond the log. */
    long term(long index) {
        long dummy = firstIndex() - 1;
        if (index < dummy || index > lastIndex()) {
            return -1;
        }
        long t = unstable.maybeTerm(index);
        return t >= 0 ? t : storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        long t = term(index);
        return t >= 0 && t == term;
    }

    /** Raft's up-to-date rule for votes: a later last term wins, then a longer log (5.4.1). */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /**
     * A leader's append after ({@code index}, {@code logTerm}). Returns the index of the last
     * new entry, or -1 when the log does not contain the previous entry (log matching: the
     * follower accepts only where its log agrees with the leader's).
     */
    long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNew = index + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed entry (committed " + committed + ")");
            }
            append(entries.subList((int) (conflict - (index + 1)), entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return lastIndex();
        }
        long after = entries.get(0).index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " would overwrite committed " + committed);
        }
        unstable.truncateAndAppend(entries);
        return lastIndex();
    }

    /** The index of the first entry whose term differs from ours (or that we lack), 0 if none. */
    long findConflict(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The largest index at or below {@code index} whose term is at most {@code term}: no entry
     * after it can match a log whose entry at {@code index} has {@code term}, so probing can
     * skip there in one step (fast back-off). Term 0 in the answer: compacted, unknown.
     */
    IndexTerm findConflictByTerm(long index, long term) {
        for (long i = index; i > 0; i--) {
            long t = term(i);
            if (t < 0) {
                return new IndexTerm(i, 0);
            }
            if (t <= term) {
                return new IndexTerm(i, t);
            }
        }
        return new IndexTerm(0, 0);
    }

    List<Entry> unstableEntries() {
        return List.copyOf(unstable.entries());
    }

    /** Committed entries not yet handed to the application. */
    List<Entry> nextCommittedEntries() {
        long lo = Math.max(applied + 1, firstIndex());
        if (committed + 1 <= lo) {
            return List.of();
        }
        return slice(lo, committed + 1, Long.MAX_VALUE);
    }

    boolean hasNextCommittedEntries() {
        return committed + 1 > Math.max(applied + 1, firstIndex());
    }

    /** Entries from {@code lo} to the end, at most {@code maxBytes} (at least one). */
    List<Entry> entries(long lo, long maxBytes) {
        return slice(lo, lastIndex() + 1, maxBytes);
    }

    /** Entries {@code [lo, hi)}; requires {@code lo >= firstIndex()}. */
    List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo > hi) {
            throw new IllegalArgumentException("slice [" + lo + "," + hi + ") outside [" + firstIndex() + "," + (lastIndex() + 1) + ")");
        }
        List<Entry> out = new ArrayList<>();
        long uo = unstable.offset();
        if (lo < uo) {
            long storedHi = Math.min(hi, uo);
            List<Entry> stored = storage.entries(lo, storedHi, maxBytes);
            out.addAll(stored);
            if (stored.size() < storedHi - lo) {
                return out; // hit the byte limit inside storage
            }
        }
        if (hi > uo) {
            out.addAll(unstable.slice(Math.max(lo, uo), hi));
        }
        return limitSize(out, maxBytes);
    }

    private static List<Entry> limitSize(List<Entry> entries, long maxBytes) {
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            bytes += entries.get(i).size();
            if (i > 0 && bytes > maxBytes) {
                return new ArrayList<>(entries.subList(0, i));
            }
        }
        return entries;
    }

    Snapshot snapshot() {
        Snapshot s = unstable.snapshot();
        return s != null ? s : storage.snapshot();
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex() + " (log lost or corrupt?)");
            }
            committed = index;
        }
    }

    /** Commits {@code index} only if its entry has {@code term}: the leader's own-term rule. */
    boolean maybeCommit(long index, long term) {
        if (index > committed && matchTerm(index, term)) {
            commitTo(index);
            return true;
        }
        return false;
    }

    void appliedTo(long index) {
        if (index == 0) {
            return;
        }
        if (index > committed || index < applied) {
            throw new IllegalStateException("applied " + index + " outside [" + applied + "," + committed + "]");
        }
        applied = index;
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    /** Replaces the log with a snapshot from the leader; everything up to it is committed. */
    void restore(Snapshot snap) {
        committed = snap.index();
        unstable.restore(snap);
    }

    @Override
    public String toString() {
        return "committed=" + committed + " applied=" + applied + " first=" + firstIndex() + " last=" + lastIndex();
    }
}
