package dev.meridian.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log not yet persisted: entries handed out in a {@link Ready} and, possibly, a
 * snapshot received from the leader. Entry {@code i} sits at {@code entries.get(i - offset)}.
 * Terms are -1 when unknown here (the answer must then come from storage).
 */
final class UnstableLog {

    private Snapshot snapshot;
    private List<Entry> entries = new ArrayList<>();
    private long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<Entry> entries() {
        return entries;
    }

    long offset() {
        return offset;
    }

    /** The first index if a pending snapshot defines it, else -1. */
    long maybeFirstIndex() {
        return snapshot == null ? -1 : snapshot.index() + 1;
    }

    /** The last index if pending entries or a pending snapshot define it, else -1. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot == null ? -1 : snapshot.index();
    }

    long maybeTerm(long index) {
        if (index < offset) {
            return snapshot != null && snapshot.index() == index ? snapshot.term() : -1;
        }
        long last = maybeLastIndex();
        if (last == -1 || index > last) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    /**
     * Entries up to {@code index} were persisted. Only if the entry there still has {@code term}:
     * a newer leader may have replaced it meanwhile, and the replacement is not yet persisted.
     */
    void stableTo(long index, long term) {
        long t = maybeTerm(index);
        if (t == term && index >= offset) {
            entries = new ArrayList<>(entries.subList((int) (index + 1 - offset), entries.size()));
            offset = index + 1;
        }
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.index() + 1;
        entries = new ArrayList<>();
        snapshot = snap;
    }

    /** Appends, first dropping any held entry at or after the first new index. */
    void truncateAndAppend(List<Entry> newEntries) {
        long first = newEntries.get(0).index();
        if (first == offset + entries.size()) {
            entries.addAll(newEntries);
        } else if (first <= offset) {
            // Replaces everything unstable; storage keeps what is before, up to first - 1.
            offset = first;
            entries = new ArrayList<>(newEntries);
        } else {
            List<Entry> kept = new ArrayList<>(entries.subList(0, (int) (first - offset)));
            kept.addAll(newEntries);
            entries = kept;
        }
    }

    /** Entries {@code [lo, hi)}; the caller ensures they are within the unstable range. */
    List<Entry> slice(long lo, long hi) {
        if (lo < offset || hi > offset + entries.size() || lo > hi) {
            throw new IllegalArgumentException("unstable slice [" + lo + "," + hi + ") outside [" + offset + "," + (offset + entries.size()) + ")");
        }
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
