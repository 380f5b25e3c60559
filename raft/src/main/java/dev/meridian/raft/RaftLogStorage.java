package dev.meridian.raft;

import java.util.List;

/**
 * The durable part of one group's log, implemented by the caller (in memory for tests, on
 * RocksDB in production). Raft only reads through this interface; the caller writes what each
 * {@link Ready} asks it to persist, before acting on the rest of that Ready.
 *
 * <p>The log held is a snapshot (possibly empty, index 0) followed by entries
 * {@code firstIndex()..lastIndex()}. Right after a snapshot or compaction at index {@code i},
 * {@code firstIndex() == i + 1} and {@code lastIndex() >= i}: the log may be empty, and
 * {@code term(i)} must still answer with the snapshot's term.
 *
 * <p>Indexes out of the documented ranges are bugs in the caller and throw
 * {@link IllegalArgumentException}.
 */
public interface RaftLogStorage {

    /** The persisted hard state and the membership of the last snapshot. */
    InitialState initialState();

    /**
     * Entries {@code [lo, hi)}, stopping early once their payload exceeds {@code maxBytes}, but
     * always at least one entry when {@code lo < hi}. Requires
     * {@code firstIndex() <= lo <= hi <= lastIndex() + 1}.
     */
    List<Entry> entries(long lo, long hi, long maxBytes);

    /** The term of entry {@code index}; requires {@code firstIndex() - 1 <= index <= lastIndex()}. */
    long term(long index);

    /** The index of the first entry still held: the last snapshot's (or compaction's) index + 1. */
    long firstIndex();

    /** The index of the last entry, or {@code firstIndex() - 1} when no entry follows the snapshot. */
    long lastIndex();

    /** The most recent snapshot; {@link Snapshot#isEmpty()} if there was none. */
    Snapshot snapshot();
}
