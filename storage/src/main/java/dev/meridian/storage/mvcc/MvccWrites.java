package dev.meridian.storage.mvcc;

import dev.meridian.storage.ReadWriteBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Puts, deletes, conditional puts, increments and delete-range; rules in package-info. */
final class MvccWrites {

    private MvccWrites() {
    }

    /** The value a writer sees before its write, and that value's timestamp (both null if absent). */
    private record Seen(byte[] value, Timestamp timestamp) {
    }

    static WriteResult put(ReadWriteBatch b, MvccStats stats, byte[] key, byte[] value, WriteOptions o) {
        KeyState st = KeyState.loadLikelyAbsent(b, key);
        WriteResult blocked = checkWritable(st, o);
        return blocked != null ? blocked : write(b, stats, st, value, o);
    }

    static WriteResult conditionalPut(ReadWriteBatch b, MvccStats stats, byte[] key, byte[] value, byte[] expected,
                                      WriteOptions o) {
        KeyState st = KeyState.loadLikelyAbsent(b, key);
        WriteResult blocked = checkWritable(st, o);
        if (blocked != null) {
            return blocked;
        }
        Seen seen = seenByWriter(st, o);
        if (!Arrays.equals(seen.value(), expected)) {
            return WriteResult.conditionFailed(seen.value(), seen.timestamp());
        }
        return write(b, stats, st, value, o);
    }

    static WriteResult increment(ReadWriteBatch b, MvccStats stats, byte[] key, long delta, WriteOptions o) {
        KeyState st = KeyState.load(b, key);
        WriteResult blocked = checkWritable(st, o);
        if (blocked != null) {
            return blocked;
        }
        byte[] current = seenByWriter(st, o).value();
        long base = 0;
        if (current != null) {
            if (current.length != Long.BYTES) {
                throw new IllegalArgumentException("cannot increment key " + Printable.bytes(key) + ": its value "
                        + Printable.bytes(current) + " is " + current.length + " bytes, not an 8-byte integer");
            }
            base = ByteBuffer.wrap(current).getLong();
        }
        byte[] next = ByteBuffer.allocate(Long.BYTES).putLong(Math.addExact(base, delta)).array();
        WriteResult r = write(b, stats, st, next, o);
        return WriteResult.okWithValue(r.timestamp(), next);
    }

    static WriteResult deleteRange(ReadWriteBatch b, MvccStats stats, byte[] start, byte[] end, WriteOptions o) {
        List<KeyState> states = new ArrayList<>();
        List<LockConflict> conflicts = new ArrayList<>();
        Timestamp retryAt = null;
        for (byte[] key : KeyWalker.userKeys(b, start, end)) {
            KeyState st = KeyState.load(b, key);
            WriteResult blocked = checkWritable(st, o);
            if (blocked == null) {
                states.add(st);
            } else if (blocked.status() == WriteResult.Status.LOCK_CONFLICT) {
                conflicts.addAll(blocked.conflicts());
            } else {
                retryAt = retryAt == null ? blocked.timestamp() : retryAt.forward(blocked.timestamp());
            }
        }
        if (!conflicts.isEmpty()) {
            return WriteResult.lockConflict(conflicts);
        }
        if (retryAt != null) {
            return WriteResult.writeTooOld(retryAt);
        }
        List<byte[]> deleted = new ArrayList<>();
        Timestamp written = o.timestamp();
        for (KeyState st : states) {
            if (seenByWriter(st, o).value() != null) {
                written = written.forward(write(b, stats, st, null, o).timestamp());
                deleted.add(st.userKey);
            }
        }
        return WriteResult.okDeleted(written, deleted);
    }

    /**
     * Why the writer may not write this key, or {@code null} if it may. An intent of another
     * transaction (any intent, for a non-transactional writer) is a lock conflict; otherwise a
     * committed version at or above the write timestamp makes the write too old. The writer's
     * own intent of its current epoch is always rewritable.
     */
    private static WriteResult checkWritable(KeyState st, WriteOptions o) {
        LockRecord lock = st.lock;
        if (lock != null) {
            TxnMeta writer = o.txn();
            if (writer == null || !writer.id().equals(lock.txn().id())) {
                return WriteResult.lockConflict(List.of(new LockConflict(st.userKey, lock.txn())));
            }
            if (lock.txn().epoch() > writer.epoch()) {
                throw new IllegalStateException("transaction " + writer.id() + " writes at epoch " + writer.epoch()
                        + " but its intent on " + Printable.bytes(st.userKey) + " is from later epoch " + lock.txn().epoch());
            }
            if (lock.txn().epoch() == writer.epoch()) {
                return null;
            }
        }
        KeyState.Version committed = st.newestCommitted();
        if (committed != null && o.timestamp().lessEq(committed.timestamp())) {
            return WriteResult.writeTooOld(committed.timestamp().next());
        }
        return null;
    }

