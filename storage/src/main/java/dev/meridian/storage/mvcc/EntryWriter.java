package dev.meridian.storage.mvcc;

import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the engine entries of one MVCC operation into a batch, counting their bytes, and takes
 * them back if the engine refuses one (an oversized key or value): an MVCC operation is applied to
 * the batch whole or not at all. Its stats delta reaches the caller's accumulator only through
 * {@link #finish}, called once the operation has succeeded.
 */
final class EntryWriter {
    private final ReadWriteBatch batch;
    private final MvccStats entryDelta = new MvccStats();
    // Compensating writes, newest last: for each entry, its previous value or null (absent).
    private final List<byte[][]> undo = new ArrayList<>();

    EntryWriter(ReadWriteBatch batch) {
        this.batch = batch;
    }

    void putVersion(byte[] engineKey, byte[] userValue) {
        put(engineKey, MvccValueCodec.encodeVersion(engineKey, userValue), true);
    }

    /**
     * Writes a version at a key the caller has proven absent (its timestamp is above every
     * version of the key, and the key has no intent), so there is no previous entry to read for
     * undo or stats. Returns the entry's size in bytes (key and stored value).
     */
    int putNewVersion(byte[] engineKey, byte[] userValue) {
        byte[] stored = MvccValueCodec.encodeVersion(engineKey, userValue);
        try {
            batch.put(KeySpace.MVCC, engineKey, stored);
        } catch (StorageException e) {
            rollback();
            throw e;
        }
        undo.add(new byte[][] {engineKey, null});
        entryDelta.addEntry(engineKey.length, stored.length, true, 1);
        return engineKey.length + stored.length;
    }

    void putLock(byte[] lockKey, LockRecord lock) {
        put(lockKey, MvccValueCodec.encode(lockKey, MvccValueCodec.Kind.LOCK, LockRecordCodec.encode(lock)), false);
    }

    void delete(byte[] engineKey, boolean version) {
        byte[] previous = batch.get(KeySpace.MVCC, engineKey);
        if (previous == null) {
            return;
        }
        try {
            batch.delete(KeySpace.MVCC, engineKey);
        } catch (StorageException e) {
            rollback();
            throw e;
        }
        undo.add(new byte[][] {engineKey, previous});
        entryDelta.addEntry(engineKey.length, previous.length, version, -1);
    }

    private void put(byte[] engineKey, byte[] stored, boolean version) {
        byte[] previous = batch.get(KeySpace.MVCC, engineKey);
        try {
            batch.put(KeySpace.MVCC, engineKey, stored);
        } catch (StorageException e) {
            rollback();
            throw e;
        }
        undo.add(new byte[][] {engineKey, previous});
        if (previous != null) {
            entryDelta.addEntry(engineKey.length, previous.length, version, -1);
        }
        entryDelta.addEntry(engineKey.length, stored.length, version, 1);
    }

    private void rollback() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            byte[][] u = undo.get(i);
            if (u[1] == null) {
                batch.delete(KeySpace.MVCC, u[0]);
            } else {
                batch.put(KeySpace.MVCC, u[0], u[1]);
            }
        }
        undo.clear();
    }

    /**
     * Adds this operation's effect on {@code userKey} to {@code stats}: the entry bytes written
     * and removed, and the change of the key's summary from {@code before} to its state now.
     */
    void finish(MvccStats stats, byte[] userKey, KeySummary before) {
        finish(stats, before, KeyState.load(batch, userKey).summary());
    }

    /** As {@link #finish(MvccStats, byte[], KeySummary)}, with the key's state after already known. */
    void finish(MvccStats stats, KeySummary before, KeySummary after) {
        stats.add(entryDelta);
        stats.addKeySummary(before, -1);
        stats.addKeySummary(after, 1);
        entryDelta.subtract(entryDelta);
        undo.clear();
    }
}
