package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;

import java.util.ArrayList;
import java.util.List;

/** Garbage collection of old versions below a threshold; rules in package-info. */
final class MvccGc {

    private MvccGc() {
    }

    static GcResult collect(ReadWriteBatch b, MvccStats stats, List<byte[]> keys, Timestamp threshold) {
        int touched = 0;
        int removed = 0;
        for (byte[] key : keys) {
            int n = collectKey(b, stats, key, threshold);
            if (n > 0) {
                touched++;
                removed += n;
            }
        }
        return new GcResult(touched, removed);
    }

    private static int collectKey(ReadWriteBatch b, MvccStats stats, byte[] key, Timestamp threshold) {
        List<byte[]> doomed = garbageVersions(b, key, threshold);
        if (doomed.isEmpty()) {
            return 0;
        }
        KeySummary before = KeyState.load(b, key).summary();
        EntryWriter w = new EntryWriter(b);
        for (byte[] engineKey : doomed) {
            w.delete(engineKey, true);
        }
        w.finish(stats, key, before);
        return doomed.size();
    }

    /**
     * The versions of {@code key} no read at or above {@code threshold} can see: everything
     * older than the newest committed version at or below the threshold, and that version too
     * when it is a tombstone. The provisional version of an intent is never among them.
     */
    private static List<byte[]> garbageVersions(ReadWriteBatch b, byte[] key, Timestamp threshold) {
        byte[] lockKey = MvccKeyCodec.lockKey(key);
        List<byte[]> doomed = new ArrayList<>();
        try (EngineIterator it = b.iterator(KeySpace.MVCC, lockKey, MvccKeyCodec.keyEnd(key))) {
            it.seek(lockKey);
            Timestamp provisional = null;
            if (it.valid() && it.key().length == lockKey.length) {
                provisional = KeyState.decodeLock(lockKey, it.value()).timestamp();
                it.next();
            }
            boolean belowNewestVisible = false;
            for (; it.valid(); it.next()) {
                byte[] k = it.key();
                Timestamp ts = MvccKeyCodec.timestampOf(k, lockKey.length);
                if (ts.equals(provisional) || threshold.less(ts)) {
                    continue;
                }
                if (belowNewestVisible) {
                    doomed.add(k);
                    continue;
                }
                belowNewestVisible = true;
                if (MvccValueCodec.decode(k, it.value()).userValue() == null) {
                    doomed.add(k);
                }
            }
        }
        return doomed;
    }
}
