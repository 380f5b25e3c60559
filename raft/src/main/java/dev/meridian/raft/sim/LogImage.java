package dev.meridian.raft.sim;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One copy of a node's Raft log as a disk would hold it: hard state, the last snapshot, and
 * the entries after it. {@link SimDisk} keeps two: what is synced and what the node sees.
 */
final class LogImage {

    HardState hardState = HardState.EMPTY;
    Snapshot snapshot;
    /** Entries snapshot.index()+1 .. lastIndex(), contiguous. */
    final ArrayList<Entry> entries = new ArrayList<>();

    LogImage(ConfState initial) {
        this.snapshot = new Snapshot(new SnapshotMetadata(0, 0, initial), new byte[0]);
    }

    long snapshotIndex() {
        return snapshot.index();
    }

    long firstIndex() {
        return snapshot.index() + 1;
    }

    long lastIndex() {
        return snapshot.index() + entries.size();
    }

    /** The entry at {@code index}, or null when it is compacted or beyond the end. */
    Entry entry(long index) {
        if (index <= snapshot.index() || index > lastIndex()) {
            return null;
        }
        return entries.get((int) (index - snapshot.index() - 1));
    }

    /** The term at {@code index}; -1 when unknown (compacted or beyond the end). */
    long termAt(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        Entry e = entry(index);
        return e == null ? -1 : e.term();
    }

    /** Appends, replacing any held entries from the first new index on; compacted ones are skipped. */
    void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalStateException("gap: appending " + first + " after last index " + lastIndex());
        }
        long keep = Math.max(first - 1, snapshot.index());
        truncateAfter(keep);
        for (Entry e : newEntries) {
            if (e.index() > snapshot.index()) {
                entries.add(e);
            }
        }
    }

    private void truncateAfter(long index) {
        int keep = (int) (index - snapshot.index());
        if (keep < entries.size()) {
            entries.subList(keep, entries.size()).clear();
        }
    }

    /** A snapshot from the leader replaces the whole log. */
    void installSnapshot(Snapshot snap) {
        snapshot = snap;
        entries.clear();
    }

    /** Our own snapshot at an index we hold: discard the entries it covers, keep the rest. */
    void compact(Snapshot snap) {
        int drop = (int) (snap.index() - snapshot.index());
        if (drop <= 0) {
            return;
        }
        entries.subList(0, Math.min(drop, entries.size())).clear();
        snapshot = snap;
    }

    void copyFrom(LogImage other) {
        hardState = other.hardState;
        snapshot = other.snapshot;
        entries.clear();
        entries.addAll(other.entries);
    }
}