    /**
     * What the writer sees under its write: its own earlier writes of this epoch (sequence below
     * its current one, not ignored), else the newest committed version.
     */
    private static Seen seenByWriter(KeyState st, WriteOptions o) {
        LockRecord lock = st.lock;
        if (lock != null && o.txn() != null && lock.txn().epoch() == o.txn().epoch()) {
            IntentHistoryEntry e = lock.visibleAt(o.txn().sequence() - 1, o.ignoredSeqs());
            if (e != null) {
                return new Seen(e.value(), lock.timestamp());
            }
        }
        KeyState.Version committed = st.newestCommitted();
        return committed == null ? new Seen(null, null) : new Seen(committed.value(), committed.timestamp());
    }

    /** Writes after {@link #checkWritable} allowed it. */
    private static WriteResult write(ReadWriteBatch b, MvccStats stats, KeyState st, byte[] value, WriteOptions o) {
        EntryWriter w = new EntryWriter(b);
        KeySummary before = st.summary();
        TxnMeta txn = o.txn();
        Timestamp ts;
        if (txn == null) {
            // checkWritable proved there is no intent and every version is below ts: the new
            // version is the key's newest and its engine key is new, so its state after the
            // write is known without reading the key again (the hot path of plain writes).
            ts = o.timestamp();
            int entryBytes = w.putNewVersion(MvccKeyCodec.versionKeyFromLockKey(st.lockKey, ts), value);
            boolean live = value != null;
            w.finish(stats, before, new KeySummary(true, live, live ? entryBytes : 0, false, 0));
            return WriteResult.ok(ts);
        } else if (st.lock != null && st.lock.txn().epoch() == txn.epoch()) {
            ts = rewriteIntent(w, st, value, txn);
        } else {
            ts = o.timestamp();
            if (st.lock != null) {
                // An older epoch's intent: its history is discarded with its provisional version.
                w.delete(st.newest.engineKey(), true);
            }
            List<IntentHistoryEntry> history = List.of(new IntentHistoryEntry(txn.sequence(), value));
            w.putLock(st.lockKey, new LockRecord(txn, history));
            w.putVersion(MvccKeyCodec.versionKeyFromLockKey(st.lockKey, ts), value);
        }
        w.finish(stats, st.userKey, before);
        return WriteResult.ok(ts);
    }

    /** A same-epoch rewrite: appends to the history; the intent keeps its timestamp if that is higher. */
    private static Timestamp rewriteIntent(EntryWriter w, KeyState st, byte[] value, TxnMeta txn) {
        LockRecord lock = st.lock;
        IntentHistoryEntry replayed = lock.entryAt(txn.sequence());
        if (replayed != null) {
            if (!Arrays.equals(replayed.value(), value)) {
                throw new IllegalStateException("transaction " + txn.id() + " wrote key " + Printable.bytes(st.userKey)
                        + " twice at sequence " + txn.sequence() + " with different values");
            }
            return lock.timestamp(); // a replay of a write already in the intent: nothing to do
        }
        if (txn.sequence() < lock.latest().sequence()) {
            throw new IllegalStateException("transaction " + txn.id() + " writes key " + Printable.bytes(st.userKey)
                    + " at sequence " + txn.sequence() + " below its latest write " + lock.latest().sequence());
        }
        Timestamp ts = txn.writeTimestamp().forward(lock.timestamp());
        List<IntentHistoryEntry> history = new ArrayList<>(lock.history());
        history.add(new IntentHistoryEntry(txn.sequence(), value));
        TxnMeta meta = new TxnMeta(txn.id(), txn.epoch(), ts, txn.minTimestamp().backward(lock.txn().minTimestamp()),
                txn.sequence(), Math.max(txn.priority(), lock.txn().priority()), txn.isolation(), txn.anchorKey());
        if (!ts.equals(lock.timestamp())) {
            w.delete(st.newest.engineKey(), true);
        }
        w.putLock(st.lockKey, new LockRecord(meta, history));
        w.putVersion(MvccKeyCodec.versionKeyFromLockKey(st.lockKey, ts), value);
        return ts;
    }
}
