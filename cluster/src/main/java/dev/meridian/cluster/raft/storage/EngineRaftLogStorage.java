package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.InitialState;
import dev.meridian.raft.RaftLogStorage;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import dev.meridian.storage.CorruptionException;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.WriteBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One group's Raft log on an {@link Engine}'s {@link KeySpace#RAFT_LOG} key space; behaves like
 * {@link dev.meridian.raft.MemoryRaftLogStorage} (both pass {@code RaftLogStorageContractTest}).
 *
 * <p>Mutations are written into a caller-provided {@link WriteBatch}, so that the MultiRaft
 * driver can cover the appends of many groups with one synced engine write. The positions
 * (first/last index and term, hard state, snapshot) are cached and updated when a mutation is
 * staged, not when the batch is written. That is sound only under the driver's discipline:
 * <ul>
 *   <li>Raft reads entries it handed out in a Ready from its own unstable log until
 *       {@code advance}, and the driver writes the batch before it advances; so no read asks
 *       the engine for an entry that is staged but not yet written.</li>
 *   <li>If the engine write fails, the cache is ahead of the disk: the driver must stop using
 *       this object (it treats a failed log write as fatal for the store).</li>
 * </ul>
 * Not thread-safe: one thread at a time (the driver hands a group between workers through a
 * queue, which orders the accesses).
 */
public final class EngineRaftLogStorage implements RaftLogStorage {

    private final Engine engine;
    private final long groupId;
    private HardState hardState;
    private Snapshot snapshot;
    /** Index and term of the last entry no longer held (snapshot or compaction point). */
    private long truncatedIndex;
    private long truncatedTerm;
    private long lastIndex;
    private long lastTerm;

    private EngineRaftLogStorage(Engine engine, long groupId, HardState hs, Snapshot snap,
                                 long truncatedIndex, long truncatedTerm) {
        this.engine = engine;
        this.groupId = groupId;
        this.hardState = hs;
        this.snapshot = snap;
        this.truncatedIndex = truncatedIndex;
        this.truncatedTerm = truncatedTerm;
        this.lastIndex = truncatedIndex;
        this.lastTerm = truncatedTerm;
    }

    /**
     * Stages the records of a new, empty group whose initial membership is {@code confState}
     * (an empty membership for a replica that a leader's snapshot will initialize).
     *
     * @throws IllegalStateException if the engine already holds a log for {@code groupId}
     */
    public static EngineRaftLogStorage create(Engine engine, long groupId, ConfState confState, WriteBatch batch) {
        return create(engine, groupId, new Snapshot(new SnapshotMetadata(0, 0, confState), new byte[0]), batch);
    }

    /**
     * Stages the records of a new group whose log starts after {@code initial}: the snapshot is
     * stored as the group's snapshot and truncation point, so the first entry will be at
     * {@code initial.index() + 1} and a replica that lacks the prefix gets this snapshot. For a
     * non-zero index the hard state is staged too, at the snapshot's term with the snapshot
     * committed: a leader elected later must campaign in a term above every term in the log.
     *
     * @throws IllegalArgumentException if the index and term are not both zero or both positive
     * @throws IllegalStateException    if the engine already holds a log for {@code groupId}
     */
    public static EngineRaftLogStorage create(Engine engine, long groupId, Snapshot initial, WriteBatch batch) {
        return create(engine, groupId, initial, 0, batch);
    }

    /**
     * As {@link #create(Engine, long, Snapshot, WriteBatch)}, with the hard state's term at
     * least {@code minTerm}: a replica that replaces an uninitialized one of the same group
     * must not forget a term it already saw.
     */
    public static EngineRaftLogStorage create(Engine engine, long groupId, Snapshot initial, long minTerm, WriteBatch batch) {
        long index = initial.index();
        long term = initial.term();
        if (index < 0 || term < 0 || (index == 0) != (term == 0)) {
            throw new IllegalArgumentException("initial snapshot at index " + index + " term " + term
                    + ": both must be zero or both positive");
        }
        if (exists(engine, groupId)) {
            throw new IllegalStateException("raft group " + groupId + " already has a log on this engine");
        }
        HardState hs = index == 0 ? HardState.EMPTY : new HardState(Math.max(term, minTerm), 0, index);
        batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.SNAPSHOT), RaftLogCodec.encodeSnapshot(initial));
        batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.TRUNCATED_STATE), RaftLogCodec.encodeTruncated(index, term));
        if (!hs.isEmpty()) {
            batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.HARD_STATE), RaftLogCodec.encodeHardState(hs));
        }
        return new EngineRaftLogStorage(engine, groupId, hs, initial, index, term);
    }

    /** Whether the engine holds a log for {@code groupId}. */
    public static boolean exists(Engine engine, long groupId) {
        return engine.get(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.SNAPSHOT)) != null;
    }

    /**
     * Loads a group's log written earlier (after a restart).
     *
     * @throws IllegalStateException if there is none
     * @throws CorruptionException   if a record does not decode
     */
    public static EngineRaftLogStorage open(Engine engine, long groupId) {
        byte[] snap = engine.get(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.SNAPSHOT));
        byte[] trunc = engine.get(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.TRUNCATED_STATE));
        if (snap == null || trunc == null) {
            throw new IllegalStateException("no raft log for group " + groupId + " on this engine");
        }
        byte[] hs = engine.get(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.HARD_STATE));
        long[] t = RaftLogCodec.decodeTruncated(trunc);
        EngineRaftLogStorage s = new EngineRaftLogStorage(engine, groupId,
                hs == null ? HardState.EMPTY : RaftLogCodec.decodeHardState(hs), RaftLogCodec.decodeSnapshot(snap), t[0], t[1]);
        s.loadLastEntry();
        return s;
    }

    private void loadLastEntry() {
        try (EngineIterator it = engine.iterator(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, truncatedIndex + 1),
                RaftLogKeys.entriesEnd(groupId))) {
            it.seekToLast();
            if (it.valid()) {
                lastIndex = RaftLogKeys.indexOf(it.key());
                lastTerm = RaftLogCodec.decodeTerm(lastIndex, it.value());
            }
        }
    }

    public long groupId() {
        return groupId;
    }

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    public HardState hardState() {
        return hardState;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex() || hi > lastIndex + 1 || lo > hi) {
            throw new IllegalArgumentException("entries [" + lo + "," + hi + ") outside [" + firstIndex() + "," + (lastIndex + 1) + ")");
        }
        List<Entry> out = new ArrayList<>();
        if (lo == hi) {
            return out;
        }
        long bytes = 0;
        try (EngineIterator it = engine.iterator(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, lo), RaftLogKeys.entry(groupId, hi))) {
            long expected = lo;
            for (it.seekToFirst(); it.valid(); it.next()) {
                Entry e = RaftLogCodec.decodeEntry(RaftLogKeys.indexOf(it.key()), it.value());
                if (e.index() != expected) {
                    throw new CorruptionException("raft log of group " + groupId + " has a hole at " + expected, it.key());
                }
                bytes += e.size();
                if (!out.isEmpty() && bytes > maxBytes) {
                    break;
                }
                out.add(e);
                expected++;
            }
        }
        if (out.isEmpty()) {
            throw new CorruptionException("raft log of group " + groupId + " lacks entry " + lo, RaftLogKeys.entry(groupId, lo));
        }
        return out;
    }

    @Override
    public long term(long index) {
        if (index < truncatedIndex || index > lastIndex) {
            throw new IllegalArgumentException("term(" + index + ") outside [" + truncatedIndex + "," + lastIndex + "]");
        }
        if (index == truncatedIndex) {
            return truncatedTerm;
        }
        if (index == lastIndex) {
            return lastTerm;
        }
        byte[] key = RaftLogKeys.entry(groupId, index);
        byte[] value = engine.get(KeySpace.RAFT_LOG, key);
        if (value == null) {
            throw new CorruptionException("raft log of group " + groupId + " lacks entry " + index, key);
        }
        return RaftLogCodec.decodeTerm(index, value);
    }

    @Override
    public long firstIndex() {
        return truncatedIndex + 1;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Stages the hard state. */
    public void setHardState(HardState hs, WriteBatch batch) {
        batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.HARD_STATE), RaftLogCodec.encodeHardState(hs));
        this.hardState = hs;
    }

    /**
     * Stages entries, deleting every held entry from the first new index on (a new leader may
     * overwrite an uncommitted suffix). Entries at or before the truncation point are skipped.
     */
    public void append(List<Entry> newEntries, WriteBatch batch) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).index();
        if (first > lastIndex + 1) {
            throw new IllegalArgumentException("gap: appending " + first + " after last index " + lastIndex);
        }
        Entry last = newEntries.get(newEntries.size() - 1);
        if (last.index() <= truncatedIndex) {
            return;
        }
        long from = Math.max(first, truncatedIndex + 1);
        if (from <= lastIndex) {
            batch.deleteRange(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, from), RaftLogKeys.entriesEnd(groupId));
        }
        for (Entry e : newEntries) {
            if (e.index() >= from) {
                batch.put(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, e.index()), RaftLogCodec.encodeEntry(e));
            }
        }
        lastIndex = last.index();
        lastTerm = last.term();
    }

    /** Stages replacing the whole log with {@code snap} (a follower installing the leader's snapshot). */
    public void applySnapshot(Snapshot snap, WriteBatch batch) {
        if (snap.index() < snapshot.index()) {
            throw new IllegalArgumentException("snapshot " + snap.index() + " is older than " + snapshot.index());
        }
        batch.deleteRange(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, 0), RaftLogKeys.entriesEnd(groupId));
        putSnapshot(snap, batch);
        putTruncated(snap.index(), snap.term(), batch);
        lastIndex = snap.index();
        lastTerm = snap.term();
    }

    /**
     * Stages a snapshot of the application state at {@code index} (at most the applied index,
     * which the caller knows) without discarding entries; {@link #compact} discards them.
     */
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data, WriteBatch batch) {
        if (index <= snapshot.index()) {
            throw new IllegalArgumentException("snapshot at " + index + " is not newer than " + snapshot.index());
        }
        if (index > lastIndex) {
            throw new IllegalArgumentException("snapshot at " + index + " beyond last index " + lastIndex);
        }
        Snapshot snap = new Snapshot(new SnapshotMetadata(index, term(index), confState), data);
        putSnapshot(snap, batch);
        return snap;
    }

    /**
     * Stages discarding the entries up to and including {@code index}; its term is kept as the
     * truncated state. HAZARD: requires a snapshot at or after {@code index} (the leader sends
     * it to followers that need the discarded entries).
     */
    public void compact(long index, WriteBatch batch) {
        if (index <= truncatedIndex) {
            return;
        }
        if (index > lastIndex) {
            throw new IllegalArgumentException("compact(" + index + ") beyond last index " + lastIndex);
        }
        if (snapshot.index() < index) {
            throw new IllegalArgumentException("compact(" + index + ") past the snapshot at " + snapshot.index());
        }
        long term = term(index);
        batch.deleteRange(KeySpace.RAFT_LOG, RaftLogKeys.entry(groupId, 0), RaftLogKeys.entry(groupId, index + 1));
        putTruncated(index, term, batch);
    }

    /** Stages removing every record of this group (the replica is gone from this store). */
    public void destroy(WriteBatch batch) {
        batch.deleteRange(KeySpace.RAFT_LOG, RaftLogKeys.groupStart(groupId), RaftLogKeys.groupEnd(groupId));
    }

    private void putSnapshot(Snapshot snap, WriteBatch batch) {
        batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.SNAPSHOT), RaftLogCodec.encodeSnapshot(snap));
        this.snapshot = snap;
    }

    private void putTruncated(long index, long term, WriteBatch batch) {
        batch.put(KeySpace.RAFT_LOG, RaftLogKeys.record(groupId, RaftLogKeys.TRUNCATED_STATE), RaftLogCodec.encodeTruncated(index, term));
        truncatedIndex = index;
        truncatedTerm = term;
    }
}
