package dev.meridian.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory reference implementation of {@link RaftLogStorage}, also the model the
 * durable implementation must behave like. Not thread-safe: one caller drives it.
 *
 * <p>Entries are kept after a "dummy" entry that stands for the last compacted index and its
 * term, so that {@code term(firstIndex() - 1)} always answers.
 */
public final class MemoryRaftLogStorage implements RaftLogStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot;
    /** entries.get(0) is the dummy at the compaction point; real entries follow contiguously. */
    private final List<Entry> entries = new ArrayList<>();

    /** An empty log for a group whose initial membership is {@code confState}. */
    public MemoryRaftLogStorage(ConfState confState) {
        this.snapshot = new Snapshot(new SnapshotMetadata(0, 0, confState), new byte[0]);
        entries.add(Entry.normal(0, 0, null));
    }

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    public HardState hardState() {
        return hardState;
    }

    public void setHardState(HardState hs) {
        this.hardState = hs;
    }

    private long offset() {
        return entries.get(0).index();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo > hi) {
            throw new IllegalArgumentException("entries [" + lo + "," + hi + ") outside [" + firstIndex() + "," + (lastIndex() + 1) + ")");
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entries.get((int) (i - offset()));
            bytes += e.size();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long index) {
        if (index < offset() || index > lastIndex()) {
            throw new IllegalArgumentException("term(" + index + ") outside [" + offset() + "," + lastIndex() + "]");
        }
        return entries.get((int) (index - offset())).term();
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Persists entries, replacing any held entries from the first new index on (a new leader
     * may overwrite an uncommitted suffix). Entries already compacted away are skipped.
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalArgumentException("gap: appending " + first + " after last index " + lastIndex());
        }
        for (Entry e : newEntries) {
            if (e.index() <= offset()) {
                continue;
            }
            int pos = (int) (e.index() - offset());
            while (entries.size() > pos) {
                entries.remove(entries.size() - 1);
            }
            entries.add(e);
        }
    }

    /** Replaces the whole log with a snapshot (a follower installing one sent by the leader). */
    public void applySnapshot(Snapshot snap) {
        if (snap.index() < snapshot.index()) {
            throw new IllegalArgumentException("snapshot " + snap.index() + " is older than " + snapshot.index());
        }
        this.snapshot = snap;
        entries.clear();
        entries.add(Entry.normal(snap.term(), snap.index(), null));
    }

    /**
     * Takes a snapshot of the application state at {@code index} (at most the applied index,
     * which the caller knows) without discarding entries; {@link #compact} discards them.
     */
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        if (index <= snapshot.index()) {
            throw new IllegalArgumentException("snapshot at " + index + " is not newer than " + snapshot.index());
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " beyond last index " + lastIndex());
        }
        snapshot = new Snapshot(new SnapshotMetadata(index, term(index), confState), data);
        return snapshot;
    }

    /** Discards entries before {@code index}; entry {@code index} becomes the dummy. */
    public void compact(long index) {
        if (index <= offset()) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("compact(" + index + ") beyond last index " + lastIndex());
        }
        int drop = (int) (index - offset());
        Entry dummy = entries.get(drop);
        List<Entry> rest = new ArrayList<>(entries.subList(drop + 1, entries.size()));
        entries.clear();
        entries.add(Entry.normal(dummy.term(), dummy.index(), null));
        entries.addAll(rest);
    }
}
